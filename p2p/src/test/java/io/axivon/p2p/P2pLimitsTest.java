package io.axivon.p2p;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class P2pLimitsTest {

  @Test
  void defaultsAreConsistentAndBuilderChangesOnlyWhatItSets() {
    P2pLimits defaults = P2pLimits.defaults();
    assertThat(defaults.maxFrameBytes()).isEqualTo(16 << 20);
    P2pLimits changed = defaults.toBuilder().maxPeers(7).gossipFanOut(3).build();
    assertThat(changed.maxPeers()).isEqualTo(7);
    assertThat(changed.gossipFanOut()).isEqualTo(3);
    assertThat(changed.toBuilder().maxPeers(defaults.maxPeers()).gossipFanOut(6).build())
        .isEqualTo(defaults);
  }

  @Test
  void inconsistentLimitsAreRefused() {
    P2pLimits.Builder b = P2pLimits.defaults().toBuilder();
    assertThatThrownBy(() -> b.maxFrameBytes(0).build())
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> P2pLimits.defaults().toBuilder().byteRate(1e6, 1 << 20).build())
        .hasMessageContaining("byteBurst");
    assertThatThrownBy(
            () -> P2pLimits.defaults().toBuilder().handshakeTimeout(Duration.ZERO).build())
        .hasMessageContaining("handshakeTimeout");
    assertThatThrownBy(
            () ->
                P2pLimits.defaults().toBuilder()
                    .defaultProtocolLimits(new ProtocolLimits(16 << 20, 1))
                    .build())
        .hasMessageContaining("frame");
  }
}
