package io.axivon.storage.node;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.axivon.storage.store.SegmentStore;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.Objects;

/**
 * A running storage node: its segment store, the service, and the JSON-RPC server. The flow is a
 * constructor argument ({@link FlowView}): the chain follower in production, an in-memory view in
 * tests.
 */
public final class StorageNode implements AutoCloseable {
  private final SegmentStore store;
  private final StorageService service;
  private final StorageRpcServer server;

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

  private StorageNode(SegmentStore store, StorageService service, StorageRpcServer server) {
    this.store = store;
    this.service = service;
    this.server = server;
  }

  /** Opens the store and starts serving. */
  public static StorageNode start(Config config, FlowView flow) throws InterruptedException {
    SegmentStore store = SegmentStore.open(config.dataDir());
    try {
      StorageService service = new StorageService(flow, store, config.shard(), config.identity());
      ObjectMapper mapper = new ObjectMapper();
      StorageRpcServer server =
          StorageRpcServer.start(new StorageRpc(service, mapper), mapper, config.rpcAddress());
      return new StorageNode(store, service, server);
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

  @Override
  public void close() {
    server.close();
    store.close();
  }
}
