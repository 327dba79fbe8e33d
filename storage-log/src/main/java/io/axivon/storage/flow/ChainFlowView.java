package io.axivon.storage.flow;

import io.axivon.common.InvalidInputException;
import io.axivon.common.crypto.secp256k1.Address;
import io.axivon.common.store.Serializer;
import io.axivon.common.store.Serializers;
import io.axivon.common.store.Store;
import io.axivon.common.store.StoreOptions;
import io.axivon.common.store.Table;
import io.axivon.sdk.eth.EthClient;
import io.axivon.sdk.rpc.JsonRpcClient;
import io.axivon.sdk.rpc.JsonRpcException;
import io.axivon.sdk.storage.FlowClient;
import io.axivon.sdk.storage.FlowSubmission;
import io.axivon.sdk.storage.SubmitEvent;
import io.axivon.storage.node.FlowView;
import io.prometheus.client.CollectorRegistry;
import io.prometheus.client.Counter;
import io.prometheus.client.Gauge;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.apache.tuweni.bytes.Bytes;
import org.apache.tuweni.bytes.Bytes32;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The flow as a storage node follows it on chain 0: polls {@code eth_blockNumber}, reads the flow's
 * Submit events with {@code eth_getLogs} in bounded block ranges, and keeps every submission and
 * the sync point in its own LMDB store, so a restarted node resumes after the last synced block.
 *
 * <p>The chain has BFT finality (no reorgs), so a synced block is never revisited; instead each
 * event's {@code submissionIndex} must be exactly the next tx seq. A gap, a repeat or a malformed
 * log stops the follower with a {@link FlowSyncException} (see {@link #failure()}): going on would
 * mis-number every later file. Transport errors are retried at the next poll. A block range is
 * committed all or nothing, with its sync point. Thread-safe.
 */
public final class ChainFlowView implements FlowView, AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(ChainFlowView.class);

  /** tx seq → submission. */
  static final Table<Long, FlowSubmission> SUBMISSIONS =
      Table.of(
          "flow.submissions",
          Serializers.LONG,
          Serializer.of(FlowRecords::encode, FlowRecords::decode));

  /** root ‖ tx seq (8 bytes big-endian) → nothing: roots repeat. */
  static final Table<Bytes, Bytes> BY_ROOT =
      Table.of("flow.by-root", Serializers.BYTES, Serializers.BYTES);

  /** {@value #SYNC} → height (8) ‖ block hash (32); {@value #FLOW} → the flow address followed. */
  static final Table<String, Bytes> META =
      Table.of("flow.meta", Serializers.STRING, Serializers.BYTES);

  private static final String SYNC = "sync";
  private static final String FLOW = "flow";

  /**
   * How to follow the chain.
   *
   * @param rpcUrl the chain's Ethereum JSON-RPC endpoint
   * @param flowAddress the flow system module
   * @param pollInterval the wait between polls of the poll thread
   * @param maxBlockRange the most blocks asked of one {@code eth_getLogs}
   * @param startBlock the first block to read when nothing is synced yet
   * @param rpcTimeout the timeout of one JSON-RPC call
   */
  public record Config(
      URI rpcUrl,
      Address flowAddress,
      Duration pollInterval,
      long maxBlockRange,
      long startBlock,
      Duration rpcTimeout) {
    public Config {
      Objects.requireNonNull(rpcUrl, "rpcUrl");
      Objects.requireNonNull(flowAddress, "flowAddress");
      Objects.requireNonNull(pollInterval, "pollInterval");
      Objects.requireNonNull(rpcTimeout, "rpcTimeout");
      if (pollInterval.isNegative() || pollInterval.isZero()) {
        throw new IllegalArgumentException("pollInterval must be positive");
      }
      if (maxBlockRange < 1 || startBlock < 0) {
        throw new IllegalArgumentException(
            "maxBlockRange must be ≥ 1 and startBlock ≥ 0, got "
                + maxBlockRange
                + ", "
                + startBlock);
      }
    }

    /** Polls every second, 1000 blocks per {@code eth_getLogs}, from block 0, 10 s per call. */
    public static Config of(URI rpcUrl, Address flowAddress) {
      return new Config(
          rpcUrl, flowAddress, Duration.ofSeconds(1), 1000, 0, Duration.ofSeconds(10));
    }

    /** {@link #of} with the devnet flow address {@link FlowClient#DEVNET_FLOW_ADDRESS}. */
    public static Config devnet(URI rpcUrl) {
      return of(rpcUrl, FlowClient.DEVNET_FLOW_ADDRESS);
    }

    public Config withPollInterval(Duration interval) {
      return new Config(rpcUrl, flowAddress, interval, maxBlockRange, startBlock, rpcTimeout);
    }

    public Config withMaxBlockRange(long range) {
      return new Config(rpcUrl, flowAddress, pollInterval, range, startBlock, rpcTimeout);
    }

    public Config withStartBlock(long block) {
      return new Config(rpcUrl, flowAddress, pollInterval, maxBlockRange, block, rpcTimeout);
    }
  }

  private final Store store;
  private final EthClient eth;
  private final FlowClient flow;
  private final Config config;
  private final List<Consumer<FlowSubmission>> listeners = new CopyOnWriteArrayList<>();
  private final Object progress = new Object(); // guards nothing; waiters for new tx seqs
  private final Object syncLock = new Object(); // one sync at a time
  private final Gauge syncedHeight;
  private final Gauge nextTxSeqGauge;
  private final Gauge chainHead;
  private final Counter syncErrors;

  private volatile SyncPoint syncPoint;
  private volatile long nextBlock;
  private volatile long nextTxSeq;
  // what listeners have been told (awaitNextTxSeq waits on it); guarded by progress
  private long announcedTxSeq;
  private volatile FlowSyncException failure;
  private ScheduledExecutorService poller;

  private ChainFlowView(Store store, EthClient eth, Config config, CollectorRegistry registry) {
    this.store = store;
    this.eth = eth;
    this.flow = new FlowClient(eth, config.flowAddress());
    this.config = config;
    this.syncedHeight =
        Gauge.build(
                "axivon_storage_flow_synced_height",
                "Last chain block whose flow events are synced")
            .register(registry);
    this.nextTxSeqGauge =
        Gauge.build("axivon_storage_flow_next_tx_seq", "Number of flow submissions synced")
            .register(registry);
    this.chainHead =
        Gauge.build("axivon_storage_flow_chain_head", "Chain head seen by the last poll")
            .register(registry);
    this.syncErrors =
        Counter.build("axivon_storage_flow_sync_errors", "Failed flow polls (transient or fatal)")
            .register(registry);
  }

  /**
   * Opens (creating if needed) the follower's store in {@code dir} and reads the sync point; does
   * not poll yet ({@link #start()} or {@link #syncOnce()}).
   *
   * @throws IllegalStateException if the store follows another flow address
   */
  public static ChainFlowView open(Path dir, Config config, CollectorRegistry registry) {
    EthClient eth = new EthClient(new JsonRpcClient(config.rpcUrl(), config.rpcTimeout()));
    return open(dir, config, eth, registry);
  }

  /** {@link #open(Path, Config, CollectorRegistry)} over a given client (tests, shared clients). */
  public static ChainFlowView open(
      Path dir, Config config, EthClient eth, CollectorRegistry registry) {
    Store store = Store.open(dir, StoreOptions.defaults(), SUBMISSIONS, BY_ROOT, META);
    try {
      ChainFlowView view = new ChainFlowView(store, eth, config, registry);
      view.load();
      return view;
    } catch (RuntimeException e) {
      store.close();
      throw e;
    }
  }

  private void load() {
    Bytes followed = config.flowAddress().bytes();
    store.write(
        tx -> {
          Optional<Bytes> stored = tx.get(META, FLOW);
          if (stored.isPresent() && !stored.get().equals(followed)) {
            throw new IllegalStateException(
                "this flow store follows the flow at "
                    + new Address(stored.get()).toLowerHex()
                    + ", not "
                    + config.flowAddress().toLowerHex()
                    + ": use another data directory");
          }
          if (stored.isEmpty()) {
            tx.put(META, FLOW, followed);
          }
        });
    store.read(
        tx -> {
          Optional<Bytes> sync = tx.get(META, SYNC);
          if (sync.isPresent()) {
            long height = sync.get().slice(0, 8).toLong();
            syncPoint = new SyncPoint(height, Bytes32.wrap(sync.get().slice(8, 32)));
            nextBlock = height + 1;
          } else {
            syncPoint = new SyncPoint(0, Bytes32.ZERO);
            nextBlock = config.startBlock();
          }
          nextTxSeq = tx.last(SUBMISSIONS).map(kv -> kv.key() + 1).orElse(0L);
          return null;
        });
    syncedHeight.set(syncPoint.height());
    nextTxSeqGauge.set(nextTxSeq);
    synchronized (progress) {
      announcedTxSeq = nextTxSeq; // stored before a restart: nothing left to tell
    }
  }

  // ---- FlowView ----

  @Override
  public Optional<FlowSubmission> byTxSeq(long txSeq) {
    return store.read(tx -> tx.get(SUBMISSIONS, txSeq));
  }

  @Override
  public List<FlowSubmission> byRoot(Bytes32 root) {
    return store.read(
        tx -> {
          List<FlowSubmission> out = new ArrayList<>();
          try (var entries = tx.scanPrefix(BY_ROOT, root)) {
            entries.forEach(
                kv -> tx.get(SUBMISSIONS, kv.key().slice(32, 8).toLong()).ifPresent(out::add));
          }
          return out;
        });
  }

  @Override
  public long nextTxSeq() {
    return nextTxSeq;
  }

  @Override
  public SyncPoint syncPoint() {
    return syncPoint;
  }

  // ---- following ----

  /** Called on the syncing thread with each new submission, in tx seq order, once stored. */
  public void addListener(Consumer<FlowSubmission> listener) {
    listeners.add(Objects.requireNonNull(listener, "listener"));
  }

  /** The error that stopped the follower, if one did. */
  public Optional<FlowSyncException> failure() {
    return Optional.ofNullable(failure);
  }

  /**
   * Syncs up to the current chain head, one {@code eth_getLogs} range at a time, each committed
   * with its sync point; returns how many submissions were added.
   *
   * @throws FlowSyncException on a tx seq gap or repeat or a malformed log (and on every later
   *     call: the follower stays stopped)
   * @throws JsonRpcException when the chain cannot be reached (retry later)
   */
  public int syncOnce() {
    synchronized (syncLock) {
      if (failure != null) {
        throw failure;
      }
      long head = eth.blockNumber();
      chainHead.set(head);
      int added = 0;
      while (nextBlock <= head) {
        long from = nextBlock;
        long to = Math.min(head, from + config.maxBlockRange() - 1);
        added += syncRange(from, to);
      }
      return added;
    }
  }

  private int syncRange(long from, long to) {
    List<SubmitEvent> events;
    try {
      events = new ArrayList<>(flow.submissions(from, to));
    } catch (InvalidInputException e) {
      throw fail("malformed flow log in blocks [" + from + ", " + to + "]: " + e.getMessage(), e);
    }
    events.sort(
        Comparator.comparingLong(SubmitEvent::blockNumber)
            .thenComparingLong(SubmitEvent::logIndex));
    List<FlowSubmission> subs = new ArrayList<>(events.size());
    long expected = nextTxSeq;
    for (SubmitEvent e : events) {
      if (e.submissionIndex() != expected) {
        throw fail(
            "flow submission index "
                + e.submissionIndex()
                + " in block "
                + e.blockNumber()
                + " (tx "
                + e.transactionHash()
                + ") is not the next expected tx seq "
                + expected
                + ": the chain's flow events are not contiguous",
            null);
      }
      subs.add(e.toFlowSubmission());
      expected++;
    }
    Bytes32 hash =
        eth.blockHash(to)
            .orElseThrow(
                () ->
                    new JsonRpcException(
                        JsonRpcException.Kind.BAD_RESPONSE,
                        JsonRpcException.INTERNAL_ERROR,
                        "the chain has no block " + to + " though its head is at or above it",
                        null,
                        null));
    Bytes sync = Bytes.concatenate(Bytes.ofUnsignedLong(to), hash);
    store.write(
        tx -> {
          for (FlowSubmission s : subs) {
            tx.put(SUBMISSIONS, s.txSeq(), s);
            tx.put(
                BY_ROOT, Bytes.concatenate(s.root(), Bytes.ofUnsignedLong(s.txSeq())), Bytes.EMPTY);
          }
          tx.put(META, SYNC, sync);
        });
    syncPoint = new SyncPoint(to, hash);
    nextBlock = to + 1;
    nextTxSeq = expected;
    syncedHeight.set(to);
    nextTxSeqGauge.set(expected);
    for (FlowSubmission s : subs) {
      for (Consumer<FlowSubmission> l : listeners) {
        try {
          l.accept(s);
        } catch (RuntimeException ex) {
          LOG.warn("flow listener failed on tx seq {}", s.txSeq(), ex);
        }
      }
    }
    // waiters wake once the listeners have heard, so "synced" includes "told"
    synchronized (progress) {
      announcedTxSeq = expected;
      progress.notifyAll();
    }
    return subs.size();
  }

  private FlowSyncException fail(String message, Throwable cause) {
    failure = new FlowSyncException(message, cause);
    syncErrors.inc();
    LOG.error("flow follower stopped: {}", message);
    synchronized (progress) {
      progress.notifyAll();
    }
    return failure;
  }

  /**
   * Waits until {@code txSeq} submissions are synced and the listeners have heard of them, the
   * follower fails, or the timeout passes; returns whether they are synced.
   */
  public boolean awaitNextTxSeq(long txSeq, Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    synchronized (progress) {
      while (announcedTxSeq < txSeq && failure == null) {
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          return false;
        }
        TimeUnit.NANOSECONDS.timedWait(progress, left);
      }
      return announcedTxSeq >= txSeq;
    }
  }

  /** Starts the poll thread: {@link #syncOnce()} every poll interval until closed or failed. */
  public synchronized void start() {
    if (poller != null) {
      throw new IllegalStateException("already started");
    }
    poller =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "flow-follower");
              t.setDaemon(true);
              return t;
            });
    poller.scheduleWithFixedDelay(
        this::poll, 0, config.pollInterval().toMillis(), TimeUnit.MILLISECONDS);
  }

  private void poll() {
    try {
      syncOnce();
    } catch (FlowSyncException e) {
      poller.shutdown(); // fatal: stop polling, failure() says why
    } catch (RuntimeException e) {
      syncErrors.inc();
      LOG.warn(
          "flow poll failed, retrying in {} ms: {}",
          config.pollInterval().toMillis(),
          e.getMessage());
    }
  }

  /** Stops polling and closes the store. */
  @Override
  public void close() {
    ScheduledExecutorService p;
    synchronized (this) {
      p = poller;
    }
    if (p != null) {
      p.shutdown(); // a poll in flight finishes (its calls are bounded by the RPC timeout)
      try {
        if (!p.awaitTermination(config.rpcTimeout().toMillis() * 4 + 1000, TimeUnit.MILLISECONDS)) {
          p.shutdownNow();
          LOG.warn("flow poll thread did not stop in time; interrupted it");
          p.awaitTermination(5, TimeUnit.SECONDS);
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    store.close();
  }
}
