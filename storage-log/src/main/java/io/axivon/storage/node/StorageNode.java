package io.axivon.storage.node;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.axivon.storage.flow.ChainFlowView;
import io.axivon.storage.store.SegmentStore;
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

  /**
   * Settings of a storage node.
   *
   * @param dataDir where the LMDB segment store lives
   * @param rpcAddress the JSON-RPC address ({@code 127.0.0.1:5678} by default; port 0 for any)
   * @param shard the part of the log kept
   * @param identity chain id and flow address reported by {@code zgs_getStatus}
   */
  public record Config(
      Path dataDir,
      InetSocketAddress rpcAddress,
      ShardConfig shard,
      StorageService.NetworkIdentity identity) {
    public Config {
      Objects.requireNonNull(dataDir, "dataDir");
      Objects.requireNonNull(rpcAddress, "rpcAddress");
      Objects.requireNonNull(shard, "shard");
      Objects.requireNonNull(identity, "identity");
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
      return new Config(dataDir, address, shard, identity);
    }

    public Config withShard(ShardConfig newShard) {
      return new Config(dataDir, rpcAddress, newShard, identity);
    }
  }

  private StorageNode(
      SegmentStore store,
      StorageService service,
      StorageRpcServer server,
      ChainFlowView chainFlow) {
    this.store = store;
    this.service = service;
    this.server = server;
    this.chainFlow = chainFlow;
  }

  /** The LMDB directory of the chain follower's store: {@code dataDir/flow}. */
  public static Path flowDir(Config config) {
    return config.dataDir().resolve("flow");
  }

  /**
   * Follows the flow on chain 0 ({@link ChainFlowView} with its store in {@link #flowDir}, polling
   * on its own thread, metrics on {@code registry}), opens the segment store and starts serving.
   * The node owns the follower and closes it on {@link #close()}.
   */
  public static StorageNode startFollowingChain(
      Config config, ChainFlowView.Config chain, CollectorRegistry registry)
      throws InterruptedException {
    ChainFlowView flow = ChainFlowView.open(flowDir(config), chain, registry);
    try {
      flow.start();
      return start(config, flow, flow);
    } catch (RuntimeException | InterruptedException e) {
      flow.close();
      throw e;
    }
  }

  /** Opens the store and starts serving; the caller owns {@code flow}. */
  public static StorageNode start(Config config, FlowView flow) throws InterruptedException {
    return start(config, flow, null);
  }

  private static StorageNode start(Config config, FlowView flow, ChainFlowView owned)
      throws InterruptedException {
    SegmentStore store = SegmentStore.open(config.dataDir());
    try {
      StorageService service = new StorageService(flow, store, config.shard(), config.identity());
      ObjectMapper mapper = new ObjectMapper();
      StorageRpcServer server =
          StorageRpcServer.start(new StorageRpc(service, mapper), mapper, config.rpcAddress());
      return new StorageNode(store, service, server, owned);
    } catch (RuntimeException | InterruptedException e) {
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

  public StorageService service() {
    return service;
  }

  /** The chain follower, when this node was started with {@link #startFollowingChain}. */
  public Optional<ChainFlowView> chainFlow() {
    return Optional.ofNullable(chainFlow);
  }

  @Override
  public void close() {
    server.close();
    if (chainFlow != null) {
      chainFlow.close();
    }
    store.close();
  }
}
