package io.axivon.node.devnet;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.axivon.common.InvalidInputException;
import io.axivon.common.crypto.bls.BlsSecretKey;
import io.axivon.common.crypto.secp256k1.Secp256k1PrivateKey;
import io.axivon.common.metrics.Metrics;
import io.axivon.common.metrics.MetricsServer;
import io.axivon.common.time.Clock;
import io.axivon.consensus.execution.flow.FlowModule;
import io.axivon.consensus.execution.genesis.Genesis;
import io.axivon.consensus.execution.mining.MiningModule;
import io.axivon.consensus.execution.serving.ServingModule;
import io.axivon.consensus.execution.staking.StakingModule;
import io.axivon.consensus.execution.tx.SenderCache;
import io.axivon.kv.node.KvNode;
import io.axivon.kv.node.StreamFilter;
import io.axivon.node.compute.ComputeGateway;
import io.axivon.node.compute.ComputeGatewayConfig;
import io.axivon.node.explorer.ExplorerServer;
import io.axivon.node.p2pnode.NodeKeyFile;
import io.axivon.node.storage.MinerKeyFile;
import io.axivon.node.validator.GenesisFile;
import io.axivon.node.validator.ValidatorConfig;
import io.axivon.node.validator.ValidatorKeyFile;
import io.axivon.node.validator.ValidatorService;
import io.axivon.p2p.P2pConfig;
import io.axivon.p2p.P2pLimits;
import io.axivon.p2p.P2pNode;
import io.axivon.p2p.PeerAddress;
import io.axivon.sdk.eth.EthClient;
import io.axivon.sdk.mining.MiningClient;
import io.axivon.sdk.rpc.JsonRpcClient;
import io.axivon.storage.flow.ChainFlowView;
import io.axivon.storage.mining.MinerMetrics;
import io.axivon.storage.mining.MiningChain;
import io.axivon.storage.mining.MiningService;
import io.axivon.storage.mining.NodeFlowUnits;
import io.axivon.storage.node.ShardConfig;
import io.axivon.storage.node.StorageNode;
import io.axivon.storage.node.StorageService;
import io.axivon.storage.sync.SyncSettings;
import io.prometheus.client.CollectorRegistry;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.commons.io.file.PathUtils;
import org.apache.tuweni.bytes.Bytes32;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Every Axivon service in one JVM on loopback. Today: chain 0's validators ({@code validators} of
 * them, each with its own P2P sockets, block store and WAL in {@code DIR/validator-i}, exactly as
 * separate processes would run), finding each other through validator 0 and peer exchange, and one
 * Prometheus {@code /metrics} for all of them. The genesis and keys are made on first start and
 * kept in {@code DIR}, so a restart continues the same chain.
 */
public final class Devnet implements AutoCloseable {
  /** Chain 0's id; the devnet's P2P network id, so a devnet never talks to another network. */
  public static final long NETWORK_ID = 12700;

  /** Chain 0's consensus chain id; chain i is {@code axivon-(12700 + i)}. */
  public static final String CHAIN_ID = "axivon-12700";

  /** Consensus chain id of devnet chain {@code i}. */
  public static String chainId(int i) {
    return "axivon-" + (NETWORK_ID + i);
  }

  private static final Logger LOG = LoggerFactory.getLogger(Devnet.class);

  /** Storage nodes the devnet runs, each keeping the whole log of chain 0's flow. */
  public static final int STORAGE_NODES = 2;

  /** Storage node i's P2P port (segment sync) when the devnet uses fixed ports: 30403 + i. */
  public static final int STORAGE_P2P_PORT = 30403;

  /** How often the storage nodes poll chain 0 for flow submissions. */
  private static final Duration STORAGE_POLL = Duration.ofMillis(250);

  /**
   * How to start a devnet.
   *
   * @param p2pBasePort validator i listens on base + i; 0 lets the OS pick every port (tests)
   * @param metricsPort 0 lets the OS pick
   * @param storageBasePort storage node i serves its zgs_* JSON-RPC on base + i; 0 lets the OS pick
   * @param daPort the DA blob API's port (REST and OP Alt-DA); 0 lets the OS pick
   */
  public record Options(
      Path dataDir,
      int validators,
      int chains,
      String host,
      int p2pBasePort,
      int metricsPort,
      int rpcPort,
      int explorerPort,
      int storageBasePort,
      ValidatorConfig.Consensus consensus,
      int computeGatewayPort,
      int daPort) {
    /** Every service on 127.0.0.1 at a port the OS picks: tests and benchmarks. */
    public static Options onFreePorts(
        Path dataDir, int validators, int chains, ValidatorConfig.Consensus consensus) {
      return new Options(dataDir, validators, chains, "127.0.0.1", 0, 0, 0, 0, 0, consensus, 0, 0);
    }

    /** These options with validator i's P2P on {@code base + i}. */
    public Options withP2pBasePort(int base) {
      return new Options(
          dataDir,
          validators,
          chains,
          host,
          base,
          metricsPort,
          rpcPort,
          explorerPort,
          storageBasePort,
          consensus,
          computeGatewayPort,
          daPort);
    }

    public Options {
      if (validators < 1 || validators > 64) {
        throw new InvalidInputException("--validators must be 1..64, got " + validators);
      }
      if (chains < 1 || chains > 16) {
        throw new InvalidInputException("--chains must be 1..16, got " + chains);
      }
      if (p2pBasePort < 0 || p2pBasePort + validators - 1 > 65535) {
        throw new InvalidInputException("--p2p-port must leave room for " + validators + " ports");
      }
      if (metricsPort < 0 || metricsPort > 65535) {
        throw new InvalidInputException("--metrics-port must be 0..65535, got " + metricsPort);
      }
      if (rpcPort < 0 || rpcPort + chains - 1 > 65535) {
        throw new InvalidInputException("--rpc-port must leave room for " + chains + " ports");
      }
      if (explorerPort < 0 || explorerPort > 65535) {
        throw new InvalidInputException("--explorer-port must be 0..65535, got " + explorerPort);
      }
      if (storageBasePort < 0 || storageBasePort + STORAGE_NODES - 1 > 65535) {
        throw new InvalidInputException(
            "--storage-port must leave room for " + STORAGE_NODES + " ports");
      }
      if (computeGatewayPort < 0 || computeGatewayPort > 65535) {
        throw new InvalidInputException(
            "--compute-port must be 0..65535, got " + computeGatewayPort);
      }
      if (daPort < 0 || daPort > 65535) {
        throw new InvalidInputException("--da-port must be 0..65535, got " + daPort);
      }
    }

    /** A devnet's usual pace: a block about every second. */
    public static ValidatorConfig.Consensus defaultConsensus() {
      return new ValidatorConfig.Consensus(1000, 500, 500, 1000, 250, 4L << 20, 250);
    }
  }

  private final Options options;
  private final FileChannel lockChannel;
  private final FileLock lock;
  private final Metrics metrics;
  private final List<ValidatorService> validators = new ArrayList<>();
  private final List<StorageNode> storageNodes = new ArrayList<>();
  private KvNode kvNode;
  private ComputeGateway computeGateway;
  private ComputeGateway erasureGateway;
  private MiningService miner; // storage node 0's, when chain 0 has the mining module
  private DevnetDa da; // chain 0's DA network, when its genesis runs the DA module
  private MetricsServer metricsServer;
  private ExplorerServer explorer;
  private DevnetManifest manifest;

  private Devnet(Options options, FileChannel lockChannel, FileLock lock) {
    this.options = options;
    this.lockChannel = lockChannel;
    this.lock = lock;
    this.metrics = Metrics.withJvmCollectors();
  }

  /** Starts everything; on any failure, stops what had started and rethrows. */
  public static Devnet start(Options options) {
    return start(options, false);
  }

  /**
   * Starts everything, first deleting the devnet in the data dir when {@code fresh} (under the data
   * dir's lock, so never under a running devnet); on any failure, stops what had started and
   * rethrows.
   */
  public static Devnet start(Options options, boolean fresh) {
    Path dir = options.dataDir().toAbsolutePath();
    Devnet devnet = lockDataDir(options, dir);
    try {
      if (fresh) {
        wipe(dir);
      }
      devnet.startServices(dir);
      return devnet;
    } catch (RuntimeException e) {
      devnet.close();
      throw e;
    }
  }

  /**
   * Deletes everything in {@code dir} but its lock file; refuses a directory that holds files but
   * no devnet genesis, so a mistyped --data-dir never loses someone's files.
   */
  private static void wipe(Path dir) {
    Path lockFile = dir.resolve("devnet.lock");
    try (var entries = Files.list(dir)) {
      List<Path> all = entries.filter(p -> !p.equals(lockFile)).toList();
      if (!all.isEmpty() && !Files.exists(dir.resolve("genesis.json"))) {
        throw new InvalidInputException(
            "--fresh refuses to empty " + dir + ": it holds files but no devnet (no genesis.json)");
      }
      for (Path top : all) {
        PathUtils.delete(top);
      }
    } catch (IOException e) {
      throw new InvalidInputException("cannot empty " + dir + " for --fresh: " + e.getMessage());
    }
  }

  private static Devnet lockDataDir(Options options, Path dir) {
    try {
      Files.createDirectories(dir);
      FileChannel channel =
          FileChannel.open(
              dir.resolve("devnet.lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
      FileLock lock;
      try {
        lock = channel.tryLock();
      } catch (OverlappingFileLockException e) {
        lock = null;
      }
      if (lock == null) {
        channel.close();
        throw new InvalidInputException(
            "another devnet is running with data dir " + dir + ": stop it or pass --data-dir");
      }
      return new Devnet(options, channel, lock);
    } catch (IOException e) {
      throw new InvalidInputException("cannot use data dir " + dir + ": " + e.getMessage());
    }
  }

  private void startServices(Path dir) {
    List<GenesisFile.Contents> genesis = genesis(dir);
    Map<String, CollectorRegistry> registries = new LinkedHashMap<>();
    // every validator of this process recovers a transaction's sender once, not once each
    SenderCache senders = ValidatorService.Settings.senderCacheFor(genesis.size());
    for (int i = 0; i < options.validators(); i++) {
      Path home = dir.resolve("validator-" + i);
      int port = options.p2pBasePort() == 0 ? 0 : options.p2pBasePort() + i;
      // Validator 0 is everyone's bootstrap; peer exchange fills in the rest of the mesh.
      List<PeerAddress> bootstrap =
          i == 0 ? List.of() : List.of(validators.get(0).p2p().localAddress());
      CollectorRegistry registry = new CollectorRegistry();
      validators.add(
          ValidatorService.start(
              new ValidatorService.Settings(
                  genesis,
                  home.resolve("data"),
                  Optional.of(ValidatorKeyFile.load(home.resolve("validator.key"))),
                  NodeKeyFile.loadOrCreate(home.resolve("data").resolve("node.key")),
                  NETWORK_ID,
                  options.host(),
                  port,
                  bootstrap,
                  options.consensus(),
                  // Validator 0 serves every chain's JSON-RPC (8545 + chain); the rest serve none.
                  i == 0
                      ? ValidatorConfig.Rpc.defaults()
                          .config()
                          .map(c -> c.withPort(options.rpcPort()))
                      : Optional.empty(),
                  // the operator's fee key pays to relay evidence from chain i > 0 to chain 0
                  Optional.of(ValidatorKeyFile.loadFeeKey(home.resolve("fee.key"))),
                  senders),
              registry));
      registries.put(Integer.toString(i), registry);
    }
    startStorageNodes(dir, genesis.get(0), registries);
    startKvNode(dir, registries);
    startComputeGateway(dir, genesis.get(0), registries);
    startDa(dir, genesis.get(0), registries);
    metrics.registry().register(new NodeLabelledCollector(registries));
    metricsServer = MetricsServer.start(metrics, options.host(), options.metricsPort());
    manifest = buildManifest(dir, genesis);
    explorer = ExplorerServer.start(options.host(), options.explorerPort(), manifest);
    manifest = manifest.withExplorer(explorer.url());
    writeManifest(dir.resolve("devnet.json"), manifest);
  }

  /**
   * Storage nodes following chain 0's flow through validator 0's JSON-RPC, each with its store in
   * {@code DIR/storage-i} and its metrics labelled {@code node="storage-i"}.
   */
  private void startStorageNodes(
      Path dir, GenesisFile.Contents chain0, Map<String, CollectorRegistry> registries) {
    URI rpc = URI.create(validators.get(0).chains().get(0).rpcUrl().orElseThrow());
    long evmChainId = chain0.evm().orElseThrow().chainId();
    for (int i = 0; i < STORAGE_NODES; i++) {
      int port = options.storageBasePort() == 0 ? 0 : options.storageBasePort() + i;
      CollectorRegistry registry = new CollectorRegistry();
      // Storage nodes sync missing segments from each other over P2P: each peers with the earlier
      // ones.
      int p2pPort = options.p2pBasePort() == 0 ? 0 : STORAGE_P2P_PORT + i;
      List<PeerAddress> peers =
          storageNodes.stream().flatMap(n -> n.p2p().stream()).map(P2pNode::localAddress).toList();
      P2pConfig p2p =
          new P2pConfig(
              options.host(),
              p2pPort,
              NodeKeyFile.loadOrCreate(dir.resolve("storage-" + i).resolve("node.key")),
              NETWORK_ID,
              peers,
              P2pLimits.defaults());
      StorageNode.Config config =
          new StorageNode.Config(
                  dir.resolve("storage-" + i),
                  new InetSocketAddress(options.host(), port),
                  ShardConfig.ALL,
                  new StorageService.NetworkIdentity(evmChainId, FlowModule.ADDRESS.toString()))
              .withSync(SyncSettings.defaults(p2p));
      try {
        storageNodes.add(
            StorageNode.startFollowingChain(
                config,
                ChainFlowView.Config.of(rpc, FlowModule.ADDRESS).withPollInterval(STORAGE_POLL),
                registry));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while starting storage node " + i, e);
      }
      registries.put("storage-" + i, registry);
      if (i == 0 && chain0.mining().isPresent()) {
        miner = startMiner(dir.resolve("storage-0"), rpc, storageNodes.get(0), registry);
      }
    }
  }

  /**
   * The KV node: replays the default stream ({@link KvNode#DEFAULT_STREAM}) from chain 0's flow and
   * the storage nodes into {@code DIR/kv}, and serves kv_* JSON-RPC on 6789 (the OS picks when the
   * storage nodes' ports are picked too). The first account to write the default stream becomes its
   * admin, so {@code axivon kv put} from dev account 0 works without set-up.
   */
  private void startKvNode(Path dir, Map<String, CollectorRegistry> registries) {
    URI rpc = URI.create(validators.get(0).chains().get(0).rpcUrl().orElseThrow());
    int port = options.storageBasePort() == 0 ? 0 : KvNode.DEFAULT_PORT;
    KvNode.Config config =
        KvNode.Config.defaults(
                dir.resolve("kv"),
                StreamFilter.of(java.util.Set.of(KvNode.DEFAULT_STREAM)),
                storageNodes.stream().map(StorageNode::rpcUri).toList())
            .withRpcAddress(new InetSocketAddress(options.host(), port))
            .withPollInterval(STORAGE_POLL);
    CollectorRegistry registry = new CollectorRegistry();
    try {
      kvNode =
          KvNode.startFollowingChain(
              config,
              ChainFlowView.Config.of(rpc, FlowModule.ADDRESS).withPollInterval(STORAGE_POLL),
              registry);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while starting the KV node", e);
    }
    registries.put("kv", registry);
  }

  /** The running KV node (the default stream). */
  public KvNode kvNode() {
    return kvNode;
  }

  /**
   * The compute market's demo: one gateway in front of the built-in demo service, which registers
   * the service on chain 0 with its own provider key ({@code DIR/compute-gateway/provider.key},
   * funded at genesis) and journals in the same directory; metrics labelled {@code
   * node="compute-gateway"}. A second gateway ({@code DIR/compute-erasure/}, the port after it)
   * sells the built-in erasure-encode service with a provider key of its own (its own nonces: one
   * gateway per provider); data dirs made before it existed have no such key and run none. Chains
   * whose genesis has no serving module (older data dirs) get neither.
   */
  private void startComputeGateway(
      Path dir, GenesisFile.Contents chain0, Map<String, CollectorRegistry> registries) {
    if (chain0.serving().isEmpty()) {
      return;
    }
    ComputeGatewayConfig d = ComputeGatewayConfig.defaults();
    computeGateway =
        startGateway(
            dir.resolve(COMPUTE_GATEWAY),
            options.computeGatewayPort(),
            ComputeGatewayConfig.DEMO,
            d.service(),
            registries,
            COMPUTE_GATEWAY);
    if (Files.exists(erasureKeyFile(dir))) {
      int port = options.computeGatewayPort() == 0 ? 0 : options.computeGatewayPort() + 1;
      erasureGateway =
          startGateway(
              dir.resolve(COMPUTE_ERASURE),
              port,
              ComputeGatewayConfig.ERASURE,
              new ComputeGatewayConfig.Service(
                  io.axivon.compute.demo.ErasureEncodeService.SERVICE_NAME,
                  "erasure",
                  "",
                  "reed-solomon-isal-cauchy",
                  "1",
                  "1",
                  "signed-response",
                  true),
              registries,
              COMPUTE_ERASURE);
    }
  }

  private ComputeGateway startGateway(
      Path home,
      int port,
      String upstream,
      ComputeGatewayConfig.Service service,
      Map<String, CollectorRegistry> registries,
      String label) {
    ComputeGatewayConfig d = ComputeGatewayConfig.defaults();
    ComputeGatewayConfig cfg =
        new ComputeGatewayConfig(
            port,
            upstream,
            "provider.key",
            "journal.log",
            d.maxBodyBytes(),
            false,
            new ComputeGatewayConfig.Chain(
                validators.get(0).chains().get(0).rpcUrl().orElseThrow(),
                ServingModule.ADDRESS.toString()),
            service,
            // small batches, settled every second: the devnet shows settlement at once
            new ComputeGatewayConfig.Settlement(10, 1000),
            d.metrics(),
            "");
    CollectorRegistry registry = new CollectorRegistry();
    ComputeGateway g;
    try {
      g =
          ComputeGateway.start(
              cfg,
              ValidatorKeyFile.loadFeeKey(home.resolve("provider.key")),
              // MCP's call_service pays with the last development account
              Optional.of(
                  io.axivon.common.crypto.secp256k1.HdKeys.ethereumAccount(
                      Genesis.DEV_MNEMONIC, "", MCP_DEV_ACCOUNT)),
              home.resolve("journal.log"),
              registry);
    } catch (java.io.IOException e) {
      throw new IllegalStateException(
          "cannot start the compute gateway " + label + ": " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while starting the compute gateway", e);
    }
    registries.put(label, registry);
    return g;
  }

  /** The development account whose key the devnet gateway's MCP call_service pays with. */
  public static final int MCP_DEV_ACCOUNT = 9;

  /** The compute gateway's home in the data dir, and its metrics label. */
  private static final String COMPUTE_GATEWAY = "compute-gateway";

  private static Path providerKeyFile(Path dir) {
    return dir.resolve(COMPUTE_GATEWAY).resolve("provider.key");
  }

  /** The erasure-encode gateway's home in the data dir, and its metrics label. */
  private static final String COMPUTE_ERASURE = "compute-erasure";

  private static Path erasureKeyFile(Path dir) {
    return dir.resolve(COMPUTE_ERASURE).resolve("provider.key");
  }

  /**
   * Chain 0's DA network ({@link DevnetDa}): a DA node per validator, run for its operator, and one
   * disperser behind the blob API. Chains whose genesis has no DA module, or data dirs made before
   * the devnet funded a disperser, get none.
   */
  private void startDa(
      Path dir, GenesisFile.Contents chain0, Map<String, CollectorRegistry> registries) {
    if (chain0.da().isEmpty() || !Files.exists(DevnetDa.disperserKeyFile(dir))) {
      LOG.info("chain 0 has no DA module or no funded disperser: the devnet runs no DA network");
      return;
    }
    List<io.axivon.common.crypto.secp256k1.Secp256k1PrivateKey> operatorKeys = new ArrayList<>();
    for (int i = 0; i < options.validators(); i++) {
      operatorKeys.add(
          ValidatorKeyFile.loadFeeKey(dir.resolve("validator-" + i).resolve("fee.key")));
    }
    da =
        DevnetDa.start(
            new DevnetDa.Settings(
                dir,
                options.host(),
                options.p2pBasePort() == 0 ? 0 : DevnetDa.DA_P2P_PORT,
                options.daPort(),
                NETWORK_ID,
                URI.create(validators.get(0).chains().get(0).rpcUrl().orElseThrow()),
                chain0.da().get().minDisperserBondWei()),
            operatorKeys,
            registries);
  }

  /** Chain 0's DA network, when the devnet runs one. */
  public Optional<DevnetDa> da() {
    return Optional.ofNullable(da);
  }

  /** The running compute gateway (in front of the demo service), if chain 0 runs the market. */
  public Optional<ComputeGateway> computeGateway() {
    return Optional.ofNullable(computeGateway);
  }

  /**
   * The running erasure-encode gateway, if chain 0 runs the market and the data dir has its key.
   */
  public Optional<ComputeGateway> erasureGateway() {
    return Optional.ofNullable(erasureGateway);
  }

  /** Storage node i's miner key: made with the genesis (which funds it), then read back. */
  static Path minerKeyFile(Path dir, int i) {
    return dir.resolve("storage-" + i).resolve("miner.key");
  }

  // Storage node 0 mines with its own funded key (never a development account), on one thread.
  private static MiningService startMiner(
      Path home, URI rpc, StorageNode node, CollectorRegistry registry) {
    Secp256k1PrivateKey key = MinerKeyFile.load(home.resolve("miner.key"));
    EthClient eth = new EthClient(new JsonRpcClient(rpc, Duration.ofSeconds(10)));
    MiningService s =
        new MiningService(
            new MiningService.Config(home.resolve("mining"), 1, 4096, STORAGE_POLL, 1 << 12),
            MiningChain.of(
                new MiningClient(
                    eth, FlowModule.ADDRESS, MiningModule.ADDRESS, Duration.ofSeconds(60)),
                key,
                Bytes32.ZERO),
            new NodeFlowUnits(node.chainFlow().orElseThrow(), node.store()),
            new MinerMetrics(registry),
            Clock.system());
    try {
      s.start();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while registering the miner", e);
    }
    return s;
  }

  /** Storage node 0's miner, when chain 0 runs the mining module. */
  public Optional<MiningService> miner() {
    return Optional.ofNullable(miner);
  }

  /** The devnet's genesis and validator keys: made on first start, then read back. */
  private List<GenesisFile.Contents> genesis(Path dir) {
    Path file = dir.resolve("genesis.json");
    if (Files.exists(file)) {
      List<GenesisFile.Contents> chains = new ArrayList<>();
      chains.add(GenesisFile.read(file));
      for (int i = 1; i < options.chains(); i++) {
        Path more = dir.resolve("genesis-" + i + ".json");
        chains.add(
            Files.exists(more)
                ? GenesisFile.read(more)
                : chainGenesis(
                    i, chains.get(0).genesisTimeMillis(), chains.get(0).validators(), List.of()));
        if (!Files.exists(more)) {
          GenesisFile.write(more, chains.get(i));
        }
      }
      GenesisFile.Contents g = chains.get(0);
      if (g.validators().size() != options.validators()) {
        throw new InvalidInputException(
            "the devnet in "
                + dir
                + " has "
                + g.validators().size()
                + " validators, not "
                + options.validators()
                + ": pass --validators "
                + g.validators().size()
                + " or use a fresh --data-dir");
      }
      return chains;
    }
    SecureRandom random = new SecureRandom();
    List<GenesisFile.GenesisValidator> set = new ArrayList<>();
    for (int i = 0; i < options.validators(); i++) {
      Path home = dir.resolve("validator-" + i);
      Path keyFile = home.resolve("validator.key");
      BlsSecretKey key =
          Files.exists(keyFile)
              ? ValidatorKeyFile.load(keyFile)
              : ValidatorKeyFile.create(keyFile, random);
      Path feeFile = home.resolve("fee.key");
      var fee =
          Files.exists(feeFile)
              ? ValidatorKeyFile.loadFeeKey(feeFile)
              : ValidatorKeyFile.createFeeKey(feeFile, random);
      set.add(new GenesisFile.GenesisValidator(key.publicKey(), 100, Optional.of(fee.address())));
    }
    Path minerFile = minerKeyFile(dir, 0);
    var minerKey =
        Files.exists(minerFile)
            ? MinerKeyFile.load(minerFile)
            : MinerKeyFile.create(minerFile, random);
    Path providerFile = providerKeyFile(dir);
    var provider =
        Files.exists(providerFile)
            ? ValidatorKeyFile.loadFeeKey(providerFile)
            : ValidatorKeyFile.createFeeKey(providerFile, random);
    Path erasureFile = erasureKeyFile(dir);
    var erasureProvider =
        Files.exists(erasureFile)
            ? ValidatorKeyFile.loadFeeKey(erasureFile)
            : ValidatorKeyFile.createFeeKey(erasureFile, random);
    Path disperserFile = DevnetDa.disperserKeyFile(dir);
    var disperserKey =
        Files.exists(disperserFile)
            ? ValidatorKeyFile.loadFeeKey(disperserFile)
            : ValidatorKeyFile.createFeeKey(disperserFile, random);
    long now = System.currentTimeMillis();
    List<GenesisFile.Contents> chains = new ArrayList<>();
    for (int i = 0; i < options.chains(); i++) {
      GenesisFile.Contents g =
          chainGenesis(
              i,
              now,
              set,
              List.of(
                  provider.address(),
                  minerKey.address(),
                  disperserKey.address(),
                  erasureProvider.address()));
      GenesisFile.write(i == 0 ? file : dir.resolve("genesis-" + i + ".json"), g);
      chains.add(g);
    }
    return chains;
  }

  /** What chain 0's genesis gives each validator's operator (fee) account. */
  static final java.math.BigInteger OPERATOR_FUNDS =
      Genesis.AXN.multiply(java.math.BigInteger.valueOf(100));

  static List<io.axivon.common.crypto.secp256k1.Address> operators(
      List<GenesisFile.GenesisValidator> validators) {
    return validators.stream().flatMap(v -> v.feeAddress().stream()).toList();
  }

  /**
   * Chain i: the same validators, its own chain ids, the development accounts funded; chain 0 also
   * funds the validators' operators and the devnet's own service accounts ({@code more}: the
   * compute gateway's provider, storage node 0's miner, the DA disperser) and runs the chain-0
   * modules.
   */
  private static GenesisFile.Contents chainGenesis(
      int i,
      long timeMillis,
      List<GenesisFile.GenesisValidator> validators,
      List<io.axivon.common.crypto.secp256k1.Address> more) {
    List<io.axivon.common.crypto.secp256k1.Address> funded = new ArrayList<>(operators(validators));
    funded.addAll(more);
    if (i != 0) {
      return GenesisFile.Contents.evm(
          chainId(i), timeMillis, validators, Genesis.devnet(NETWORK_ID + i));
    }
    // Chain 0 funds the validators' operator accounts (they pay to relay evidence there) and holds
    // the stake of the whole cluster, data availability, the storage flow and its mining, and the
    // compute market.
    return GenesisFile.Contents.evm(
            chainId(0),
            timeMillis,
            validators,
            Genesis.devnet(NETWORK_ID).funding(funded, OPERATOR_FUNDS))
        .withStaking(GenesisFile.Staking.devnet())
        .withFlow(GenesisFile.Flow.devnet())
        .withMining(GenesisFile.Mining.devnet())
        .withServing(GenesisFile.Serving.devnet())
        .withDa(GenesisFile.Da.devnet());
  }

  private DevnetManifest buildManifest(Path dir, List<GenesisFile.Contents> genesis) {
    List<DevnetManifest.P2pEndpoint> endpoints = new ArrayList<>();
    for (int i = 0; i < validators.size(); i++) {
      PeerAddress address = validators.get(i).p2p().localAddress();
      endpoints.add(
          new DevnetManifest.P2pEndpoint(
              i,
              address.id().toHex(),
              address.address().getHostString() + ":" + address.address().getPort(),
              address.toString()));
    }
    List<DevnetManifest.ChainEndpoint> chains = new ArrayList<>();
    for (int i = 0; i < genesis.size(); i++) {
      chains.add(
          new DevnetManifest.ChainEndpoint(
              i,
              genesis.get(i).chainId(),
              genesis.get(i).evm().orElseThrow().chainId(),
              validators.get(0).chains().get(i).rpcUrl().orElseThrow(),
              contracts(genesis.get(i))));
    }
    String version = Devnet.class.getPackage().getImplementationVersion();
    return new DevnetManifest(
        version == null ? "dev" : version,
        NETWORK_ID,
        genesis.get(0).chainId(),
        dir.toString(),
        "http://" + options.host() + ":" + metricsServer.port() + "/metrics",
        "",
        chains,
        Genesis.devAccounts().stream().map(Object::toString).toList(),
        endpoints,
        storageEndpoints(),
        services(),
        computeEndpoints(),
        da == null ? null : da.endpoint());
  }

  /** The services besides chains, storage nodes and compute gateways, by name and URL. */
  private Map<String, String> services() {
    Map<String, String> out = new LinkedHashMap<>();
    if (kvNode != null) {
      out.put("kv", kvNode.rpcUri().toString());
    }
    return out;
  }

  /** The system modules a chain's genesis turns on, by name. */
  private static Map<String, String> contracts(GenesisFile.Contents g) {
    Map<String, String> out = new LinkedHashMap<>();
    if (g.staking().isPresent()) {
      out.put("staking", StakingModule.ADDRESS.toString());
    }
    if (g.flow().isPresent()) {
      out.put("flow", FlowModule.ADDRESS.toString());
    }
    if (g.serving().isPresent()) {
      out.put("serving", ServingModule.ADDRESS.toString());
    }
    if (g.da().isPresent()) {
      out.put(
          "dataAvailability",
          io.axivon.consensus.execution.da.DataAvailabilityModule.ADDRESS.toString());
    }
    if (g.mining().isPresent()) {
      out.put("mining", MiningModule.ADDRESS.toString());
    }
    if (g.staking().isEmpty()) {
      out.put(
          "chain0LightClient",
          io.axivon.consensus.execution.cluster.Chain0LightClientModule.ADDRESS.toString());
    }
    out.put(
        "crossChain", io.axivon.consensus.execution.cluster.CrossChainModule.ADDRESS.toString());
    return out;
  }

  private static void writeManifest(Path file, DevnetManifest manifest) {
    try {
      Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
      new ObjectMapper()
          .enable(SerializationFeature.INDENT_OUTPUT)
          .writeValue(tmp.toFile(), manifest);
      Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      throw new IllegalStateException("cannot write " + file + ": " + e.getMessage(), e);
    }
  }

  private List<DevnetManifest.StorageEndpoint> storageEndpoints() {
    List<DevnetManifest.StorageEndpoint> out = new ArrayList<>();
    for (int i = 0; i < storageNodes.size(); i++) {
      out.add(
          new DevnetManifest.StorageEndpoint(
              "storage-" + i, storageNodes.get(i).rpcUri().toString()));
    }
    return out;
  }

  private List<DevnetManifest.ComputeEndpoint> computeEndpoints() {
    List<DevnetManifest.ComputeEndpoint> out = new ArrayList<>();
    if (computeGateway != null) {
      out.add(endpoint(COMPUTE_GATEWAY, computeGateway));
    }
    if (erasureGateway != null) {
      out.add(endpoint(COMPUTE_ERASURE, erasureGateway));
    }
    return List.copyOf(out);
  }

  private static DevnetManifest.ComputeEndpoint endpoint(String name, ComputeGateway g) {
    return new DevnetManifest.ComputeEndpoint(
        name,
        g.url().toString(),
        g.service().provider().toString(),
        g.service().name(),
        g.demoUrl().map(Object::toString).orElse(""),
        g.url() + "/mcp");
  }

  /** The running storage nodes, storage node 0 first. */
  public List<StorageNode> storageNodes() {
    return List.copyOf(storageNodes);
  }

  public DevnetManifest manifest() {
    return manifest;
  }

  /** The running P2P nodes, validator 0 first. */
  public List<P2pNode> nodes() {
    return validators.stream().map(ValidatorService::p2p).toList();
  }

  /** Chain 0's validators, validator 0 first. */
  public List<ValidatorService> validators() {
    return List.copyOf(validators);
  }

  /** Stops every service and releases the data dir; idempotent. */
  @Override
  public synchronized void close() {
    // clients of validator 0's RPC first: the DA network (its disperser confirms through it), the
    // KV node, the gateways (they settle through it), the miner and the storage nodes (they poll
    // it)
    stop("the DA network", da);
    da = null;
    stop("the KV node", kvNode);
    kvNode = null;
    stop("the erasure compute gateway", erasureGateway);
    erasureGateway = null;
    stop("the compute gateway", computeGateway);
    computeGateway = null;
    stop("the miner", miner);
    miner = null;
    for (StorageNode n : storageNodes) {
      stop("a storage node", n);
    }
    storageNodes.clear();
    for (ValidatorService v : validators) {
      stop("a validator", v);
    }
    validators.clear();
    if (explorer != null) {
      explorer.close();
      explorer = null;
    }
    if (metricsServer != null) {
      metricsServer.close();
      metricsServer = null;
    }
    try {
      if (lock.isValid()) {
        lock.release();
      }
      lockChannel.close();
    } catch (IOException e) {
      LOG.warn("cannot release the data dir lock: {}", e.toString());
    }
  }

  /** Closes one service, if running; a failure is logged so the others still stop. */
  private static void stop(String what, AutoCloseable service) {
    if (service == null) {
      return;
    }
    try {
      service.close();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      LOG.warn("interrupted while stopping {}", what);
    } catch (Exception e) {
      LOG.warn("cannot stop {} cleanly: {}", what, e.toString());
    }
  }
}
