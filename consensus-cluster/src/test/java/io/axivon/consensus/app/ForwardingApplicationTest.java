package io.axivon.consensus.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ForwardingApplicationTest {
  /**
   * A call added to {@link Application} with a default must be forwarded too: a decorator that fell
   * back to the interface's default would answer for the application it wraps.
   */
  @Test
  void everyCallOfTheInterfaceIsForwarded() {
    List<String> missing = new ArrayList<>();
    for (Method m : Application.class.getMethods()) {
      if (Modifier.isStatic(m.getModifiers())) {
        continue;
      }
      try {
        ForwardingApplication.class.getDeclaredMethod(m.getName(), m.getParameterTypes());
      } catch (NoSuchMethodException e) {
        missing.add(m.getName());
      }
    }
    assertThat(missing).isEmpty();
  }

  @Test
  void callsReachTheWrappedApplication() {
    KvApplication kv = new KvApplication();
    ForwardingApplication forwarding = new ForwardingApplication(kv) {};
    assertThat(forwarding.committedHeight()).isEqualTo(kv.committedHeight());
    assertThat(forwarding.canDiscardBlock()).isFalse();
    assertThat(forwarding.txHash(org.apache.tuweni.bytes.Bytes.of(1)))
        .isEqualTo(kv.txHash(org.apache.tuweni.bytes.Bytes.of(1)));
    assertThat(forwarding.checkTx(org.apache.tuweni.bytes.Bytes.of(1)))
        .isEqualTo(kv.checkTx(org.apache.tuweni.bytes.Bytes.of(1)));
  }
}
