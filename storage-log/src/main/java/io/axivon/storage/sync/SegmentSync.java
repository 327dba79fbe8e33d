package io.axivon.storage.sync;

import io.axivon.common.InvalidInputException;
import io.axivon.common.time.Clock;
import io.axivon.p2p.GossipValidator;
import io.axivon.p2p.NodeId;
import io.axivon.p2p.P2pNode;
import io.axivon.p2p.PeerInfo;
import io.axivon.p2p.Penalty;
import io.axivon.sdk.storage.FlowSubmission;
import io.axivon.sdk.storage.layout.SegmentWithProof;
import io.axivon.storage.node.FlowView;
import io.axivon.storage.node.ShardConfig;
import io.axivon.storage.store.SegmentStore;
import io.axivon.storage.store.SegmentStore.VerifiedSegment;
import io.axivon.storage.store.StoredFile;
import io.axivon.storage.sync.SegmentSyncProtocol.ProvenSegment;
import io.axivon.storage.sync.SegmentSyncProtocol.Request;
import io.axivon.storage.sync.SegmentSyncProtocol.Response;
import io.prometheus.client.CollectorRegistry;
import io.prometheus.client.Counter;
import io.prometheus.client.Gauge;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.tuweni.bytes.Bytes;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Fills a storage node's store from its peers, and serves its own segments to them, over the
 * {@value SegmentSyncProtocol#ID} protocol. Every submission the flow view knows whose segments (of
 * this node's shard) are not all stored is fetched from connected peers, a few segments per
 * request, with bounded concurrency; each received segment is verified against the file root from
 * the flow (never from the peer) before anything of the response is stored. A peer that sends an
 * invalid segment is penalised through the P2P score and not asked for that file again; one that
 * fails or has nothing backs off so the next request goes to another peer. The file is finalized by
 * the store once its last expected segment is in.
 *
 * <p>One thread ("axivon-storage-sync") owns all fetch state: it looks for work every {@link
 * SyncSettings#interval()} and handles every response. Another serves peers' requests so the
 * network threads never touch LMDB. The P2P node is the caller's; {@link #close()} stops both
 * threads and unregisters nothing on it (close the P2P node after this).
 */
public final class SegmentSync implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(SegmentSync.class);

  private final P2pNode p2p;
  private final FlowView flow;
  private final SegmentStore store;
  private final ShardConfig shard;
  private final SyncSettings settings;
  private final Clock clock;
  private final ScheduledExecutorService syncThread;
  private final ExecutorService serveThread;

  // owned by the sync thread
  private final TreeMap<Long, FileSync> pending = new TreeMap<>();
  private final Map<Long, FlowSubmission> submissions = new HashMap<>();
  private final Map<Long, Set<NodeId>> holders = new HashMap<>(); // announced, pending files only
  private final ArrayDeque<FlowSubmission> toAnnounce = new ArrayDeque<>();
  private long discovered; // tx seqs below this were looked at
  private boolean started; // the first round only reads the backlog: nothing announced
  private int inFlight;

  private final Counter synced;
  private final Counter rejected;
  private final Counter completed;
  private final Counter failures;
  private final Counter announcements;
  private final Gauge pendingFiles;
  private volatile boolean closed;

  public SegmentSync(
      P2pNode p2p,
      FlowView flow,
      SegmentStore store,
      ShardConfig shard,
      SyncSettings settings,
      CollectorRegistry registry,
      Clock clock) {
    this.p2p = p2p;
    this.flow = flow;
    this.store = store;
    this.shard = shard;
    this.settings = settings;
    this.clock = clock;
    String name = "axivon-storage-sync-" + p2p.localId().shortHex();
    this.syncThread = Executors.newSingleThreadScheduledExecutor(r -> new Thread(r, name));
    this.serveThread = Executors.newSingleThreadExecutor(r -> new Thread(r, name + "-serve"));
    this.synced =
        Counter.build()
            .name("axivon_storage_sync_segments_total")
            .help("Segments fetched from peers, verified and stored")
            .register(registry);
    this.rejected =
        Counter.build()
            .name("axivon_storage_sync_rejected_total")
            .help("Peer responses rejected because a segment or the encoding was invalid")
            .register(registry);
    this.completed =
        Counter.build()
            .name("axivon_storage_sync_files_completed_total")
            .help("Files finalized by a segment fetched from a peer")
            .register(registry);
    this.failures =
        Counter.build()
            .name("axivon_storage_sync_request_failures_total")
            .help("Segment requests that timed out, failed or found no peer link")
            .register(registry);
    this.announcements =
        Counter.build()
            .name("axivon_storage_sync_announcements_received_total")
            .help("Finalized-file announcements accepted from peers")
            .register(registry);
    this.pendingFiles =
        Gauge.build()
            .name("axivon_storage_sync_pending_files")
            .help("Known submissions this node does not yet hold completely")
            .register(registry);
  }

  /** Serves this node's segments to peers and starts fetching. */
  public void start() {
    p2p.onRequest(SegmentSyncProtocol.ID, SegmentSyncProtocol.LIMITS, this::serve);
    p2p.subscribe(FinalizedAnnouncement.TOPIC, this::validate, this::onAnnouncement);
    long every = settings.interval().toNanos();
    syncThread.scheduleWithFixedDelay(this::tickSafely, 0, every, TimeUnit.NANOSECONDS);
  }

  // ---------------------------------------------------------------- serving

  private CompletableFuture<Bytes> serve(NodeId from, Bytes payload) {
    return CompletableFuture.supplyAsync(() -> answer(payload), serveThread);
  }

  /** The segments of a request this node holds; an error when the request is malformed. */
  Bytes answer(Bytes payload) {
    Request request = Request.decode(payload);
    FlowSubmission sub =
        flow.byTxSeq(request.txSeq())
            .orElseThrow(
                () ->
                    new InvalidInputException(
                        "no submission with tx seq " + request.txSeq() + " is known here"));
    if (!sub.root().equals(request.root())) {
      throw new InvalidInputException(
          "tx seq " + request.txSeq() + " has root " + sub.root() + ", not " + request.root());
    }
    List<ProvenSegment> out = new ArrayList<>();
    for (long index : request.indices()) {
      Optional<Bytes> data = store.segment(sub.txSeq(), index);
      if (data.isEmpty()) {
        continue;
      }
      store
          .proof(sub.txSeq(), index)
          .ifPresent(p -> out.add(new ProvenSegment(index, data.get(), p)));
    }
    return new Response(out).encode();
  }

  // ---------------------------------------------------------------- announcements

  /** Network thread: well-formed and about a submission our flow has with that root. */
  private GossipValidator.Result validate(NodeId from, Bytes payload) {
    FinalizedAnnouncement a;
    try {
      a = FinalizedAnnouncement.decode(payload);
    } catch (InvalidInputException e) {
      return GossipValidator.Result.REJECT;
    }
    Optional<FlowSubmission> sub = flow.byTxSeq(a.txSeq());
    if (sub.isEmpty()) {
      return GossipValidator.Result.IGNORE; // our flow may lag behind the sender's
    }
    return sub.get().root().equals(a.root())
        ? GossipValidator.Result.ACCEPT
        : GossipValidator.Result.REJECT;
  }

  private void onAnnouncement(NodeId from, String topic, Bytes payload) {
    FinalizedAnnouncement a = FinalizedAnnouncement.decode(payload);
    announcements.inc();
    try {
      syncThread.execute(
          () -> {
            if (pending.containsKey(a.txSeq())
                && !a.holder().equals(p2p.localId())
                && FinalizedAnnouncement.overlaps(a.shard(), shard)) {
              holders.computeIfAbsent(a.txSeq(), k -> new HashSet<>()).add(a.holder());
            }
          });
    } catch (RejectedExecutionException e) {
      // closing
    }
  }

  /**
   * At most this many announcements go out per round, so a burst never trips peers' rate limits.
   */
  private static final int ANNOUNCE_PER_ROUND = 8;

  private void announce() {
    for (int k = 0; k < ANNOUNCE_PER_ROUND && !toAnnounce.isEmpty(); k++) {
      FlowSubmission sub = toAnnounce.poll();
      p2p.publish(
          FinalizedAnnouncement.TOPIC,
          new FinalizedAnnouncement(p2p.localId(), sub.txSeq(), sub.root(), shard).encode());
    }
  }

  // ---------------------------------------------------------------- fetching

  private void tickSafely() {
    try {
      tick();
    } catch (RuntimeException e) {
      LOG.warn("segment sync round failed", e);
    }
  }

  private void tick() {
    if (closed) {
      return;
    }
    for (long next = flow.nextTxSeq(); discovered < next; discovered++) {
      Optional<FlowSubmission> sub = flow.byTxSeq(discovered);
      if (sub.isEmpty()) {
        break;
      }
      if (!finalized(sub.get().txSeq())) {
        submissions.put(discovered, sub.get());
        pending.put(discovered, null); // its FileSync is built when first looked at
      } else if (started) {
        toAnnounce.add(sub.get()); // uploaded here before this node saw it on chain
      }
    }
    started = true;
    List<NodeId> peers = p2p.peers().stream().map(PeerInfo::id).toList();
    long now = clock.nanos();
    var it = pending.entrySet().iterator();
    while (it.hasNext() && inFlight < settings.maxInFlight()) {
      var entry = it.next();
      long txSeq = entry.getKey();
      FileSync file = entry.getValue();
      if (file == null) {
        FlowSubmission sub = submissions.get(txSeq);
        List<Long> missing = SyncPlanner.missing(sub, shard, i -> store.has(txSeq, i));
        file =
            new FileSync(
                txSeq,
                missing,
                settings.segmentsPerRequest(),
                settings.backoffBase(),
                settings.backoffMax());
        entry.setValue(file);
      }
      if (file.complete() || finalized(txSeq)) {
        if (file.requestsInFlight() == 0) {
          it.remove(); // stored by a client upload or by sync, or nothing of it in this shard
          holders.remove(txSeq);
          FlowSubmission done = submissions.remove(txSeq);
          if (finalized(txSeq)) {
            toAnnounce.add(done);
          }
        }
        continue;
      }
      Set<NodeId> announced = holders.getOrDefault(txSeq, Set.of());
      Optional<FileSync.Assignment> next;
      while (inFlight < settings.maxInFlight()
          && (next = file.next(peers, announced, now)).isPresent()) {
        send(submissions.get(txSeq), next.get());
      }
    }
    pendingFiles.set(pending.size());
    announce();
  }

  private void send(FlowSubmission sub, FileSync.Assignment a) {
    inFlight++;
    Bytes payload = new Request(sub.root(), sub.txSeq(), a.indices()).encode();
    p2p.request(a.peer(), SegmentSyncProtocol.ID, payload, settings.requestTimeout())
        .whenComplete(
            (bytes, error) -> {
              try {
                syncThread.execute(() -> onResponse(sub, a, bytes, error));
              } catch (RejectedExecutionException e) {
                // closing: the answer is no longer wanted
              }
            });
  }

  private void onResponse(FlowSubmission sub, FileSync.Assignment a, Bytes bytes, Throwable err) {
    inFlight--;
    FileSync file = pending.get(sub.txSeq());
    if (file == null || closed) {
      return;
    }
    long now = clock.nanos();
    if (err != null) {
      failures.inc();
      LOG.debug("segment request to {} failed: {}", a.peer().shortHex(), err.getMessage());
      file.onFailure(a.peer(), now);
      return;
    }
    List<VerifiedSegment> verified;
    try {
      verified = verify(sub, a.indices(), Response.decode(bytes));
    } catch (InvalidInputException e) {
      p2p.penalize(a.peer(), Penalty.INVALID_RESPONSE);
      file.onInvalid(a.peer());
      rejected.inc(); // after the penalty, so whoever sees the count sees the score too
      LOG.info(
          "peer {} sent an invalid response for tx {}: {}",
          a.peer().shortHex(),
          sub.txSeq(),
          e.getMessage());
      return;
    }
    boolean wasFinal = finalized(sub.txSeq());
    if (!verified.isEmpty()) {
      synced.inc(store.putAll(record(sub), verified));
    }
    file.onValid(a.peer(), verified.stream().map(VerifiedSegment::index).toList(), now);
    if (!wasFinal && finalized(sub.txSeq())) {
      completed.inc();
      LOG.info("tx {} ({}) complete by sync", sub.txSeq(), sub.root());
    }
  }

  /**
   * Checks a whole response: every segment one that was asked for, at most once, and proven against
   * the root and size the flow gives. One bad segment rejects the response.
   */
  static List<VerifiedSegment> verify(FlowSubmission sub, List<Long> asked, Response response) {
    Set<Long> wanted = new HashSet<>(asked);
    List<VerifiedSegment> out = new ArrayList<>(response.segments().size());
    for (ProvenSegment s : response.segments()) {
      if (!wanted.remove(s.index())) {
        throw new InvalidInputException(
            "segment " + s.index() + " was not asked for, or came twice (asked " + asked + ")");
      }
      new SegmentWithProof(sub.root(), s.data(), s.index(), s.proof(), sub.size()).verify();
      out.add(new VerifiedSegment(s.index(), s.data(), s.proof()));
    }
    return out;
  }

  /** The file record the store keeps; the same expectation the upload path uses. */
  private StoredFile record(FlowSubmission sub) {
    long expected = shard.count(sub.globalSegment(0), sub.layout().segments());
    return new StoredFile(
        sub.txSeq(), sub.root(), sub.size(), sub.startEntryIndex(), expected, 0, expected == 0);
  }

  private boolean finalized(long txSeq) {
    return store.file(txSeq).map(StoredFile::finalized).orElse(false);
  }

  /** Stops fetching and serving; requests in flight are abandoned. Idempotent. */
  @Override
  public void close() {
    closed = true;
    // shutdown, not shutdownNow: never interrupt a thread inside an LMDB write
    syncThread.shutdown();
    serveThread.shutdown();
    try {
      if (!syncThread.awaitTermination(10, TimeUnit.SECONDS)
          || !serveThread.awaitTermination(10, TimeUnit.SECONDS)) {
        LOG.warn("segment sync threads did not stop within 10 s");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
