package io.axivon.common.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class OverridesTest {
  record Section(Integer port, List<String> peers, Boolean enabled) {}

  record Cfg(String dataDir, Section p2p) {}

  @Test
  void flagsNotGivenAddNothingAndTheRestKeepTheirOrder() {
    Map<String, String> o =
        new Overrides()
            .put("data-dir", "/tmp/x")
            .put("p2p.port", null)
            .putList("p2p.peers", null)
            .put("p2p.port", 30303)
            .putList("p2p.peers", List.of("a:1", "b:2"))
            .putTrueIf("p2p.enabled", false)
            .toMap();
    assertThat(o)
        .containsExactly(
            Map.entry("data-dir", "/tmp/x"),
            Map.entry("p2p.port", "30303"),
            Map.entry("p2p.peers", "a:1,b:2"));
    assertThat(new Overrides().putTrueIf("p2p.enabled", true).toMap())
        .containsExactly(Map.entry("p2p.enabled", "true"));
  }

  @Test
  void theMapIsACopyThatCannotBeChanged() {
    Overrides overrides = new Overrides().put("data-dir", "a");
    Map<String, String> first = overrides.toMap();
    overrides.put("data-dir", "b");
    assertThat(first).containsExactly(Map.entry("data-dir", "a"));
    assertThatThrownBy(() -> first.put("x", "y")).isInstanceOf(UnsupportedOperationException.class);
  }

  @Test
  void configLoaderReadsWhatTheFlagsMade() {
    Cfg cfg =
        ConfigLoader.load(
            Cfg.class,
            Optional.empty(),
            new Overrides()
                .put("data-dir", "d")
                .put("p2p.port", 7)
                .putList("p2p.peers", List.of("p:1", "q:2"))
                .putTrueIf("p2p.enabled", true)
                .toMap());
    assertThat(cfg).isEqualTo(new Cfg("d", new Section(7, List.of("p:1", "q:2"), true)));
  }
}
