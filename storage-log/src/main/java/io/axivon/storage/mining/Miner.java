package io.axivon.storage.mining;

import io.axivon.sdk.mining.Answer;
import io.axivon.sdk.mining.AnswerVerifier;
import io.axivon.sdk.mining.MiningContext;
import io.axivon.sdk.mining.Pora;
import io.axivon.sdk.mining.PoraSearch;
import io.axivon.sdk.mining.Rejection;
import io.axivon.sdk.mining.Verdict;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.tuweni.bytes.Bytes;
import org.apache.tuweni.bytes.Bytes32;

/**
 * The PoRA search over a {@link SealedStore} (specs/pora.md section 6): {@code threads} search
 * threads try disjoint nonce ranges against one context; a hit is proven through {@link FlowUnits},
 * checked with the chain's own {@link AnswerVerifier} and only then returned, so a corrupt sealed
 * unit is detected (and sealed again) instead of submitted.
 */
public final class Miner implements AutoCloseable {
  /**
   * @param minerId the registered miner id
   * @param rangeStart first sector of the recall range (a multiple of 16)
   * @param rangeLength sectors of the range (a multiple of 16)
   * @param shardId the shard the node keeps ({@code g mod numShard = shardId} of segment {@code g})
   * @param numShard a power of two, 1 for the whole flow; above 1 the range is whole segments
   * @param threads search threads
   */
  public record Config(
      Bytes32 minerId,
      long rangeStart,
      long rangeLength,
      long shardId,
      long numShard,
      int threads) {
    public Config {
      if (threads < 1) {
        throw new IllegalArgumentException("threads must be >= 1");
      }
      String bad = Pora.shardError(rangeStart, rangeLength, shardId, numShard);
      if (bad != null) {
        throw new IllegalArgumentException(bad);
      }
    }

    /** An unsharded miner. */
    public static Config whole(Bytes32 minerId, long rangeStart, long rangeLength, int threads) {
      return new Config(minerId, rangeStart, rangeLength, 0, 1, threads);
    }
  }

  private static final int BATCH = 1024; // nonces between stop checks

  private final Config config;
  private final SealedStore store;
  private final FlowUnits flow;
  private final MinerMetrics metrics;
  private final ExecutorService pool;

  public Miner(Config config, SealedStore store, FlowUnits flow, MinerMetrics metrics) {
    this.config = config;
    this.store = store;
    this.flow = flow;
    this.metrics = metrics;
    this.pool = Executors.newFixedThreadPool(config.threads());
  }

  /**
   * Searches {@code noncesPerThread} nonces on each thread under {@code ctx}; returns the first
   * answer that passes the local check.
   */
  public Optional<Answer> mine(
      MiningContext ctx, BigInteger target, Bytes32 noncePrefix, long noncesPerThread)
      throws InterruptedException {
    metrics.sealedUnits.set(store.sealedUnits());
    Bytes32 digest = ctx.digest();
    AtomicBoolean stop = new AtomicBoolean();
    List<Future<Optional<Answer>>> runs = new ArrayList<>();
    for (int t = 0; t < config.threads(); t++) {
      long first = t * noncesPerThread;
      runs.add(
          pool.submit(
              () -> search(ctx, digest, target, noncePrefix, first, noncesPerThread, stop)));
    }
    Optional<Answer> found = Optional.empty();
    for (Future<Optional<Answer>> f : runs) {
      try {
        Optional<Answer> a = f.get();
        if (found.isEmpty() && a.isPresent()) {
          found = a;
        }
      } catch (ExecutionException e) {
        throw new IllegalStateException("search thread failed", e.getCause());
      }
    }
    found.ifPresent(a -> metrics.answers.inc());
    return found;
  }

  private Optional<Answer> search(
      MiningContext ctx,
      Bytes32 digest,
      BigInteger target,
      Bytes32 prefix,
      long first,
      long count,
      AtomicBoolean stop) {
    PoraSearch search =
        new PoraSearch(
            config.minerId(),
            digest,
            ctx.flowLength(),
            config.rangeStart(),
            config.rangeLength(),
            config.shardId(),
            config.numShard(),
            target);
    long next = first;
    long end = first + count;
    while (next < end && !stop.get()) {
      long n = Math.min(BATCH, end - next);
      long before = search.hashes();
      Optional<PoraSearch.Hit> hit = search.search(prefix, next, n, store::read);
      metrics.hashes.inc(search.hashes() - before);
      if (hit.isEmpty()) {
        next += n;
        continue;
      }
      next = hit.get().nonce().slice(24).toLong() + 1;
      Optional<Answer> a = prove(ctx, digest, target, hit.get());
      if (a.isPresent()) {
        stop.set(true);
        return a;
      }
    }
    return Optional.empty();
  }

  // Builds the answer for a hit and checks it as the chain will.
  private Optional<Answer> prove(
      MiningContext ctx, Bytes32 digest, BigInteger target, PoraSearch.Hit hit) {
    long unit = hit.recallPosition() / Pora.UNIT_SECTORS;
    Optional<SealedStore.Run> run = store.runOf(unit);
    Optional<FlowUnits.UnitProof> proof = flow.proof(unit, ctx);
    byte[] sealed = new byte[Pora.UNIT_BYTES];
    if (run.isEmpty() || proof.isEmpty() || !store.read(unit, sealed)) {
      return Optional.empty();
    }
    Answer a =
        new Answer(
            digest,
            config.minerId(),
            hit.nonce(),
            config.rangeStart(),
            config.rangeLength(),
            config.shardId(),
            config.numShard(),
            hit.recallPosition(),
            run.get().sealContext(), // the context this unit was sealed with
            proof.get().unitRoot(),
            Bytes.wrap(sealed),
            proof.get().siblings());
    Verdict v = AnswerVerifier.verify(a, ctx, digest, target, localLedger());
    if (v instanceof Verdict.Rejected r) {
      if (r.reason() == Rejection.WRONG_SEAL) {
        store.verifyOrReseal(unit, proof.get().unitRoot(), flow);
        metrics.resealed.inc();
      }
      return Optional.empty();
    }
    return Optional.of(a);
  }

  // What the miner knows of the chain's records: itself registered, its runs' contexts recorded.
  private AnswerVerifier.Ledger localLedger() {
    return new AnswerVerifier.Ledger() {
      @Override
      public boolean registered(Bytes32 minerId) {
        return true;
      }

      @Override
      public boolean rewarded(Bytes32 contextDigest, Bytes32 minerId) {
        return false;
      }

      @Override
      public OptionalLong sealContextLength(Bytes32 d) {
        for (SealedStore.Run r : store.runs()) {
          if (r.sealContext().equals(d)) {
            return OptionalLong.of(r.sealContextLength());
          }
        }
        return OptionalLong.empty();
      }
    };
  }

  @Override
  public void close() {
    pool.shutdownNow();
  }
}
