package io.axivon.node.storage;

import io.axivon.common.config.ConfigLoader;
import io.axivon.common.config.Overrides;
import io.axivon.common.crypto.secp256k1.Secp256k1PrivateKey;
import io.axivon.common.metrics.Metrics;
import io.axivon.common.metrics.MetricsServer;
import io.axivon.common.time.Clock;
import io.axivon.node.cli.ExitCodes;
import io.axivon.node.cli.JsonOutput;
import io.axivon.node.cli.UntilStopped;
import io.axivon.node.p2pnode.NodeKeyFile;
import io.axivon.p2p.NodeKey;
import io.axivon.p2p.P2pConfig;
import io.axivon.p2p.P2pLimits;
import io.axivon.sdk.eth.EthClient;
import io.axivon.sdk.mining.MiningClient;
import io.axivon.sdk.rpc.JsonRpcClient;
import io.axivon.storage.flow.ChainFlowView;
import io.axivon.storage.mining.MinerMetrics;
import io.axivon.storage.mining.MiningChain;
import io.axivon.storage.mining.MiningService;
import io.axivon.storage.mining.NodeFlowUnits;
import io.axivon.storage.node.StorageNode;
import io.axivon.storage.node.StorageService;
import io.axivon.storage.sync.SyncSettings;
import io.prometheus.client.CollectorRegistry;
import java.io.PrintWriter;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.apache.tuweni.bytes.Bytes32;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(
    name = "storage-node",
    mixinStandardHelpOptions = true,
    description =
        "Run a storage node until Ctrl-C or SIGTERM: follows the flow module on chain 0 over JSON-RPC, keeps the segments of its shard in LMDB and serves 0G's zgs_* JSON-RPC, with Prometheus /metrics. Settings come from --config FILE, then flags, which win (keys in specs/cli.md).")
public final class StorageNodeCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(names = "--config", paramLabel = "FILE", description = "Config file (YAML or JSON).")
  Path config;

  @Option(
      names = "--data-dir",
      paramLabel = "DIR",
      description = "Segment store and flow index (default ./storage-data).")
  String dataDir;

  @Option(names = "--rpc-host", description = "zgs_* JSON-RPC address (default 127.0.0.1).")
  String rpcHost;

  @Option(names = "--rpc-port", description = "zgs_* JSON-RPC port (default 5678; 0 picks one).")
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
      names = "--shard",
      paramLabel = "INDEX/COUNT",
      description = "The part of the log kept (default 0/1: all of it).")
  String shard;

  @Option(names = "--poll-ms", description = "Wait between polls of the chain (default 1000).")
  String pollMs;

  @Option(
      names = "--metrics-port",
      description = "Prometheus /metrics port (default 9420; 0 picks one).")
  String metricsPort;

  @Option(
      names = "--p2p-port",
      description =
          "Join the storage P2P network on this port and sync segments with peers (default off; 0 picks a port).")
  String p2pPort;

  @Option(
      names = "--peer",
      paramLabel = "ID@HOST:PORT",
      description = "A static storage peer (repeatable); turns P2P sync on.")
  List<String> peers;

  @Option(
      names = "--mine",
      description = "Mine: seal the stored log and submit PoRA answers (needs --miner-key).")
  boolean mine;

  @Option(
      names = "--miner-key",
      paramLabel = "FILE",
      description =
          "The miner's secp256k1 key file (64 hex digits): registers the miner id, pays gas, receives rewards.")
  String minerKey;

  @Option(
      names = "--mining-threads",
      paramLabel = "N",
      description = "PoRA search threads (default 0: every core).")
  String miningThreads;

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
        .put("shard", shard)
        .put("metrics.port", metricsPort)
        .put("p2p.port", p2pPort)
        .putList("p2p.peers", peers)
        .put("mining.key", minerKey)
        .put("mining.threads", miningThreads)
        .putTrueIf("mining.enabled", mine)
        .putTrueIf("p2p.enabled", p2pPort != null || peers != null)
        .toMap();
  }

  /** The node's settings and how it follows the chain, from a loaded config. */
  static StorageNode.Config nodeConfig(StorageNodeConfig cfg, Path dir, long chainId) {
    StorageNode.Config node =
        new StorageNode.Config(
            dir,
            new InetSocketAddress(cfg.rpc().host(), cfg.rpc().port()),
            cfg.shardConfig(),
            new StorageService.NetworkIdentity(chainId, cfg.chain().flowAddress().toString()));
    if (!cfg.p2p().enabled()) {
      return node;
    }
    NodeKey key = NodeKeyFile.loadOrCreate(dir.resolve("node.key"));
    P2pConfig p2p =
        new P2pConfig(
            cfg.p2p().host(),
            cfg.p2p().port(),
            key,
            cfg.p2p().networkId(),
            cfg.p2p().peerAddresses(),
            P2pLimits.defaults());
    return node.withSync(SyncSettings.defaults(p2p));
  }

  static ChainFlowView.Config chainConfig(StorageNodeConfig cfg) {
    return ChainFlowView.Config.of(cfg.chain().rpcUrl(), cfg.chain().flowAddress())
        .withPollInterval(cfg.chain().pollInterval());
  }

  @Override
  public Integer call() throws InterruptedException {
    StorageNodeConfig cfg =
        ConfigLoader.load(StorageNodeConfig.class, Optional.ofNullable(config), overrides());
    Path base = config == null ? Path.of(".") : config.toAbsolutePath().getParent();
    Path dir = base.resolve(cfg.dataDir()).toAbsolutePath().normalize();
    long chainId = chainId(cfg);
    Metrics metrics = Metrics.withJvmCollectors();
    StorageNode node =
        StorageNode.startFollowingChain(
            nodeConfig(cfg, dir, chainId), chainConfig(cfg), metrics.registry());
    MetricsServer server;
    MiningService miner = null;
    try {
      if (cfg.mining().enabled()) {
        miner = startMining(cfg, base, dir, node, metrics.registry());
      }
      server = MetricsServer.start(metrics, cfg.metrics().host(), cfg.metrics().port());
    } catch (RuntimeException | InterruptedException e) {
      if (miner != null) {
        miner.close();
      }
      node.close();
      throw e;
    }
    MiningService mining = miner;
    PrintWriter out = spec.commandLine().getOut();
    String metricsUrl = "http://" + server.host() + ":" + server.port() + "/metrics";
    if (json) {
      Map<String, Object> doc = new LinkedHashMap<>();
      doc.put("rpc", node.rpcUri().toString());
      doc.put("chainRpc", cfg.chain().rpc());
      doc.put("chainId", chainId);
      doc.put("flow", cfg.chain().flowAddress().toString());
      doc.put("shard", cfg.shardConfig().shardId() + "/" + cfg.shardConfig().numShard());
      doc.put("dataDir", dir.toString());
      doc.put("metrics", metricsUrl);
      node.p2p().ifPresent(p -> doc.put("p2p", p.localAddress().toString()));
      if (mining != null) {
        doc.put("minerId", mining.minerId().toHexString());
      }
      JsonOutput.print(out, doc);
    } else {
      out.println(
          "Axivon storage node following the flow "
              + cfg.chain().flowAddress()
              + " on "
              + cfg.chain().rpc()
              + " (EVM chain id "
              + chainId
              + ")");
      out.println("  rpc      " + node.rpcUri());
      out.println("  shard    " + cfg.shardConfig().shardId() + "/" + cfg.shardConfig().numShard());
      out.println("  data dir " + dir);
      out.println("  metrics  " + metricsUrl);
      node.p2p().ifPresent(p -> out.println("  p2p      " + p.localAddress()));
      if (mining != null) {
        out.println("  miner    " + mining.minerId().toHexString());
      }
      out.flush();
    }
    UntilStopped.run(
        () -> {
          if (mining != null) {
            mining.close();
          }
          node.close();
          server.close();
        },
        () -> System.err.println("axivon: storage node stopped"));
    return ExitCodes.OK;
  }

  /**
   * Starts the miner over the node's segment store and flow follower: registers the miner id of the
   * key and salt if needed, keeps the sealed copy in {@code dir/mining}.
   */
  static MiningService startMining(
      StorageNodeConfig cfg, Path base, Path dir, StorageNode node, CollectorRegistry registry)
      throws InterruptedException {
    StorageNodeConfig.Mining m = cfg.mining();
    Secp256k1PrivateKey key = MinerKeyFile.load(base.resolve(m.key()));
    EthClient eth = new EthClient(new JsonRpcClient(cfg.chain().rpcUrl(), Duration.ofSeconds(10)));
    MiningClient client =
        new MiningClient(
            eth, cfg.chain().flowAddress(), MiningClient.MINING_ADDRESS, Duration.ofSeconds(60));
    MiningService service =
        new MiningService(
            new MiningService.Config(
                dir.resolve("mining"),
                m.searchThreads(),
                m.sealUnitsPerSecond(),
                cfg.chain().pollInterval(),
                1 << 14,
                cfg.shardConfig()), // a sharded node mines its shard (specs/pora.md section 4)
            MiningChain.of(client, key, Bytes32.fromHexString(m.salt())),
            new NodeFlowUnits(node.chainFlow().orElseThrow(), node.store()),
            new MinerMetrics(registry),
            Clock.system());
    service.start();
    return service;
  }

  /** The followed chain's id, which zgs_getStatus reports; a node that is not up fails here. */
  private static long chainId(StorageNodeConfig cfg) {
    try {
      return new EthClient(new JsonRpcClient(cfg.chain().rpcUrl(), Duration.ofSeconds(10)))
          .chainId();
    } catch (RuntimeException e) {
      throw new IllegalStateException(
          "cannot reach chain RPC " + cfg.chain().rpc() + ": " + e.getMessage(), e);
    }
  }
}
