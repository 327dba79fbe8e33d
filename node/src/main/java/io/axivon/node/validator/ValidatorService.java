package io.axivon.node.validator;

import io.axivon.common.InvalidInputException;
import io.axivon.common.crypto.bls.BlsPublicKey;
import io.axivon.common.crypto.bls.BlsSecretKey;
import io.axivon.common.crypto.secp256k1.Address;
import io.axivon.common.crypto.secp256k1.Secp256k1PrivateKey;
import io.axivon.common.time.Clock;
import io.axivon.consensus.app.Application;
import io.axivon.consensus.app.KvApplication;
import io.axivon.consensus.cluster.SetChangeRelay;
import io.axivon.consensus.cluster.SetChangeSource;
import io.axivon.consensus.execution.EvmApplication;
import io.axivon.consensus.execution.EvmChain;
import io.axivon.consensus.execution.cluster.Chain0LightClientModule;
import io.axivon.consensus.execution.cluster.ClusterSets;
import io.axivon.consensus.execution.cluster.CrossChainModule;
import io.axivon.consensus.execution.da.DaConfig;
import io.axivon.consensus.execution.da.DataAvailabilityModule;
import io.axivon.consensus.execution.flow.FlowConfig;
import io.axivon.consensus.execution.flow.FlowModule;
import io.axivon.consensus.execution.mining.MiningConfig;
import io.axivon.consensus.execution.mining.MiningModule;
import io.axivon.consensus.execution.serving.ServingConfig;
import io.axivon.consensus.execution.serving.ServingModule;
import io.axivon.consensus.execution.staking.StakingConfig;
import io.axivon.consensus.execution.staking.StakingModule;
import io.axivon.consensus.execution.system.SystemModule;
import io.axivon.consensus.execution.system.SystemModules;
import io.axivon.consensus.execution.tx.SenderCache;
import io.axivon.consensus.mempool.Mempool;
import io.axivon.consensus.mempool.MempoolConfig;
import io.axivon.consensus.node.ConsensusGenesis;
import io.axivon.consensus.node.ConsensusMetrics;
import io.axivon.consensus.node.ValidatorNode;
import io.axivon.consensus.rpc.ChainBackend;
import io.axivon.consensus.rpc.EthApi;
import io.axivon.consensus.rpc.EthRpcServer;
import io.axivon.consensus.rpc.RpcConfig;
import io.axivon.consensus.types.BlockHeader;
import io.axivon.p2p.NodeKey;
import io.axivon.p2p.P2pConfig;
import io.axivon.p2p.P2pLimits;
import io.axivon.p2p.P2pNode;
import io.axivon.p2p.PeerAddress;
import io.prometheus.client.CollectorRegistry;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import org.apache.tuweni.bytes.Bytes;

/**
 * One validator (or full node) of one or more chains: one P2P node shared by all of them (each
 * chain on its own topics) and, per chain, a mempool, an application and a consensus node on its
 * own thread, so one chain's load does not stall another's consensus. The application is the EVM
 * when the chain's genesis has an {@code evm} section (the key-value test application otherwise).
 * Chain 0 keeps its data in the data dir itself, chain i in {@code DATA/chains/<chain id>}. {@code
 * axivon validator} runs one; {@code axivon devnet} runs several in one JVM, each with its own
 * sockets and data dir, exactly as separate processes would.
 */
public final class ValidatorService implements AutoCloseable {
  /** Transactions the mempool holds: above go-ethereum's default, for a 1 s block of transfers. */
  static final int MEMPOOL_TXS = 20_000;

  /** Chain-0 blocks scanned at start for set changes to relay again (a few epochs' worth). */
  static final int RELAY_LOOKBACK_BLOCKS = 512;

  /**
   * @param validatorKey empty for a full node
   * @param relayKey the account that pays for relaying equivocation seen on chains i &gt; 0 to
   *     chain 0's staking module (the operator's); empty: this validator does not relay
   */
  public record Settings(
      List<GenesisFile.Contents> chains,
      Path dataDir,
      Optional<BlsSecretKey> validatorKey,
      NodeKey nodeKey,
      long networkId,
      String host,
      int port,
      List<PeerAddress> peers,
      ValidatorConfig.Consensus consensus,
      Optional<RpcConfig> rpc,
      Optional<Secp256k1PrivateKey> relayKey,
      SenderCache senders) {
    /**
     * Settings with a sender cache of this node's own.
     *
     * @param relayKey the fee key that relays evidence from chains above 0 to chain 0, if any
     */
    public Settings(
        List<GenesisFile.Contents> chains,
        Path dataDir,
        Optional<BlsSecretKey> validatorKey,
        NodeKey nodeKey,
        long networkId,
        String host,
        int port,
        List<PeerAddress> peers,
        ValidatorConfig.Consensus consensus,
        Optional<RpcConfig> rpc,
        Optional<Secp256k1PrivateKey> relayKey) {
      this(
          chains,
          dataDir,
          validatorKey,
          nodeKey,
          networkId,
          host,
          port,
          peers,
          consensus,
          rpc,
          relayKey,
          senderCacheFor(chains.size()));
    }

    /**
     * A cache of recovered transaction senders for {@code chains} chains: one may serve every
     * validator of a process (an in-process devnet recovers each signature once, not once per
     * validator); entries are per chain id, so sharing never skips a chain's check.
     */
    public static SenderCache senderCacheFor(int chains) {
      return new SenderCache(EvmChain.SENDER_CACHE_SIZE * Math.max(1, chains));
    }

    /** Settings of a node that relays no evidence. */
    public Settings(
        List<GenesisFile.Contents> chains,
        Path dataDir,
        Optional<BlsSecretKey> validatorKey,
        NodeKey nodeKey,
        long networkId,
        String host,
        int port,
        List<PeerAddress> peers,
        ValidatorConfig.Consensus consensus,
        Optional<RpcConfig> rpc) {
      this(
          chains,
          dataDir,
          validatorKey,
          nodeKey,
          networkId,
          host,
          port,
          peers,
          consensus,
          rpc,
          Optional.empty());
    }

    /** Every EVM chain of the cluster: EVM chain id to consensus chain id. */
    Map<Long, String> chainsById() {
      return cluster(chains);
    }

    public Settings {
      chains = List.copyOf(chains);
      if (chains.isEmpty()) {
        throw new IllegalArgumentException("a validator runs at least one chain");
      }
      if (chains.stream().map(GenesisFile.Contents::chainId).distinct().count() != chains.size()) {
        throw new InvalidInputException("two genesis files name the same chain id");
      }
    }
  }

  /**
   * One chain this validator runs.
   *
   * @param rpc its Ethereum JSON-RPC server, when it runs the EVM and RPC is enabled
   */
  public record Chain(
      ValidatorNode node,
      Optional<EvmChain> evm,
      ConsensusGenesis genesis,
      Optional<EthRpcServer> rpc) {
    /** The JSON-RPC URL, if any. */
    public Optional<String> rpcUrl() {
      return rpc.map(
          r -> "http://" + r.address().getHostString() + ":" + r.address().getPort() + "/");
    }

    void close() {
      rpc.ifPresent(EthRpcServer::close);
      node.close();
      evm.ifPresent(EvmChain::close);
    }
  }

  private final P2pNode p2p;
  private final List<Chain> chains;
  private final Optional<EvidenceRelay> evidenceRelay;

  private ValidatorService(P2pNode p2p, List<Chain> chains, Optional<EvidenceRelay> evidenceRelay) {
    this.p2p = p2p;
    this.chains = List.copyOf(chains);
    this.evidenceRelay = evidenceRelay;
  }

  /** Starts the P2P node and every chain; on failure stops what had started. */
  public static ValidatorService start(Settings s, CollectorRegistry registry) {
    P2pNode p2p =
        new P2pNode(
            new P2pConfig(
                s.host(), s.port(), s.nodeKey(), s.networkId(), s.peers(), P2pLimits.defaults()),
            registry);
    ConsensusMetrics metrics = new ConsensusMetrics(registry);
    List<Chain> started = new ArrayList<>();
    // chain 0's set changes, relayed by this validator's proposals on the other chains
    SetChangeRelay relay = new SetChangeRelay();
    Optional<EvidenceRelay> evidenceRelay = Optional.empty();
    try {
      GenesisFile.Contents first = s.chains().get(0);
      for (int i = 0; i < s.chains().size(); i++) {
        GenesisFile.Contents g = s.chains().get(i);
        Path home = i == 0 ? s.dataDir() : s.dataDir().resolve("chains").resolve(g.chainId());
        Optional<Chain0LightClientModule> follower =
            i == 0 || g.evm().isEmpty() ? Optional.empty() : Optional.of(follower(first, g));
        started.add(startChain(g, home, s, p2p, metrics, follower, relay));
      }
      started.get(0).node().addSetChangeListener(relay::offer);
      evidenceRelay = evidenceRelay(s, started);
      p2p.start();
      for (Chain c : started) {
        c.node().start();
      }
      // what chain 0 decided before a restart, for chains that may not have taken it yet
      started.get(0).node().recentSetChanges(RELAY_LOOKBACK_BLOCKS).forEach(relay::offer);
      // RPC last: it serves a node that is running, chain i on the configured port + i.
      List<Chain> serving = new ArrayList<>();
      for (int i = 0; i < started.size(); i++) {
        serving.add(withRpc(started.get(i), i, s, p2p));
        started.set(i, serving.get(i));
      }
      return new ValidatorService(p2p, serving, evidenceRelay);
    } catch (RuntimeException e) {
      evidenceRelay.ifPresent(EvidenceRelay::close);
      p2p.close();
      for (Chain c : started) {
        c.close();
      }
      throw e;
    }
  }

  /**
   * Equivocation committed on chains i &gt; 0 goes to chain 0's staking, sent by the validator that
   * proposed the block carrying it; a node without a validator or relay key, or whose chain 0 runs
   * no EVM, relays nothing.
   */
  private static Optional<EvidenceRelay> evidenceRelay(Settings s, List<Chain> chains) {
    if (s.validatorKey().isEmpty()
        || s.relayKey().isEmpty()
        || chains.size() < 2
        || chains.get(0).evm().isEmpty()) {
      return Optional.empty();
    }
    EvidenceRelay r =
        new EvidenceRelay(s.relayKey().get(), s.validatorKey().get().publicKey(), chains.get(0));
    for (Chain c : chains.subList(1, chains.size())) {
      r.follow(c.node());
    }
    return Optional.of(r);
  }

  private static Chain withRpc(Chain c, int index, Settings s, P2pNode p2p) {
    if (c.evm().isEmpty() || s.rpc().isEmpty()) {
      return c;
    }
    RpcConfig base = s.rpc().get();
    RpcConfig config = base.port() == 0 ? base : base.withPort(base.port() + index);
    EthRpcServer server =
        new EthRpcServer(
            config, new EthApi(ChainBackend.forNode(c.evm().get(), c.node(), p2p), config));
    server.start();
    return new Chain(c.node(), c.evm(), c.genesis(), Optional.of(server));
  }

  /**
   * A chain's system modules (each when its genesis has the section): on chain 0 staking at
   * 0x…1000, data availability at 0x…1004 (next to staking, whose validators are its operators),
   * the storage flow at 0x…1001, PoRA mining at 0x…1003 (after the flow, whose epoch context its
   * block hook reads) and the compute market's serving ledger at 0x…1005; on chains i &gt; 0 the
   * light client of chain 0 at 0x…1002; on every chain that has one of staking or the light client,
   * cross-chain messages at 0x…1006, checked against the sets they know.
   */
  private static SystemModules systemModules(
      Optional<StakingConfig> staking,
      Optional<FlowConfig> flow,
      Optional<MiningConfig> mining,
      Optional<ServingConfig> serving,
      Optional<DaConfig> da,
      Optional<Chain0LightClientModule> follower,
      long evmChainId,
      Map<Long, String> cluster) {
    List<SystemModule> modules = new ArrayList<>();
    Optional<ClusterSets> sets = Optional.empty();
    if (staking.isPresent()) {
      StakingModule s = new StakingModule(staking.get());
      modules.add(s);
      sets = Optional.of(s.clusterSets());
      da.ifPresent(c -> modules.add(new DataAvailabilityModule(c, s.ledger())));
    }
    flow.ifPresent(c -> modules.add(new FlowModule(c)));
    mining.ifPresent(c -> modules.add(new MiningModule(c)));
    serving.ifPresent(c -> modules.add(new ServingModule(c)));
    if (follower.isPresent()) {
      modules.add(follower.get());
      sets = Optional.of(follower.get().clusterSets());
    }
    sets.ifPresent(s -> modules.add(new CrossChainModule(evmChainId, cluster, s)));
    return modules.isEmpty() ? SystemModules.none() : new SystemModules(modules);
  }

  /** Every EVM chain of the validator's cluster: EVM chain id to consensus chain id. */
  private static Map<Long, String> cluster(List<GenesisFile.Contents> chains) {
    Map<Long, String> out = new java.util.LinkedHashMap<>();
    for (GenesisFile.Contents g : chains) {
      g.evm().ifPresent(e -> out.put(e.chainId(), g.chainId()));
    }
    return out;
  }

  /**
   * The light client of chain 0 that chain {@code g} (i &gt; 0) runs: the cluster shares one
   * validator set, so the chain's genesis must list chain 0's validators.
   */
  private static Chain0LightClientModule follower(
      GenesisFile.Contents chain0, GenesisFile.Contents g) {
    if (!g.validatorSet().equals(chain0.validatorSet())) {
      throw new InvalidInputException(
          "genesis of "
              + g.chainId()
              + ": its validators differ from chain 0's ("
              + chain0.chainId()
              + "): every chain of a cluster starts with chain 0's validator set");
    }
    return new Chain0LightClientModule(chain0.chainId(), chain0.validatorSet());
  }

  private static Chain startChain(
      GenesisFile.Contents g,
      Path home,
      Settings s,
      P2pNode p2p,
      ConsensusMetrics metrics,
      Optional<Chain0LightClientModule> follower,
      SetChangeSource setChanges) {
    Optional<StakingConfig> staking = g.stakingConfig();
    if (staking.isPresent() && !staking.get().genesisValidatorSet().equals(g.validatorSet())) {
      throw new InvalidInputException(
          "genesis of "
              + g.chainId()
              + ": the staking module's first validator set differs from the validators listed"
              + " (is maxValidators below their number?)");
    }
    Optional<EvmChain> evm =
        g.evm()
            .map(
                e ->
                    EvmChain.open(
                        home.resolve("evm"),
                        e,
                        systemModules(
                            staking,
                            g.flowConfig(),
                            g.miningConfig(),
                            g.servingConfig(),
                            g.daConfig(),
                            follower,
                            e.chainId(),
                            s.chainsById()),
                        s.senders()));
    try {
      ConsensusGenesis genesis =
          g.consensus(
              evm.map(c -> c.index().block(0).orElseThrow().stateRoot())
                  .orElseGet(() -> g.appHash().orElseThrow()));
      // The application proposes from the mempool, and the mempool checks with the application.
      Application[] app = new Application[1];
      // Batch checks, re-checks from the checks' memos, hashes from the application's cache.
      Mempool mempool =
          Mempool.of(new MempoolConfig(MEMPOOL_TXS, 64L << 20, 128 << 10, 64, 10), () -> app[0]);
      ValidatorNode[] self = new ValidatorNode[1];
      // No lock around the application: consensus calls come from one thread (optimistic
      // execution settles its own before the next), checks read the committed head's copy, and
      // JSON-RPC reads views of committed state.
      if (evm.isPresent()) {
        Function<BlockHeader, Address> coinbase =
            feeRecipients(g.feeAddresses(), header -> self[0].validatorAt(header));
        app[0] =
            new EvmApplication(
                evm.get(),
                max -> mempool.reap(max, Integer.MAX_VALUE),
                Clock.system(),
                coinbase,
                setChanges);
      } else {
        app[0] =
            new KvApplication(
                System::currentTimeMillis, max -> mempool.reap(max, Integer.MAX_VALUE));
      }
      ValidatorNode node =
          new ValidatorNode(
              new ValidatorNode.Options(
                  genesis,
                  home,
                  s.validatorKey(),
                  s.consensus().timeouts(),
                  s.consensus().maxBlockBytes(),
                  Duration.ofMillis(s.consensus().pollMs())),
              p2p,
              app[0],
              mempool,
              metrics);
      self[0] = node;
      return new Chain(node, evm, genesis, Optional.empty());
    } catch (RuntimeException e) {
      evm.ifPresent(EvmChain::close);
      throw e;
    }
  }

  /**
   * The proposer's fee address; a proposer without one (or unknown) pays its fees to the zero
   * address, i.e. burns them.
   */
  private static Function<BlockHeader, Address> feeRecipients(
      Map<BlsPublicKey, Address> fees, Function<BlockHeader, Optional<BlsPublicKey>> proposer) {
    Address burn = new Address(Bytes.wrap(new byte[Address.SIZE]));
    return header -> proposer.apply(header).map(fees::get).orElse(burn);
  }

  public P2pNode p2p() {
    return p2p;
  }

  /** Every chain, chain 0 first. */
  public List<Chain> chains() {
    return chains;
  }

  /** Chain 0's consensus node. */
  public ValidatorNode node() {
    return chains.get(0).node();
  }

  /** Chain 0's EVM, when it runs one. */
  public Optional<EvmChain> evm() {
    return chains.get(0).evm();
  }

  /** Chain 0's genesis. */
  public ConsensusGenesis genesis() {
    return chains.get(0).genesis();
  }

  @Override
  public void close() {
    evidenceRelay.ifPresent(EvidenceRelay::close);
    // Network first, so no request handler reads a store that is closing.
    p2p.close();
    for (Chain c : chains) {
      c.close();
    }
  }
}
