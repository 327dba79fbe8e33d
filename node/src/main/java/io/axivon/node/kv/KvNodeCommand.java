package io.axivon.node.kv;

import io.axivon.common.config.ConfigLoader;
import io.axivon.common.config.Overrides;
import io.axivon.common.metrics.Metrics;
import io.axivon.common.metrics.MetricsServer;
import io.axivon.kv.node.KvNode;
import io.axivon.node.cli.ExitCodes;
import io.axivon.node.cli.JsonOutput;
import io.axivon.node.cli.UntilStopped;
import io.axivon.storage.flow.ChainFlowView;
import java.io.PrintWriter;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(
    name = "kv-node",
    mixinStandardHelpOptions = true,
    description =
        "Run a KV node until Ctrl-C or SIGTERM: follows the flow module on chain 0, downloads the KV transactions of its streams from storage nodes, replays them into LMDB and serves 0G's kv_* JSON-RPC (specs/kv.md, specs/kv-rpc.md). Settings come from --config FILE, then flags, which win (keys in specs/cli.md).")
public final class KvNodeCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(names = "--config", paramLabel = "FILE", description = "Config file (YAML or JSON).")
  Path config;

  @Option(
      names = "--streams",
      paramLabel = "ID,…",
      split = ",",
      description = "Stream ids to replay (0x + 64 hex digits), or all.")
  List<String> streams;

  @Option(
      names = "--data-dir",
      paramLabel = "DIR",
      description = "KV state and flow index (default ./kv-data).")
  String dataDir;

  @Option(names = "--rpc-host", description = "kv_* JSON-RPC address (default 127.0.0.1).")
  String rpcHost;

  @Option(names = "--rpc-port", description = "kv_* JSON-RPC port (default 6789; 0 picks one).")
  String rpcPort;

  @Option(
      names = "--chain-rpc",
      paramLabel = "URL",
      description = "Chain 0's Ethereum JSON-RPC (default http://127.0.0.1:8545/).")
  String chainRpc;

  @Option(
      names = "--flow",
      paramLabel = "ADDR",
      description = "The flow module (default the devnet's 0x…1001).")
  String flow;

  @Option(
      names = "--storage-node",
      paramLabel = "URL",
      description = "A storage node's zgs_* RPC (repeatable; default http://127.0.0.1:5678/).")
  List<String> storageNodes;

  @Option(names = "--poll-ms", description = "Wait between polls of the chain (default 1000).")
  String pollMs;

  @Option(
      names = "--metrics-port",
      description = "Prometheus /metrics port (default 9430; 0 picks one).")
  String metricsPort;

  @Option(names = "--json", description = "Print the node's endpoints as one JSON document.")
  boolean json;

  Map<String, String> overrides() {
    return new Overrides()
        .put("data-dir", dataDir)
        .put("rpc.host", rpcHost)
        .put("rpc.port", rpcPort)
        .put("chain.rpc", chainRpc)
        .put("chain.flow", flow)
        .put("chain.poll-ms", pollMs)
        .putList("streams", streams)
        .putList("storage-nodes", storageNodes)
        .put("metrics.port", metricsPort)
        .toMap();
  }

  static KvNode.Config nodeConfig(KvNodeConfig cfg, Path dir) {
    return new KvNode.Config(
        dir,
        new InetSocketAddress(cfg.rpc().host(), cfg.rpc().port()),
        cfg.streamFilter(),
        cfg.storageNodeUrls(),
        cfg.chain().pollInterval());
  }

  @Override
  public Integer call() throws InterruptedException {
    KvNodeConfig cfg =
        ConfigLoader.load(KvNodeConfig.class, Optional.ofNullable(config), overrides());
    Path base = config == null ? Path.of(".") : config.toAbsolutePath().getParent();
    Path dir = base.resolve(cfg.dataDir()).toAbsolutePath().normalize();
    Metrics metrics = Metrics.withJvmCollectors();
    KvNode node =
        KvNode.startFollowingChain(
            nodeConfig(cfg, dir),
            ChainFlowView.Config.of(cfg.chain().rpcUrl(), cfg.chain().flowAddress())
                .withPollInterval(cfg.chain().pollInterval()),
            metrics.registry());
    MetricsServer server;
    try {
      server = MetricsServer.start(metrics, cfg.metrics().host(), cfg.metrics().port());
    } catch (RuntimeException e) {
      node.close();
      throw e;
    }
    PrintWriter out = spec.commandLine().getOut();
    String metricsUrl = "http://" + server.host() + ":" + server.port() + "/metrics";
    String held = String.join(",", cfg.streams());
    if (json) {
      Map<String, Object> doc = new LinkedHashMap<>();
      doc.put("rpc", node.rpcUri().toString());
      doc.put("chainRpc", cfg.chain().rpc());
      doc.put("flow", cfg.chain().flowAddress().toString());
      doc.put("streams", cfg.streams());
      doc.put("storageNodes", cfg.storageNodes());
      doc.put("dataDir", dir.toString());
      doc.put("metrics", metricsUrl);
      JsonOutput.print(out, doc);
    } else {
      out.println(
          "Axivon KV node following the flow "
              + cfg.chain().flowAddress()
              + " on "
              + cfg.chain().rpc());
      out.println("  rpc      " + node.rpcUri());
      out.println("  streams  " + held);
      out.println("  storage  " + String.join(", ", cfg.storageNodes()));
      out.println("  data dir " + dir);
      out.println("  metrics  " + metricsUrl);
      out.flush();
    }
    UntilStopped.run(
        () -> {
          node.close();
          server.close();
        },
        () -> System.err.println("axivon: kv node stopped"));
    return ExitCodes.OK;
  }
}
