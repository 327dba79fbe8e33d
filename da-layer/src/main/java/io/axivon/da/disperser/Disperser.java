package io.axivon.da.disperser;

import io.axivon.common.InvalidInputException;
import io.axivon.common.crypto.Hashes;
import io.axivon.common.crypto.bls.Bls;
import io.axivon.common.crypto.bls.BlsSignature;
import io.axivon.da.blob.BlobSquare;
import io.axivon.da.blob.ExtendedSquare;
import io.axivon.da.blob.SquareEncoder;
import io.axivon.da.cert.DaCertificate;
import io.axivon.da.cert.DaOperator;
import io.axivon.da.cert.Quorum;
import io.axivon.da.chain.DaChain;
import io.axivon.da.chain.StaleEpochException;
import io.axivon.da.node.DaWire;
import io.axivon.p2p.NodeId;
import io.axivon.p2p.P2pNode;
import io.axivon.p2p.ProtocolLimits;
import io.prometheus.client.CollectorRegistry;
import io.prometheus.client.Counter;
import io.prometheus.client.Histogram;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.tuweni.bytes.Bytes;
import org.apache.tuweni.bytes.Bytes32;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The disperser (specs/da.md §10): takes a blob, gives its key ({@code keccak256(blob)}) at once,
 * then encodes it, sends every quorum member its rows and columns in parallel, collects signatures
 * until the signers hold {@link Quorum#threshold} of the coded rows, aggregates them and hands the
 * certificate to {@link DaChain#confirm}. A member that withholds, refuses or signs wrongly is left
 * out; the blob still certifies if the others reach the threshold.
 */
public final class Disperser implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(Disperser.class);

  /**
   * @param quorumId the quorum blobs go to
   * @param requestTimeout the longest wait for one P2P answer or link
   */
  public record Settings(long quorumId, Duration requestTimeout) {
    public static Settings defaults() {
      return new Settings(0, Duration.ofSeconds(30));
    }
  }

  /** Epochs a blob is dispersed in before a stale certificate fails it. */
  static final int EPOCH_ATTEMPTS = 3;

  private final PeerConnector connector;
  private final DaChain chain;
  private final SquareEncoder encoder;
  private final Settings settings;
  private final ExecutorService workers = Executors.newVirtualThreadPerTaskExecutor();
  private final Retriever retriever;
  private final Sampler sampler;
  private final Optional<DisperserStore> store;
  private final Map<Bytes32, Entry> blobs = new ConcurrentHashMap<>();
  private final Counter submitted;
  private final Counter outcomes;
  private final Counter memberFailures;
  private final Histogram certifySeconds;
  private final Histogram phaseSeconds;

  private static final class Entry {
    volatile BlobStatus status;
    volatile Bytes blob; // kept until the blob is certified or failed
    final CompletableFuture<BlobStatus> done = new CompletableFuture<>();

    Entry(BlobStatus status, Bytes blob) {
      this.status = status;
      this.blob = blob;
    }
  }

  /** A disperser that remembers certified blobs only in memory. */
  public Disperser(
      P2pNode p2p,
      DaChain chain,
      SquareEncoder encoder,
      Settings settings,
      CollectorRegistry registry) {
    this(p2p, chain, encoder, settings, Optional.empty(), registry);
  }

  /** A disperser that records certified blobs in {@code store}, so they outlive a restart. */
  public Disperser(
      P2pNode p2p,
      DaChain chain,
      SquareEncoder encoder,
      Settings settings,
      Optional<DisperserStore> store,
      CollectorRegistry registry) {
    this.store = Objects.requireNonNull(store, "store");
    this.connector = new PeerConnector(Objects.requireNonNull(p2p, "p2p"), chain);
    this.chain = Objects.requireNonNull(chain, "chain");
    this.encoder = Objects.requireNonNull(encoder, "encoder");
    this.settings = Objects.requireNonNull(settings, "settings");
    ProtocolLimits limits = new ProtocolLimits(DaWire.MAX_REQUEST, DaWire.MAX_RESPONSE);
    p2p.protocolLimits(DaWire.DISPERSE, limits);
    p2p.protocolLimits(DaWire.SHARES, limits);
    this.retriever = new Retriever(connector, chain, encoder, workers, settings.requestTimeout());
    this.sampler = new Sampler(connector, chain, settings.requestTimeout());
    submitted =
        Counter.build("axivon_da_disperser_blobs_total", "blobs accepted").register(registry);
    outcomes =
        Counter.build("axivon_da_disperser_outcomes_total", "blobs certified or failed")
            .labelNames("state")
            .register(registry);
    memberFailures =
        Counter.build(
                "axivon_da_disperser_member_failures_total",
                "quorum members that withheld, refused or signed wrongly")
            .register(registry);
    certifySeconds =
        Histogram.build("axivon_da_disperser_certify_seconds", "submit to certificate confirmed")
            .buckets(0.1, 0.25, 0.5, 1, 2, 5, 10, 30)
            .register(registry);
    phaseSeconds =
        Histogram.build(
                "axivon_da_disperser_phase_seconds",
                "time per dispersal phase: encode, store (rows out and signatures in until the"
                    + " threshold), aggregate, confirm (certificate transaction until its receipt)")
            .labelNames("phase")
            .buckets(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10)
            .register(registry);
  }

  /**
   * Accepts a blob and returns its key at once; dispersal goes on in the background. The same blob
   * submitted again gets the same key (and is dispersed again only if it had failed).
   *
   * @throws InvalidInputException if the blob is empty or larger than {@link
   *     BlobSquare#MAX_BLOB_SIZE}
   */
  public Bytes32 submit(Bytes blob) {
    checkSize(blob.size());
    Bytes32 key = Hashes.keccak256(blob);
    if (!blobs.containsKey(key) && store.flatMap(s -> s.get(key)).isPresent()) {
      return key; // certified before a restart: the record answers status and retrieval
    }
    Entry fresh = new Entry(BlobStatus.queued(key, blob.size(), settings.quorumId()), blob);
    Entry entry =
        blobs.compute(
            key,
            (k, old) -> old == null || old.status.state() == BlobStatus.State.FAILED ? fresh : old);
    if (entry == fresh) {
      submitted.inc();
      workers.execute(() -> disperse(entry));
    }
    return key;
  }

  /** Throws unless 1 ≤ size ≤ {@link BlobSquare#MAX_BLOB_SIZE}. */
  public static void checkSize(long size) {
    if (size == 0) {
      throw new InvalidInputException("the blob is empty");
    }
    if (size > BlobSquare.MAX_BLOB_SIZE) {
      throw new InvalidInputException(
          "the blob has " + size + " bytes, more than " + BlobSquare.MAX_BLOB_SIZE);
    }
  }

  public Optional<BlobStatus> status(Bytes32 key) {
    Entry e = blobs.get(key);
    if (e != null) {
      return Optional.of(e.status);
    }
    return store.flatMap(s -> s.get(key)).map(c -> fromRecord(key, c));
  }

  private static BlobStatus fromRecord(Bytes32 key, DisperserStore.Certified c) {
    DaCertificate cert = c.certificate();
    return BlobStatus.queued(key, c.size(), cert.quorumId())
        .dispersing(cert.dataRoot(), cert.k(), cert.epoch())
        .certified(cert, c.confirmation());
  }

  /** Completes when the blob is certified or failed; empty if the key is unknown. */
  public Optional<CompletableFuture<BlobStatus>> completion(Bytes32 key) {
    return Optional.ofNullable(blobs.get(key)).map(e -> e.done);
  }

  /**
   * The blob of {@code key}: from memory while it is being dispersed, then from the DA nodes.
   *
   * @return empty if the key is unknown or its dispersal failed
   * @throws DaUnavailableException if too few members answer
   * @throws BlobGoneException if the quorum no longer serves it in a valid form
   */
  public Optional<Bytes> retrieve(Bytes32 key) throws InterruptedException {
    Entry e = blobs.get(key);
    if (e == null) {
      Optional<BlobStatus> recorded = status(key);
      if (recorded.isEmpty()) {
        return Optional.empty();
      }
      BlobStatus s = recorded.get();
      return Optional.of(
          retriever.retrieve(s.dataRoot().orElseThrow(), s.k(), s.epoch(), s.quorumId()));
    }
    Bytes cached = e.blob;
    BlobStatus s = e.status;
    if (s.state() == BlobStatus.State.CERTIFIED) {
      return Optional.of(
          retriever.retrieve(s.dataRoot().orElseThrow(), s.k(), s.epoch(), s.quorumId()));
    }
    if (s.state() == BlobStatus.State.FAILED || cached == null) {
      return Optional.empty();
    }
    return Optional.of(cached);
  }

  public Retriever retriever() {
    return retriever;
  }

  /** Light-client sampling over the same links. */
  public Sampler sampler() {
    return sampler;
  }

  private void disperse(Entry entry) {
    long start = System.nanoTime();
    try {
      Bytes blob = entry.blob;
      // concurrent blobs encode in parallel: the encoder keeps no state between calls
      ExtendedSquare square = encoder.encode(blob);
      phase(entry, "encode", start);
      BlobStatus result;
      for (int attempt = 1; ; attempt++) {
        long epoch = chain.currentEpoch();
        Quorum quorum = chain.quorum(epoch, settings.quorumId());
        entry.status = entry.status.dispersing(square.dataRoot(), square.k(), epoch);
        try {
          result = collect(entry, square, quorum);
          break;
        } catch (StaleEpochException e) {
          // dispersal outlasted an epoch (short epochs, a slow quorum): the current quorum signs
          if (attempt == EPOCH_ATTEMPTS) {
            throw e;
          }
          LOG.info("blob {}: {}; dispersing again", entry.status.key(), e.getMessage());
        }
      }
      entry.status = result;
      if (result.state() == BlobStatus.State.CERTIFIED) {
        certifySeconds.observe((System.nanoTime() - start) / 1e9);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      entry.status = entry.status.failed("the disperser was stopped", false);
    } catch (RuntimeException e) {
      LOG.warn("dispersal of blob {} failed", entry.status.key(), e);
      entry.status = entry.status.failed(String.valueOf(e.getMessage()), false);
    } finally {
      entry.blob = null;
      outcomes.labels(entry.status.state().label()).inc();
      entry.done.complete(entry.status);
    }
  }

  private BlobStatus collect(Entry entry, ExtendedSquare square, Quorum quorum)
      throws InterruptedException {
    int k = square.k();
    int[] counts = quorum.rowCounts(k);
    int[] first = quorum.firstRows(k);
    int threshold = Quorum.threshold(k);
    Map<Integer, BlsSignature> signatures = new ConcurrentHashMap<>();
    Map<Integer, String> failures = new ConcurrentHashMap<>();
    AtomicInteger signedRows = new AtomicInteger();
    AtomicInteger unreachableRows = new AtomicInteger();
    CompletableFuture<Void> enough = new CompletableFuture<>();
    List<CompletableFuture<Void>> sends = new ArrayList<>();
    Bytes32 msg = DaCertificate.message(square.dataRoot(), quorum.epoch(), quorum.quorumId());
    long storeStart = System.nanoTime();
    for (int m = 0; m < counts.length; m++) {
      if (counts[m] == 0) {
        continue;
      }
      int member = m;
      sends.add(
          CompletableFuture.runAsync(
              () -> {
                DaOperator op = quorum.members().get(member);
                try {
                  BlsSignature sig = sendTo(op, square, quorum, first[member], counts[member]);
                  if (!Bls.verify(op.publicKey(), msg, sig)) {
                    throw new InvalidInputException("its signature does not verify");
                  }
                  signatures.put(member, sig);
                  if (signedRows.addAndGet(counts[member]) >= threshold) {
                    enough.complete(null);
                  }
                } catch (PeerConnector.MemberUnreachableException | TimeoutException e) {
                  unreachableRows.addAndGet(counts[member]);
                  fail(failures, member, op, e);
                } catch (ExecutionException e) {
                  if (e.getCause() instanceof io.axivon.p2p.RequestException re
                      && re.kind() != io.axivon.p2p.RequestException.Kind.REMOTE_ERROR
                      && re.kind() != io.axivon.p2p.RequestException.Kind.TOO_LARGE) {
                    unreachableRows.addAndGet(counts[member]);
                  }
                  fail(failures, member, op, e.getCause());
                } catch (InterruptedException e) {
                  Thread.currentThread().interrupt();
                } catch (RuntimeException e) {
                  fail(failures, member, op, e);
                }
              },
              workers));
    }
    CompletableFuture<Void> all = CompletableFuture.allOf(sends.toArray(new CompletableFuture[0]));
    try {
      CompletableFuture.anyOf(enough, all).get();
    } catch (ExecutionException e) {
      // each send handles its own failure
    }
    long stored = phase(entry, "store", storeStart);
    // the members still storing go on in the background, so more than the threshold hold the blob
    Map<Integer, BlsSignature> signers = Map.copyOf(signatures);
    int rows = signers.keySet().stream().mapToInt(i -> counts[i]).sum();
    if (rows < threshold) {
      boolean down = 2 * k - unreachableRows.get() < threshold;
      return entry.status.failed(
          "members holding "
              + rows
              + " of "
              + 2 * k
              + " rows signed, "
              + threshold
              + " needed; "
              + failures.values(),
          down);
    }
    DaCertificate cert = DaCertificate.aggregate(square.dataRoot(), k, quorum, signers);
    long aggregated = phase(entry, "aggregate", stored);
    DaChain.Confirmation confirmation = chain.confirm(cert, entry.status.size());
    phase(entry, "confirm", aggregated);
    store.ifPresent(
        s ->
            s.put(
                entry.status.key(),
                new DisperserStore.Certified(entry.status.size(), cert, confirmation)));
    return entry.status.certified(cert, confirmation);
  }

  /** Records the phase that began at {@code since} and returns now, where the next one begins. */
  private long phase(Entry entry, String name, long since) {
    long now = System.nanoTime();
    phaseSeconds.labels(name).observe((now - since) / 1e9);
    LOG.debug("blob {}: {} {} ms", entry.status.key(), name, (now - since) / 1_000_000);
    return now;
  }

  private void fail(Map<Integer, String> failures, int member, DaOperator op, Throwable e) {
    memberFailures.inc();
    String why = "member " + op.id().toHexString() + ": " + e.getMessage();
    failures.put(member, why);
    LOG.info("blob dispersal: {}", why);
  }

  private BlsSignature sendTo(
      DaOperator op, ExtendedSquare square, Quorum quorum, int firstRow, int count)
      throws InterruptedException, ExecutionException, TimeoutException {
    Duration timeout = settings.requestTimeout();
    NodeId peer = connector.connect(op, timeout);
    int k = square.k();
    int pairBytes = 2 * 2 * k * BlobSquare.SHARE_SIZE;
    int perBatch = Math.max(1, DaWire.MAX_STORE_LINE_BYTES / pairBytes);
    for (int from = firstRow; from < firstRow + count; from += perBatch) {
      // the lines go from the square straight into the request, copied once
      Bytes store =
          DaWire.encodeStore(
              quorum.epoch(),
              quorum.quorumId(),
              square.roots(),
              from,
              Math.min(firstRow + count, from + perBatch) - from,
              square::copyLine);
      DaWire.Reply reply = ask(peer, store);
      if (!(reply instanceof DaWire.Stored)) {
        throw new InvalidInputException(
            "it answered a store with " + reply.getClass().getSimpleName());
      }
    }
    DaWire.Reply reply =
        ask(peer, new DaWire.Sign(square.dataRoot(), quorum.epoch(), quorum.quorumId()));
    return switch (reply) {
      case DaWire.Signed s -> s.signature();
      case DaWire.BadEncoding b ->
          throw new InvalidInputException("it claims the blob is badly encoded");
      default -> throw new InvalidInputException("it answered a sign request with " + reply);
    };
  }

  private DaWire.Reply ask(NodeId peer, DaWire.Request request)
      throws InterruptedException, ExecutionException, TimeoutException {
    return ask(peer, DaWire.encode(request));
  }

  private DaWire.Reply ask(NodeId peer, Bytes request)
      throws InterruptedException, ExecutionException, TimeoutException {
    Duration timeout = settings.requestTimeout();
    Bytes answer =
        connector
            .p2p()
            .request(peer, DaWire.DISPERSE, request, timeout)
            .get(timeout.toMillis() + 1000, TimeUnit.MILLISECONDS);
    return DaWire.decodeReply(answer);
  }

  @Override
  public void close() {
    workers.shutdownNow();
  }
}
