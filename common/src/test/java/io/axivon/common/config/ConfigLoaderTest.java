package io.axivon.common.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.axivon.common.InvalidInputException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.assertj.core.api.AbstractThrowableAssert;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigLoaderTest {
  record P2pConfig(String host, int port, List<String> bootnodes) {
    P2pConfig {
      if (port < 0 || port > 65535) {
        throw new IllegalArgumentException("port must be 0-65535, got " + port);
      }
    }

    static P2pConfig defaults() {
      return new P2pConfig("0.0.0.0", 30303, List.of());
    }
  }

  record MetricsConfig(boolean enabled, int port) {
    static MetricsConfig defaults() {
      return new MetricsConfig(false, 9400);
    }
  }

  enum SyncMode {
    FULL,
    FAST
  }

  /** data-dir has no default, so it is required. */
  record NodeConfig(
      Path dataDir,
      String nodeName,
      P2pConfig p2p,
      MetricsConfig metrics,
      SyncMode syncMode,
      Map<String, Integer> weights,
      long maxPeers) {
    NodeConfig {
      if (maxPeers < 0) {
        throw new IllegalArgumentException("max-peers must not be negative, got " + maxPeers);
      }
    }

    static NodeConfig defaults() {
      return new NodeConfig(
          null, "axivon", P2pConfig.defaults(), null, SyncMode.FULL, Map.of(), 50);
    }
  }

  /** No defaults(): every key is required. */
  record Strict(String name, int count) {}

  @TempDir Path dir;

  private Path file(String name, String content) throws IOException {
    Path path = dir.resolve(name);
    Files.writeString(path, content, StandardCharsets.UTF_8);
    return path;
  }

  private static NodeConfig load(Path file, Map<String, String> overrides) {
    return ConfigLoader.load(NodeConfig.class, Optional.of(file), overrides);
  }

  private static AbstractThrowableAssert<?, ? extends Throwable> fails(Runnable load) {
    return assertThatThrownBy(load::run)
        .isInstanceOf(InvalidInputException.class)
        .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"));
  }

  @Test
  void defaultsApplyAndOverridesFillTheRest() {
    NodeConfig config =
        ConfigLoader.load(NodeConfig.class, Optional.empty(), Map.of("data-dir", "/var/axivon"));
    assertThat(config)
        .isEqualTo(
            new NodeConfig(
                Path.of("/var/axivon"),
                "axivon",
                P2pConfig.defaults(),
                MetricsConfig.defaults(), // from the nested record's own defaults()
                SyncMode.FULL,
                Map.of(),
                50));
  }

  @Test
  void fileOverridesDefaultsKeyByKeyAndOverridesWinOverTheFile() throws IOException {
    Path yaml =
        file(
            "node.yaml",
            """
            data-dir: data
            p2p:
              port: 30310
              bootnodes:
                - enode://a
                - enode://b
            sync-mode: FAST
            weights:
              alice: 2
            """);
    NodeConfig fromFile = load(yaml, Map.of());
    assertThat(fromFile.dataDir()).isEqualTo(Path.of("data"));
    assertThat(fromFile.p2p())
        .isEqualTo(new P2pConfig("0.0.0.0", 30310, List.of("enode://a", "enode://b")));
    assertThat(fromFile.syncMode()).isEqualTo(SyncMode.FAST);
    assertThat(fromFile.weights()).isEqualTo(Map.of("alice", 2));
    assertThat(fromFile.metrics()).isEqualTo(MetricsConfig.defaults());

    NodeConfig overridden =
        load(
            yaml,
            Map.of(
                "p2p.port", "30304",
                "p2p.bootnodes", "enode://c, enode://d",
                "metrics.enabled", "true",
                "weights.bob", "5",
                "max-peers", "7"));
    assertThat(overridden.p2p())
        .isEqualTo(new P2pConfig("0.0.0.0", 30304, List.of("enode://c", "enode://d")));
    assertThat(overridden.metrics()).isEqualTo(new MetricsConfig(true, 9400));
    // an override adds a map entry to those from the file
    assertThat(overridden.weights()).isEqualTo(Map.of("alice", 2, "bob", 5));
    assertThat(overridden.maxPeers()).isEqualTo(7);
    assertThat(load(yaml, Map.of("p2p.bootnodes", "")).p2p().bootnodes()).isEmpty();
  }

  @Test
  void jsonFilesWorkTheSame() throws IOException {
    Path json =
        file(
            "node.json",
            """
            {"data-dir": "/d", "p2p": {"host": "127.0.0.1"}, "metrics": {"enabled": true}}
            """);
    NodeConfig config = load(json, Map.of());
    assertThat(config.p2p()).isEqualTo(new P2pConfig("127.0.0.1", 30303, List.of()));
    assertThat(config.metrics()).isEqualTo(new MetricsConfig(true, 9400));
  }

  @Test
  void emptyFileMeansDefaults() throws IOException {
    Path yaml = file("empty.yml", "# nothing set\n");
    assertThat(load(yaml, Map.of("data-dir", "x")).nodeName()).isEqualTo("axivon");
  }

  @Test
  void unknownKeyNamesKeyLineAndAllowedKeys() throws IOException {
    Path yaml =
        file(
            "node.yaml",
            """
            data-dir: data
            p2p:
              prot: 30310
            """);
    fails(() -> load(yaml, Map.of()))
        .hasMessage(
            "config file "
                + yaml
                + " line 3: unknown key 'p2p.prot'; allowed keys under 'p2p': host, port, bootnodes");
    Path top = file("top.yaml", "data-dir: d\ndatadir: d\n");
    fails(() -> load(top, Map.of()))
        .hasMessageStartingWith(
            "config file " + top + " line 2: unknown key 'datadir'; allowed keys: ")
        .hasMessageContaining("data-dir, node-name, p2p, metrics, sync-mode, weights, max-peers");
    Path json =
        file(
            "node.json",
            "{\n  \"data-dir\": \"d\",\n  \"metrics\": {\"enabled\": true, \"porrt\": 1}\n}");
    fails(() -> load(json, Map.of()))
        .hasMessageStartingWith("config file " + json + " line 3: unknown key 'metrics.porrt'");
  }

  @Test
  void unknownOverrideKeyIsNamed() {
    fails(
            () ->
                ConfigLoader.load(
                    NodeConfig.class, Optional.empty(), Map.of("data-dir", "d", "p2p.prot", "1")))
        .hasMessage(
            "config override p2p.prot=1: unknown key 'p2p.prot'; allowed keys under 'p2p': host, port, bootnodes");
    fails(() -> ConfigLoader.load(NodeConfig.class, Optional.empty(), Map.of("p2p..port", "1")))
        .hasMessageContaining("malformed key 'p2p..port'");
    fails(() -> ConfigLoader.load(NodeConfig.class, Optional.empty(), Map.of("p2p", "x")))
        .hasMessageContaining("'p2p' is a section; set its keys one by one (p2p.host=...)");
    fails(() -> ConfigLoader.load(NodeConfig.class, Optional.empty(), Map.of("node-name.x", "x")))
        .hasMessageContaining("'node-name' is a string, it has no key 'x'");
  }

  @Test
  void typeErrorsNameTheKeyAndTheExpectedType() throws IOException {
    Path yaml = file("node.yaml", "data-dir: d\np2p:\n  port: abc\n");
    fails(() -> load(yaml, Map.of()))
        .hasMessage(
            "config file " + yaml + " line 3: key 'p2p.port' expects an integer, got \"abc\"");
    Path noDir = file("min.yaml", "data-dir: d\n");
    fails(() -> load(noDir, Map.of("p2p.port", "abc")))
        .hasMessage("config override p2p.port=abc: key 'p2p.port' expects an integer, got \"abc\"");
    fails(() -> load(noDir, Map.of("sync-mode", "SLOW")))
        .hasMessageContaining("key 'sync-mode' expects one of FULL, FAST");
    fails(() -> load(noDir, Map.of("metrics.enabled", "maybe")))
        .hasMessageContaining("key 'metrics.enabled' expects true or false");
    Path intForBool = file("b.yaml", "data-dir: d\nmetrics:\n  enabled: 1\n");
    fails(() -> load(intForBool, Map.of()))
        .hasMessage(
            "config file "
                + intForBool
                + " line 3: key 'metrics.enabled' expects true or false, got the number 1");
    Path fraction = file("f.yaml", "data-dir: d\np2p:\n  port: 1.5\n");
    fails(() -> load(fraction, Map.of()))
        .hasMessageStartingWith("config file " + fraction + " line 3: key 'p2p.port'");
    Path tooBig = file("big.yaml", "data-dir: d\np2p:\n  port: 99999999999\n");
    fails(() -> load(tooBig, Map.of()))
        .hasMessageStartingWith("config file " + tooBig + " line 3: key 'p2p.port'")
        .hasMessageContaining("99999999999");
    Path scalarForList = file("l.yaml", "data-dir: d\np2p:\n  bootnodes: enode://a\n");
    fails(() -> load(scalarForList, Map.of()))
        .hasMessageContaining("key 'p2p.bootnodes' expects a list");
    Path sectionForScalar = file("s.yaml", "data-dir: d\nnode-name:\n  x: 1\n");
    fails(() -> load(sectionForScalar, Map.of()))
        .hasMessageContaining("line 2")
        .hasMessageContaining("key 'node-name' expects a string");
    Path badMapValue = file("m.yaml", "data-dir: d\nweights:\n  alice: heavy\n");
    fails(() -> load(badMapValue, Map.of()))
        .hasMessageContaining("line 3: key 'weights.alice' expects an integer");
  }

  @Test
  void missingOrNullRequiredValuesAreErrors() throws IOException {
    Path yaml = file("node.yaml", "node-name: n\n");
    fails(() -> load(yaml, Map.of()))
        .hasMessage(
            "config file "
                + yaml
                + ": missing required key 'data-dir' (a path); set it in the config file or with an override data-dir=...");
    Path nullDir = file("null.yaml", "data-dir: ~\n");
    fails(() -> load(nullDir, Map.of()))
        .hasMessageStartingWith(
            "config file " + nullDir + " line 1: null value for required key 'data-dir'");
    fails(() -> ConfigLoader.load(Strict.class, Optional.empty(), Map.of("name", "x")))
        .hasMessageStartingWith("config: missing required key 'count' (an integer)");
    assertThat(ConfigLoader.load(Strict.class, Optional.empty(), Map.of("name", "x", "count", "3")))
        .isEqualTo(new Strict("x", 3));
  }

  @Test
  void valuesTheRecordRejectsAreErrorsNamingTheSection() throws IOException {
    Path yaml = file("node.yaml", "data-dir: d\np2p:\n  port: 70000\n");
    fails(() -> load(yaml, Map.of()))
        .hasMessage(
            "config file " + yaml + " line 2: invalid 'p2p': port must be 0-65535, got 70000");
    Path ok = file("ok.yaml", "data-dir: d\n");
    fails(() -> load(ok, Map.of("max-peers", "-1")))
        .hasMessageContaining("invalid configuration: max-peers must not be negative, got -1");
  }

  @Test
  void fileProblemsAreErrors() throws IOException {
    Path malformed = file("bad.yaml", "data-dir: d\np2p: [unclosed\n");
    fails(() -> load(malformed, Map.of()))
        .hasMessageStartingWith("config file " + malformed + " line ")
        .hasMessageContaining("malformed YAML");
    Path duplicate = file("dup.yaml", "data-dir: d\ndata-dir: e\n");
    fails(() -> load(duplicate, Map.of()))
        .hasMessageStartingWith("config file " + duplicate + " line 2")
        .hasMessageContaining("data-dir");
    Path badJson = file("bad.json", "{\"data-dir\": }");
    fails(() -> load(badJson, Map.of())).hasMessageContaining("malformed JSON");
    Path list = file("list.yaml", "- a\n- b\n");
    fails(() -> load(list, Map.of()))
        .hasMessage(
            "config file " + list + ": the top level must be a mapping of keys, found a list");
    Path toml = file("node.toml", "x = 1\n");
    fails(() -> load(toml, Map.of()))
        .hasMessage("config file " + toml + ": unsupported extension; use .yaml, .yml or .json");
    Path missing = dir.resolve("absent.yaml");
    fails(() -> load(missing, Map.of())).hasMessage("config file " + missing + " does not exist");
    Path binary = dir.resolve("latin1.yaml");
    Files.write(binary, new byte[] {'a', ':', ' ', (byte) 0xE9, '\n'});
    fails(() -> load(binary, Map.of())).hasMessageContaining("not valid UTF-8");
  }

  record WithOptional(Optional<String> name) {}

  @Test
  void optionalComponentsAreAProgrammingError() {
    assertThatThrownBy(() -> ConfigLoader.load(WithOptional.class, Optional.empty(), Map.of()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("Optional is not supported");
  }

  @Test
  void pathsAreTakenAsWritten() {
    assertThat(
            ConfigLoader.load(NodeConfig.class, Optional.empty(), Map.of("data-dir", "a:b/c"))
                .dataDir())
        .isEqualTo(Path.of("a:b/c"));
    fails(() -> ConfigLoader.load(NodeConfig.class, Optional.empty(), Map.of("data-dir", "a\0b")))
        .hasMessageContaining("key 'data-dir' expects a path");
  }

  @Test
  void keysListEverySettableKeyForFlagMapping() {
    assertThat(ConfigLoader.keys(NodeConfig.class))
        .containsEntry("data-dir", "a path")
        .containsEntry("p2p.port", "an integer")
        .containsEntry("p2p.bootnodes", "a list")
        .containsEntry("metrics.enabled", "true or false")
        .containsEntry("sync-mode", "one of FULL, FAST")
        .containsEntry("weights.*", "an integer")
        .hasSize(10);
  }

  @Test
  void writtenYamlIsReadableAndUsesKebabKeys() throws IOException {
    NodeConfig config =
        new NodeConfig(
            Path.of("rel/dir"),
            "n",
            new P2pConfig("::1", 1, List.of("x")),
            new MetricsConfig(true, 2),
            SyncMode.FAST,
            Map.of("k", 1),
            3);
    String yaml = ConfigLoader.toYaml(config);
    assertThat(yaml).contains("data-dir: \"rel/dir\"").contains("max-peers: 3");
    assertThat(load(file("out.yaml", yaml), Map.of())).isEqualTo(config);
    assertThat(load(file("out.json", ConfigLoader.toJson(config)), Map.of())).isEqualTo(config);
  }
}
