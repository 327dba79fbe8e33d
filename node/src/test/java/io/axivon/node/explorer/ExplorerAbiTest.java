package io.axivon.node.explorer;

import static org.assertj.core.api.Assertions.assertThat;

import io.axivon.consensus.execution.da.DataAvailabilityModule;
import io.axivon.consensus.execution.flow.FlowAbi;
import io.axivon.consensus.execution.mining.MiningModule;
import io.axivon.consensus.execution.staking.StakingEvents;
import io.axivon.consensus.execution.staking.StakingModule;
import io.axivon.consensus.execution.system.Abi;
import io.axivon.sdk.compute.ServingAbi;
import java.io.InputStream;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.tuweni.bytes.Bytes;
import org.junit.jupiter.api.Test;

/**
 * The page's precomputed selectors and event topics (abi.js) are the keccak-256 of their
 * signatures, and every signature is one the system modules declare, so the page reads what the
 * modules serve.
 */
class ExplorerAbiTest {
  private static final Class<?>[] MODULES = {
    StakingModule.class,
    StakingEvents.class,
    DataAvailabilityModule.class,
    FlowAbi.class,
    MiningModule.class,
    ServingAbi.class
  };

  private static Map<String, String> table(String js, String name) {
    int start = js.indexOf("export const " + name + " = {");
    assertThat(start).as(name + " in abi.js").isNotNegative();
    String body = js.substring(start, js.indexOf("};", start));
    Map<String, String> out = new LinkedHashMap<>();
    Matcher m = Pattern.compile("\"([^\"]+)\": \"(0x[0-9a-f]+)\"").matcher(body);
    while (m.find()) {
      out.put(m.group(1), m.group(2));
    }
    return out;
  }

  private static String abiJs() throws Exception {
    try (InputStream in = ExplorerServer.class.getResourceAsStream("abi.js")) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  /** The modules' signature strings, and the topics they declare as Bytes values. */
  private static Set<Object> declared() throws IllegalAccessException {
    Set<Object> out = new HashSet<>();
    for (Class<?> c : MODULES) {
      for (Field f : c.getDeclaredFields()) {
        if (Modifier.isStatic(f.getModifiers())
            && Modifier.isPublic(f.getModifiers())
            && (f.getType() == String.class || Bytes.class.isAssignableFrom(f.getType()))) {
          out.add(f.get(null));
        }
      }
    }
    return out;
  }

  @Test
  void selectorsAreTheModulesFunctions() throws Exception {
    Map<String, String> selectors = table(abiJs(), "SELECTORS");
    assertThat(selectors).hasSizeGreaterThan(10);
    Set<Object> declared = declared();
    selectors.forEach(
        (signature, selector) -> {
          assertThat(selector).as(signature).isEqualTo(Abi.selector(signature).toHexString());
          assertThat(declared).as(signature + " declared by a module").contains(signature);
        });
  }

  @Test
  void topicsAreTheModulesEvents() throws Exception {
    Map<String, String> topics = table(abiJs(), "TOPICS");
    assertThat(topics).hasSizeGreaterThan(5);
    Set<Object> declared = declared();
    topics.forEach(
        (signature, topic) -> {
          assertThat(topic).as(signature).isEqualTo(Abi.eventTopic(signature).toHexString());
          assertThat(declared.contains(signature) || declared.contains(Abi.eventTopic(signature)))
              .as(signature + " declared by a module")
              .isTrue();
        });
  }
}
