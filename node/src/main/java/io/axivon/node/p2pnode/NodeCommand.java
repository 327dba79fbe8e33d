package io.axivon.node.p2pnode;

import io.axivon.common.config.ConfigLoader;
import io.axivon.common.config.Overrides;
import io.axivon.common.metrics.Metrics;
import io.axivon.common.metrics.MetricsServer;
import io.axivon.node.cli.ExitCodes;
import io.axivon.node.cli.JsonOutput;
import io.axivon.node.cli.UntilStopped;
import io.axivon.p2p.NodeKey;
import io.axivon.p2p.P2pConfig;
import io.axivon.p2p.P2pLimits;
import io.axivon.p2p.P2pNode;
import io.axivon.p2p.PeerAddress;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(
    name = "node",
    mixinStandardHelpOptions = true,
    description =
        "Run one P2P node with Prometheus metrics until Ctrl-C or SIGTERM. Settings come from --config FILE (YAML or JSON), then flags, which win.")
public final class NodeCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(names = "--config", paramLabel = "FILE", description = "Config file (YAML or JSON).")
  Path config;

  @Option(names = "--data-dir", paramLabel = "DIR", description = "Data dir (default ./node-data).")
  String dataDir;

  @Option(names = "--network-id", description = "Network id (default 12700).")
  String networkId;

  @Option(names = "--p2p-host", description = "P2P bind address (default 127.0.0.1).")
  String p2pHost;

  @Option(names = "--p2p-port", description = "P2P port (default 30303; 0 picks one).")
  String p2pPort;

  @Option(
      names = "--peer",
      paramLabel = "ID@HOST:PORT",
      description = "Static peer; repeat for several (replaces the config file's list).")
  List<String> peers;

  @Option(names = "--metrics-host", description = "Metrics bind address (default 127.0.0.1).")
  String metricsHost;

  @Option(names = "--metrics-port", description = "Metrics port (default 9400; 0 picks one).")
  String metricsPort;

  @Option(names = "--json", description = "Print the node's endpoints as one JSON document.")
  boolean json;

  /** Flags as config overrides, so the file and the flags go through one validation. */
  Map<String, String> overrides() {
    return new Overrides()
        .put("data-dir", dataDir)
        .put("network-id", networkId)
        .put("p2p.host", p2pHost)
        .put("p2p.port", p2pPort)
        .putList("p2p.peers", peers)
        .put("metrics.host", metricsHost)
        .put("metrics.port", metricsPort)
        .toMap();
  }

  @Override
  public Integer call() {
    NodeConfig cfg = ConfigLoader.load(NodeConfig.class, Optional.ofNullable(config), overrides());
    List<PeerAddress> staticPeers = cfg.p2p().peers().stream().map(PeerAddress::parse).toList();
    NodeKey key = NodeKeyFile.loadOrCreate(cfg.dataDir().resolve("node.key"));
    Metrics metrics = Metrics.withJvmCollectors();
    P2pNode node =
        new P2pNode(
            new P2pConfig(
                cfg.p2p().host(),
                cfg.p2p().port(),
                key,
                cfg.networkId(),
                staticPeers,
                P2pLimits.defaults()),
            metrics.registry());
    MetricsServer server;
    try {
      node.start();
      server = MetricsServer.start(metrics, cfg.metrics().host(), cfg.metrics().port());
    } catch (RuntimeException e) {
      node.close();
      throw e;
    }
    PrintWriter out = spec.commandLine().getOut();
    String metricsUrl = "http://" + server.host() + ":" + server.port() + "/metrics";
    if (json) {
      JsonOutput.print(
          out,
          Map.of(
              "nodeId", node.localId().toHex(),
              "enode", node.localAddress().toString(),
              "metrics", metricsUrl));
    } else {
      out.println("Axivon node " + node.localAddress());
      out.println("  metrics " + metricsUrl);
      out.flush();
    }
    UntilStopped.run(
        () -> {
          node.close();
          server.close();
        },
        () -> System.err.println("axivon: node stopped"));
    return ExitCodes.OK;
  }
}
