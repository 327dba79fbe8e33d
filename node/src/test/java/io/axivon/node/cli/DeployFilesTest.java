package io.axivon.node.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.axivon.common.config.ConfigLoader;
import io.axivon.common.crypto.bls.BlsSecretKey;
import io.axivon.common.crypto.secp256k1.Address;
import io.axivon.common.metrics.Metrics;
import io.axivon.common.time.Clock;
import io.axivon.consensus.node.ConsensusMetrics;
import io.axivon.da.blob.SquareEncoder;
import io.axivon.da.cert.DaCertificate;
import io.axivon.da.cert.Quorum;
import io.axivon.da.chain.DaChain;
import io.axivon.da.disperser.Disperser;
import io.axivon.da.node.DaNode;
import io.axivon.da.node.DaNodeStore;
import io.axivon.kv.node.KvMetrics;
import io.axivon.node.compute.ComputeGatewayConfig;
import io.axivon.node.kv.KvNodeConfig;
import io.axivon.node.p2pnode.NodeConfig;
import io.axivon.node.storage.StorageNodeConfig;
import io.axivon.p2p.NodeKey;
import io.axivon.p2p.P2pConfig;
import io.axivon.p2p.P2pMetrics;
import io.axivon.p2p.P2pNode;
import io.axivon.storage.flow.ChainFlowView;
import io.axivon.storage.mining.MinerMetrics;
import io.axivon.storage.node.ShardConfig;
import io.axivon.storage.store.SegmentStore;
import io.axivon.storage.sync.SegmentSync;
import io.axivon.storage.sync.SyncSettings;
import io.prometheus.client.Collector;
import io.prometheus.client.CollectorRegistry;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.apache.tuweni.bytes.Bytes;
import org.apache.tuweni.bytes.Bytes32;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * Keeps deploy/ true to the code: every metric the Grafana dashboard queries is one the services
 * register, and every command line in the systemd units, compose file and compose init script names
 * a real {@code axivon} subcommand with flags it declares. A renamed metric or flag fails here, not
 * in an operator's Grafana or journal.
 */
class DeployFilesTest {
  /**
   * Registered only by a running compute gateway (a collector inside ComputeGateway, which needs a
   * chain to start): DeployMetricsIT checks that the devnet's /metrics serves these.
   */
  static final Set<String> SERVED_BY_DEVNET_ONLY =
      Set.of("axivon_compute_gateway_pending_requests");

  /** Series Prometheus makes itself for every target. */
  private static final Set<String> SCRAPE_SERIES = Set.of("up");

  /**
   * DA subcommands another change adds; until they are registered their units are checked for the
   * flags the DA CLI promises ({@code --config FILE --data-dir DIR}) only.
   */
  private static final ObjectMapper JSON = new ObjectMapper();

  private static final YAMLMapper YAML = new YAMLMapper();

  @TempDir Path tmp;

  static Path deployDir() {
    // surefire and failsafe run in the module directory (node/); deploy/ is beside it
    Path dir = Path.of("").toAbsolutePath().getParent().resolve("deploy");
    assertThat(dir).isDirectory();
    return dir;
  }

  // ------------------------------------------------------------------ dashboard

  @Test
  void everyDashboardMetricIsRegisteredByTheCode() throws Exception {
    JsonNode dashboard = JSON.readTree(deployDir().resolve("grafana/axivon.json").toFile());
    Set<String> used = dashboardMetricNames(dashboard);
    Set<String> registered = new TreeSet<>();
    registeredFamilies(tmp).values().forEach(registered::addAll);

    Set<String> unknown = new TreeSet<>(used);
    unknown.removeAll(registered);
    unknown.removeAll(SCRAPE_SERIES);
    unknown.removeAll(SERVED_BY_DEVNET_ONLY);
    assertThat(unknown).as("metrics the dashboard queries but no service registers").isEmpty();
    // the gateway's metric is the one taken on trust here: the IT has to see it served
    assertThat(used).containsAll(SERVED_BY_DEVNET_ONLY);
    assertThat(registered).doesNotContainAnyElementsOf(SERVED_BY_DEVNET_ONLY);
  }

  @Test
  void everyAxivonMetricTheServicesRegisterHasAPanel() throws Exception {
    JsonNode dashboard = JSON.readTree(deployDir().resolve("grafana/axivon.json").toFile());
    Set<String> used = dashboardMetricNames(dashboard);
    Set<String> missing = new TreeSet<>();
    registeredFamilies(tmp)
        .forEach(
            (family, samples) -> {
              if (family.startsWith("axivon_") && Collections.disjoint(samples, used)) {
                missing.add(family);
              }
            });
    assertThat(missing).as("metrics no dashboard panel shows").isEmpty();
  }

  @Test
  void dashboardHasOneRowPerLayerAndADataSourceVariable() throws Exception {
    JsonNode dashboard = JSON.readTree(deployDir().resolve("grafana/axivon.json").toFile());
    assertThat(dashboard.get("schemaVersion").asInt()).isBetween(36, 41);
    List<String> rows = new ArrayList<>();
    for (JsonNode panel : dashboard.get("panels")) {
      if (panel.get("type").asText().equals("row")) {
        rows.add(panel.get("title").asText());
      } else {
        assertThat(panel.at("/datasource/uid").asText())
            .as(panel.get("title").asText())
            .isEqualTo("${DS_PROMETHEUS}");
        assertThat(panel.get("targets")).as(panel.get("title").asText()).isNotEmpty();
      }
    }
    assertThat(rows)
        .contains(
            "Consensus (validators)",
            "P2P / gossip",
            "Storage nodes",
            "PoRA miner",
            "KV node",
            "Compute gateway",
            "Data availability",
            "JVM");
    List<String> variables = new ArrayList<>();
    dashboard.at("/templating/list").forEach(v -> variables.add(v.get("name").asText()));
    assertThat(variables).contains("DS_PROMETHEUS", "job", "instance", "node", "chain");
  }

  @Test
  void metricNamesComeOutOfPromQl() {
    assertThat(
            metricNames(
                "histogram_quantile(0.99, sum by (le, chain) (rate(axivon_consensus_commit_seconds_bucket{job=~\"$job\", chain=~\"a_b\"}[$__rate_interval])))"))
        .containsExactly("axivon_consensus_commit_seconds_bucket");
    assertThat(
            metricNames(
                "increase(axivon_pora_rewards_wei_total{node=~\"kv.*\"}[1h]) / 1e18 or on (instance) up - time()"))
        .containsExactlyInAnyOrder("axivon_pora_rewards_wei_total", "up");
    assertThat(metricNames("label_values(up{job=~\"$job\"}, instance)")).containsExactly("up");
    assertThat(metricNames("label_values(node)")).isEmpty();
  }

  /** Every metric name in the panels' queries and the template variables' queries. */
  static Set<String> dashboardMetricNames(JsonNode dashboard) {
    Set<String> names = new TreeSet<>();
    List<JsonNode> panels = new ArrayList<>();
    dashboard.get("panels").forEach(panels::add);
    for (int i = 0; i < panels.size(); i++) {
      JsonNode panel = panels.get(i);
      if (panel.has("panels")) {
        panel.get("panels").forEach(panels::add); // panels of collapsed rows
      }
      for (JsonNode target : panel.path("targets")) {
        names.addAll(metricNames(target.path("expr").asText()));
      }
    }
    for (JsonNode variable : dashboard.at("/templating/list")) {
      if (variable.path("type").asText().equals("query")) {
        names.addAll(metricNames(variable.at("/query/query").asText()));
      }
    }
    return names;
  }

  private static final Pattern GROUPING =
      Pattern.compile("\\b(by|without|on|ignoring|group_left|group_right)\\s*\\([^)]*\\)");
  private static final Pattern IDENTIFIER =
      Pattern.compile("(?<![\\w.:$])([a-zA-Z_:][a-zA-Z0-9_:]*)(\\s*\\()?");
  private static final Set<String> KEYWORDS =
      Set.of("and", "or", "unless", "bool", "offset", "inf", "nan", "by", "without");

  /**
   * The metric names in one PromQL expression (or a Grafana {@code label_values} query): what is
   * left after dropping strings, label matchers, ranges, variables and grouping labels is names,
   * functions (followed by a parenthesis) and keywords.
   */
  static Set<String> metricNames(String promQl) {
    String q = promQl.strip();
    Matcher labelValues = Pattern.compile("^label_values\\((.*)\\)$").matcher(q);
    if (labelValues.matches()) {
      String args = labelValues.group(1);
      int lastComma = args.lastIndexOf(',');
      q = lastComma < 0 || args.lastIndexOf('}') > lastComma ? "" : args.substring(0, lastComma);
    }
    q = q.replaceAll("\"(\\\\.|[^\"\\\\])*\"", "\"\"");
    q = q.replaceAll("\\{[^}]*}", " ");
    q = q.replaceAll("\\[[^]]*]", " ");
    q = q.replaceAll("\\$\\{[^}]*}|\\$\\w+", " ");
    q = GROUPING.matcher(q).replaceAll(" ");
    Set<String> names = new TreeSet<>();
    Matcher m = IDENTIFIER.matcher(q);
    while (m.find()) {
      if (m.group(2) == null && !KEYWORDS.contains(m.group(1).toLowerCase())) {
        names.add(m.group(1));
      }
    }
    return names;
  }

  /**
   * Every metric family the services register, with the sample names it can expose: each metric
   * source is built here on a fresh registry (nothing is started, nothing is dialled).
   */
  static Map<String, Set<String>> registeredFamilies(Path tmp) throws Exception {
    List<CollectorRegistry> registries = new ArrayList<>();
    registries.add(Metrics.withJvmCollectors().registry());
    new ConsensusMetrics(add(registries));
    new P2pMetrics(add(registries));
    new MinerMetrics(add(registries));
    new KvMetrics(add(registries));
    ChainFlowView.Config chain =
        ChainFlowView.Config.of(
            URI.create("http://127.0.0.1:1/"),
            Address.fromHex("0x0000000000000000000000000000000000001001"));
    try (ChainFlowView flow = ChainFlowView.open(tmp.resolve("flow"), chain, add(registries));
        SegmentStore store = SegmentStore.open(tmp.resolve("segments"));
        P2pNode p2p = p2p();
        SegmentSync sync =
            new SegmentSync(
                p2p,
                flow,
                store,
                new ShardConfig(0, 1),
                SyncSettings.defaults(P2pConfig.loopback(NodeKey.generate(), 1)),
                add(registries),
                Clock.system());
        SquareEncoder encoder = SquareEncoder.create(1);
        DaNodeStore daStore = DaNodeStore.open(tmp.resolve("da"));
        P2pNode daP2p = p2p();
        DaNode daNode =
            new DaNode(
                daP2p,
                daStore,
                BlsSecretKey.keyGen(Bytes32.leftPad(Bytes.of(1))),
                Bytes.of(1),
                NO_CHAIN,
                encoder.coder(),
                2,
                add(registries));
        P2pNode disperserP2p = p2p();
        Disperser disperser =
            new Disperser(
                disperserP2p, NO_CHAIN, encoder, Disperser.Settings.defaults(), add(registries))) {
      Map<String, Set<String>> families = new TreeMap<>();
      for (CollectorRegistry registry : registries) {
        for (Collector.MetricFamilySamples family :
            Collections.list(registry.metricFamilySamples())) {
          families.computeIfAbsent(family.name, n -> new TreeSet<>()).addAll(sampleNames(family));
        }
      }
      return families;
    }
  }

  private static CollectorRegistry add(List<CollectorRegistry> registries) {
    CollectorRegistry registry = new CollectorRegistry();
    registries.add(registry);
    return registry;
  }

  /** A P2P node that is never started, whose own metrics go nowhere (P2pMetrics is counted). */
  private static P2pNode p2p() {
    return new P2pNode(P2pConfig.loopback(NodeKey.generate(), 1), new CollectorRegistry());
  }

  /**
   * The names a family's samples take in the text format, from its type: a labelled metric with no
   * child yet has no samples, but its names are fixed.
   */
  static Set<String> sampleNames(Collector.MetricFamilySamples family) {
    Set<String> names = new TreeSet<>();
    String n = family.name;
    switch (family.type) {
      case COUNTER -> names.addAll(List.of(n + "_total", n + "_created"));
      case HISTOGRAM ->
          names.addAll(List.of(n + "_bucket", n + "_count", n + "_sum", n + "_created"));
      case SUMMARY -> names.addAll(List.of(n, n + "_count", n + "_sum", n + "_created"));
      case INFO -> names.add(n + "_info");
      default -> names.add(n);
    }
    family.samples.forEach(s -> names.add(s.name));
    return names;
  }

  /** A DA chain for constructing DA services that are never asked anything. */
  private static final DaChain NO_CHAIN =
      new DaChain() {
        @Override
        public long currentEpoch() {
          return 0;
        }

        @Override
        public Quorum quorum(long epoch, long quorumId) {
          throw new UnsupportedOperationException("not used");
        }

        @Override
        public Optional<String> address(Bytes operatorId) {
          return Optional.empty();
        }

        @Override
        public Confirmation confirm(DaCertificate certificate, long blobSize) {
          throw new UnsupportedOperationException("not used");
        }

        @Override
        public boolean isAvailable(Bytes32 dataRoot) {
          return false;
        }
      };

  // ------------------------------------------------------------------ command lines

  @Test
  void everySystemdUnitRunsARealSubcommandWithDeclaredFlags() throws IOException {
    List<Path> units;
    try (Stream<Path> files = Files.list(deployDir().resolve("systemd"))) {
      units = files.filter(f -> f.toString().endsWith(".service")).sorted().toList();
    }
    assertThat(units).hasSizeGreaterThanOrEqualTo(7);
    for (Path unit : units) {
      List<String> exec =
          Files.readAllLines(unit).stream()
              .filter(l -> l.startsWith("ExecStart="))
              .map(l -> l.substring("ExecStart=".length()))
              .toList();
      assertThat(exec).as(unit.toString()).hasSize(1);
      List<String> words = Arrays.asList(exec.get(0).strip().split("\\s+"));
      assertThat(words.get(0)).as(unit.toString()).isEqualTo("/opt/axivon/bin/axivon");
      String role = unit.getFileName().toString().replaceAll("^axivon-|@\\.service$", "");
      assertThat(words.get(1)).as(unit + ": the unit's role is its subcommand").isEqualTo(role);
      assertParses(unit.toString(), words.subList(1, words.size()));
      String text = Files.readString(unit);
      assertThat(text)
          .as(unit.toString())
          .contains("Restart=on-failure", "LimitNOFILE=", "NoNewPrivileges=yes");
    }
  }

  @Test
  void everyComposeCommandRunsARealSubcommandWithDeclaredFlags() throws IOException {
    Path compose = deployDir().resolve("compose/compose.yaml");
    // SnakeYAML (under Jackson's YAML module) resolves the file's merge keys (<<: *axivon); Jackson
    // alone would not
    Object parsed = new org.yaml.snakeyaml.Yaml().load(Files.readString(compose));
    JsonNode services = JSON.valueToTree(parsed).get("services");
    int axivonServices = 0;
    for (Map.Entry<String, JsonNode> service : services.properties()) {
      JsonNode s = service.getValue();
      if (!s.path("image").asText().equals("axivon:local")) {
        continue;
      }
      axivonServices++;
      if (s.has("entrypoint")) {
        continue; // the init script, checked below
      }
      List<String> command = new ArrayList<>();
      s.get("command").forEach(c -> command.add(c.asText()));
      assertParses(compose + " service " + service.getKey(), command);
    }
    assertThat(axivonServices).isGreaterThanOrEqualTo(8);

    Path init = deployDir().resolve("compose/init-testnet.sh");
    List<String> calls =
        Files.readAllLines(init).stream().filter(l -> l.startsWith("axivon ")).toList();
    assertThat(calls).isNotEmpty();
    for (String call : calls) {
      List<String> words =
          Arrays.stream(call.split("\\s+")).skip(1).map(w -> w.replace("\"$out\"", "/t")).toList();
      assertParses(init.toString(), words);
    }
  }

  /** Parses (never runs) {@code axivon ARGS} with the real CLI model; fails on unknown flags. */
  private static void assertParses(String where, List<String> args) {
    CommandLine cli = Main.commandLine();
    assertThat(cli.getSubcommands())
        .as(where + ": no subcommand " + args.get(0))
        .containsKey(args.get(0));
    assertThatCode(() -> cli.parseArgs(args.toArray(String[]::new)))
        .as(where + ": axivon " + String.join(" ", args))
        .doesNotThrowAnyException();
  }

  // ------------------------------------------------------------------ example configs

  @Test
  void exampleConfigsLoadAsTheServicesLoadThem() {
    Path deploy = deployDir();
    Map<String, Class<? extends Record>> types =
        Map.of(
            "storage-node.yaml", StorageNodeConfig.class,
            "kv-node.yaml", KvNodeConfig.class,
            "compute-gateway.yaml", ComputeGatewayConfig.class,
            "node.yaml", NodeConfig.class);
    int loaded = 0;
    for (Path dir : List.of(deploy.resolve("config"), deploy.resolve("compose/config"))) {
      for (var entry : types.entrySet()) {
        Path file = dir.resolve(entry.getKey());
        if (Files.exists(file)) {
          assertThatCode(() -> ConfigLoader.load(entry.getValue(), Optional.of(file), Map.of()))
              .as(file.toString())
              .doesNotThrowAnyException();
          loaded++;
        }
      }
    }
    assertThat(loaded).isEqualTo(7);
  }

  @Test
  void prometheusScrapesTheMetricsPortOfEveryExampleConfig() throws IOException {
    Path deploy = deployDir();
    String host = Files.readString(deploy.resolve("prometheus/prometheus.yml"));
    String compose = Files.readString(deploy.resolve("compose/prometheus.yml"));
    for (String role : List.of("storage-node", "kv-node", "compute-gateway", "node")) {
      JsonNode hostCfg = YAML.readTree(deploy.resolve("config/" + role + ".yaml").toFile());
      assertThat(host).contains("127.0.0.1:" + hostCfg.at("/metrics/port").asInt());
      Path composeCfg = deploy.resolve("compose/config/" + role + ".yaml");
      if (Files.exists(composeCfg)) {
        int port = YAML.readTree(composeCfg.toFile()).at("/metrics/port").asInt();
        assertThat(compose).contains(role + ":" + port);
      }
    }
    assertThat(YAML.readTree(host).get("scrape_configs")).isNotEmpty();
    assertThat(host).contains("127.0.0.1:9400"); // the devnet's /metrics
  }
}
