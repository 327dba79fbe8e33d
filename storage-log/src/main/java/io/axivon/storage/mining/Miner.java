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
   * @param sealContext the recorded context the store is sealed with
   * @param sealContextLength that context's flow length
   * @param rangeStart first sector of the recall range (a multiple of 16)
   * @param rangeLength sectors of the range (a multiple of 16)
   * @param threads search threads
   */
  public record Config(
      Bytes32 minerId,
      Bytes32 sealContext,
      long sealContextLength,
      long rangeStart,
      long rangeLength,
      int threads) {
    public Config {
      if (threads < 1) {
        throw new IllegalArgumentException("threads must be >= 1");
      }
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
    Optional<FlowUnits.UnitProof> proof = flow.proof(unit, ctx);
    byte[] sealed = new byte[Pora.UNIT_BYTES];
    if (proof.isEmpty() || !store.read(unit, sealed)) {
      return Optional.empty();
    }
    Answer a =
        new Answer(
            digest,
            config.minerId(),
            hit.nonce(),
            config.rangeStart(),
            config.rangeLength(),
            hit.recallPosition(),
            config.sealContext(),
            proof.get().unitRoot(),
            Bytes.wrap(sealed),
            proof.get().siblings());
    Verdict v = AnswerVerifier.verify(a, ctx, digest, target, localLedger());
    if (v instanceof Verdict.Rejected r) {
      if (r.reason() == Rejection.WRONG_SEAL) {
        synchronized (store) {
          store.verifyOrReseal(unit, proof.get().unitRoot(), flow);
        }
        metrics.resealed.inc();
      }
      return Optional.empty();
    }
    return Optional.of(a);
  }

  // What the miner knows of the chain's records: itself registered, its seal context recorded.
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
        return d.equals(config.sealContext())
            ? OptionalLong.of(config.sealContextLength())
            : OptionalLong.empty();
      }
    };
  }

  @Override
  public void close() {
    pool.shutdownNow();
  }
}
