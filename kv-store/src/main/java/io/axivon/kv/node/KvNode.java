package io.axivon.kv.node;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.axivon.common.crypto.Hashes;
import io.axivon.common.store.StoreOptions;
import io.axivon.kv.store.KvStore;
import io.axivon.sdk.storage.StorageClient;
import io.axivon.storage.flow.ChainFlowView;
import io.axivon.storage.node.FlowView;
import io.axivon.storage.node.StorageRpcServer;
import io.prometheus.client.CollectorRegistry;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.apache.tuweni.bytes.Bytes;
import org.apache.tuweni.bytes.Bytes32;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A KV node: the LMDB state in {@code dataDir/kv}, a replayer thread that follows the flow and
 * downloads its streams' transactions, and the kv_* JSON-RPC on port 6789.
 */
public final class KvNode implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(KvNode.class);

  /** The default KV RPC port (ARCHITECTURE: 6789). */
  public static final int DEFAULT_PORT = 6789;

  /**
   * The stream {@code axivon kv} uses when no {@code --stream} is given: keccak256("axivon.kv.
   * default"). Its first writer becomes its admin (specs/kv.md section 4).
   */
  public static final Bytes32 DEFAULT_STREAM =
      Hashes.keccak256(Bytes.wrap("axivon.kv.default".getBytes(StandardCharsets.US_ASCII)));

  /**
   * @param dataDir the node's directory (state in {@code kv/}, the flow index in {@code flow/})
   * @param rpcAddress where the kv_* RPC listens (port 0: any free port)
   * @param streams the streams replayed and served
   * @param storageNodes the storage nodes' zgs_* RPC URLs to download transactions from
   * @param pollInterval how often an idle replayer looks again (new submissions also wake it)
   */
  public record Config(
      Path dataDir,
      InetSocketAddress rpcAddress,
      StreamFilter streams,
      List<URI> storageNodes,
      Duration pollInterval) {
    public Config {
      Objects.requireNonNull(dataDir, "dataDir");
      Objects.requireNonNull(rpcAddress, "rpcAddress");
      Objects.requireNonNull(streams, "streams");
      storageNodes = List.copyOf(storageNodes);
      Objects.requireNonNull(pollInterval, "pollInterval");
      if (pollInterval.isNegative() || pollInterval.isZero()) {
        throw new IllegalArgumentException("pollInterval must be positive");
      }
    }

    /** Loopback port 6789, a 1 s poll. */
    public static Config defaults(Path dataDir, StreamFilter streams, List<URI> storageNodes) {
      return new Config(
          dataDir,
          new InetSocketAddress("127.0.0.1", DEFAULT_PORT),
          streams,
          storageNodes,
          Duration.ofSeconds(1));
    }

    public Config withRpcAddress(InetSocketAddress address) {
      return new Config(dataDir, address, streams, storageNodes, pollInterval);
    }

    public Config withPollInterval(Duration interval) {
      return new Config(dataDir, rpcAddress, streams, storageNodes, interval);
    }
  }

  private final KvStore store;
  private final KvReplayer replayer;
  private final StorageRpcServer server;
  private final ChainFlowView ownedFlow;
  private final Duration pollInterval;
  private final ReentrantLock lock = new ReentrantLock();
  private final Condition changed = lock.newCondition();
  private boolean poked; // guarded by lock
  private volatile boolean closed;
  private final Thread loop;

  private KvNode(
      KvStore store,
      KvReplayer replayer,
      StorageRpcServer server,
      ChainFlowView ownedFlow,
      Duration pollInterval) {
    this.store = store;
    this.replayer = replayer;
    this.server = server;
    this.ownedFlow = ownedFlow;
    this.pollInterval = pollInterval;
    this.loop = Thread.ofVirtual().name("kv-replayer").unstarted(this::run);
  }

  /** Starts on a flow the caller owns, downloading from the config's storage nodes. */
  public static KvNode start(Config config, FlowView flow) throws InterruptedException {
    StorageClient client = StorageClient.of(config.storageNodes(), Duration.ofSeconds(30), 4);
    return start(
        config,
        flow,
        new StorageDataSource(client, config.dataDir().resolve("tmp")),
        null,
        KvMetrics.unregistered());
  }

  /** Starts on a flow and a data source the caller owns (tests, tools). */
  public static KvNode start(Config config, FlowView flow, DataSource data)
      throws InterruptedException {
    return start(config, flow, data, null, KvMetrics.unregistered());
  }

  /** Follows the flow on chain ({@link ChainFlowView} in {@code dataDir/flow}) and starts. */
  public static KvNode startFollowingChain(
      Config config, ChainFlowView.Config chain, CollectorRegistry registry)
      throws InterruptedException {
    ChainFlowView flow = ChainFlowView.open(config.dataDir().resolve("flow"), chain, registry);
    try {
      flow.start();
      StorageClient client = StorageClient.of(config.storageNodes(), Duration.ofSeconds(30), 4);
      return start(
          config,
          flow,
          new StorageDataSource(client, config.dataDir().resolve("tmp")),
          flow,
          new KvMetrics(registry));
    } catch (RuntimeException | InterruptedException e) {
      flow.close();
      throw e;
    }
  }

  private static KvNode start(
      Config config, FlowView flow, DataSource data, ChainFlowView owned, KvMetrics metrics)
      throws InterruptedException {
    KvStore store = KvStore.open(config.dataDir().resolve("kv"), StoreOptions.defaults());
    StorageRpcServer server = null;
    try {
      ObjectMapper mapper = new ObjectMapper();
      server =
          StorageRpcServer.start(
              new KvRpc(store, config.streams(), mapper, metrics), mapper, config.rpcAddress());
      KvReplayer replayer = new KvReplayer(flow, data, store, config.streams(), metrics);
      KvNode node = new KvNode(store, replayer, server, owned, config.pollInterval());
      if (owned != null) {
        owned.addListener(s -> node.poke());
      }
      node.loop.start();
      return node;
    } catch (RuntimeException | InterruptedException e) {
      if (server != null) {
        server.close();
      }
      store.close();
      throw e;
    }
  }

  /**
   * First retry after a submission is found without its data. Nothing tells the KV node when an
   * upload to a storage node completes, so it retries soon and backs off to the poll interval: data
   * uploaded right after its submission is then replayed within tens of ms, not a poll later.
   */
  static final long FIRST_DATA_RETRY_MS = 10;

  private void run() {
    long dataRetryMs = 0; // 0: not waiting for data
    while (!closed) {
      long waitMs = pollInterval.toMillis();
      try {
        if (replayer.replayAvailable() > 0) {
          signal(false);
          dataRetryMs = 0;
        }
        if (replayer.waitingForData()) {
          dataRetryMs = dataRetryMs == 0 ? FIRST_DATA_RETRY_MS : Math.min(2 * dataRetryMs, waitMs);
          waitMs = Math.min(dataRetryMs, waitMs);
        } else {
          dataRetryMs = 0;
        }
      } catch (IOException | RuntimeException e) {
        if (closed) {
          return;
        }
        LOG.warn("KV replay at submission {} failed, retrying: {}", safeCursor(), e.toString());
      }
      lock.lock();
      try {
        if (!poked && !closed) {
          changed.await(waitMs, TimeUnit.MILLISECONDS);
        }
        poked = false;
      } catch (InterruptedException e) {
        return;
      } finally {
        lock.unlock();
      }
    }
  }

  private long safeCursor() {
    try {
      return store.nextTxSeq();
    } catch (RuntimeException e) {
      return -1;
    }
  }

  private void signal(boolean poke) {
    lock.lock();
    try {
      poked |= poke;
      changed.signalAll();
    } finally {
      lock.unlock();
    }
  }

  /** Wakes the replayer now (a new submission or new data is there). */
  public void poke() {
    signal(true);
  }

  /**
   * Waits until every submission before {@code txSeq} is replayed or passed over.
   *
   * @return false if that did not happen within {@code timeout}
   */
  public boolean awaitReplayed(long txSeq, Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    lock.lock();
    try {
      while (store.nextTxSeq() < txSeq) {
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          return false;
        }
        changed.awaitNanos(left);
      }
      return true;
    } finally {
      lock.unlock();
    }
  }

  public KvStore store() {
    return store;
  }

  public InetSocketAddress rpcAddress() {
    return server.address();
  }

  public URI rpcUri() {
    InetSocketAddress a = rpcAddress();
    return URI.create("http://" + a.getHostString() + ":" + a.getPort() + "/");
  }

  @Override
  public void close() {
    closed = true;
    signal(true);
    try {
      loop.join(Duration.ofSeconds(10));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    server.close();
    if (ownedFlow != null) {
      ownedFlow.close();
    }
    store.close();
  }
}
