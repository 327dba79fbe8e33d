package io.axivon.storage.node;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.axivon.common.time.Clock;
import io.axivon.p2p.P2pNode;
import io.axivon.storage.flow.ChainFlowView;
import io.axivon.storage.store.SegmentStore;
import io.axivon.storage.sync.SegmentSync;
import io.axivon.storage.sync.SyncSettings;
import io.prometheus.client.CollectorRegistry;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;

/**
 * A running storage node: its segment store, the service, and the JSON-RPC server. The flow is a
 * {@link FlowView}: the chain follower ({@link #startFollowingChain}) in production, an in-memory
 * view in tests ({@link #start}).
 */
public final class StorageNode implements AutoCloseable {
  private final SegmentStore store;
  private final StorageService service;
  private final StorageRpcServer server;
  private final ChainFlowView chainFlow; // owned and closed by this node, or null
  private final P2pNode p2p; // null without P2P settings
  private final SegmentSync sync; // null without P2P settings

  /**
   * Settings of a storage node.
   *
   * @param dataDir where the LMDB segment store lives
   * @param rpcAddress the JSON-RPC address ({@code 127.0.0.1:5678} by default; port 0 for any)
   * @param shard the part of the log kept
   * @param identity chain id and flow address reported by {@code zgs_getStatus}
   * @param sync P2P network and segment sync settings, or null for a node that only takes uploads
   */
  public record Config(
      Path dataDir,
      InetSocketAddress rpcAddress,
      ShardConfig shard,
      StorageService.NetworkIdentity identity,
      SyncSettings sync) {
    public Config {
      Objects.requireNonNull(dataDir, "dataDir");
      Objects.requireNonNull(rpcAddress, "rpcAddress");
      Objects.requireNonNull(shard, "shard");
      Objects.requireNonNull(identity, "identity");
    }

    /** A node without P2P: it gets segments only from uploads. */
    public Config(
        Path dataDir,
        InetSocketAddress rpcAddress,
        ShardConfig shard,
        StorageService.NetworkIdentity identity) {
      this(dataDir, rpcAddress, shard, identity, null);
    }

    /** Defaults: loopback port 5678, the whole log. */
    public static Config defaults(Path dataDir, StorageService.NetworkIdentity identity) {
      return new Config(
          dataDir,
          new InetSocketAddress("127.0.0.1", StorageRpcServer.DEFAULT_PORT),
          ShardConfig.ALL,
          identity);
    }

    public Config withRpcAddress(InetSocketAddress address) {
      return new Config(dataDir, address, shard, identity, sync);
    }

    public Config withShard(ShardConfig newShard) {
      return new Config(dataDir, rpcAddress, newShard, identity, sync);
    }

    /** Joins a P2P network and syncs missing segments from peers ({@link SegmentSync}). */
    public Config withSync(SyncSettings settings) {
      return new Config(dataDir, rpcAddress, shard, identity, settings);
    }
  }

  private StorageNode(
      SegmentStore store,
      StorageService service,
      StorageRpcServer server,
      ChainFlowView chainFlow,
      P2pNode p2p,
      SegmentSync sync) {
    this.store = store;
    this.service = service;
    this.server = server;
    this.chainFlow = chainFlow;
    this.p2p = p2p;
    this.sync = sync;
  }

  /** The LMDB directory of the chain follower's store: {@code dataDir/flow}. */
  public static Path flowDir(Config config) {
    return config.dataDir().resolve("flow");
  }

  /**
   * Follows the flow on chain 0 ({@link ChainFlowView} with its store in {@link #flowDir}, polling
   * on its own thread, metrics on {@code registry}), opens the segment store and starts serving.
   * The node owns the follower and closes it on {@link #close()}. With {@link Config#sync()} set it
   * also joins the P2P network and syncs segments from peers (metrics on {@code registry}).
   */
  public static StorageNode startFollowingChain(
      Config config, ChainFlowView.Config chain, CollectorRegistry registry)
      throws InterruptedException {
    ChainFlowView flow = ChainFlowView.open(flowDir(config), chain, registry);
    try {
      flow.start();
      return start(config, flow, flow, registry);
    } catch (RuntimeException | InterruptedException e) {
      flow.close();
      throw e;
    }
  }

  /** Opens the store and starts serving; the caller owns {@code flow}. */
  public static StorageNode start(Config config, FlowView flow) throws InterruptedException {
    return start(config, flow, null, new CollectorRegistry());
  }

  /**
   * Opens the store and starts serving, and with {@link Config#sync()} set joins the P2P network
   * and syncs; the caller owns {@code flow}. Metrics go to {@code registry}.
   */
  public static StorageNode start(Config config, FlowView flow, CollectorRegistry registry)
      throws InterruptedException {
    return start(config, flow, null, registry);
  }

  private static StorageNode start(
      Config config, FlowView flow, ChainFlowView owned, CollectorRegistry registry)
      throws InterruptedException {
    SegmentStore store = SegmentStore.open(config.dataDir());
    P2pNode p2p = null;
    SegmentSync sync = null;
    try {
      StorageService service = new StorageService(flow, store, config.shard(), config.identity());
      if (config.sync() != null) {
        p2p = new P2pNode(config.sync().p2p(), registry);
        sync =
            new SegmentSync(
                p2p, flow, store, config.shard(), config.sync(), registry, Clock.system());
        sync.start(); // registers the protocol before the first peer can ask
        p2p.start();
      }
      ObjectMapper mapper = new ObjectMapper();
      StorageRpcServer server =
          StorageRpcServer.start(new StorageRpc(service, mapper), mapper, config.rpcAddress());
      return new StorageNode(store, service, server, owned, p2p, sync);
    } catch (RuntimeException | InterruptedException e) {
      if (sync != null) {
        sync.close();
      }
      if (p2p != null) {
        p2p.close();
      }
      store.close();
      throw e;
    }
  }

  public InetSocketAddress rpcAddress() {
    return server.address();
  }

  /** {@code http://host:port/}. */
  public java.net.URI rpcUri() {
    InetSocketAddress a = rpcAddress();
    return java.net.URI.create("http://" + a.getHostString() + ":" + a.getPort() + "/");
  }

  /** The segment store (the miner reads its units from it). */
  public SegmentStore store() {
    return store;
  }

  public StorageService service() {
    return service;
  }

  /** The chain follower, when this node was started with {@link #startFollowingChain}. */
  public Optional<ChainFlowView> chainFlow() {
    return Optional.ofNullable(chainFlow);
  }

  /** The node's P2P presence, when configured ({@link Config#sync()}). */
  public Optional<P2pNode> p2p() {
    return Optional.ofNullable(p2p);
  }

  /** The segment sync, when configured ({@link Config#sync()}). */
  public Optional<SegmentSync> sync() {
    return Optional.ofNullable(sync);
  }

  @Override
  public void close() {
    if (sync != null) {
      sync.close();
    }
    if (p2p != null) {
      p2p.close();
    }
    server.close();
    if (chainFlow != null) {
      chainFlow.close();
    }
    store.close();
  }
}
