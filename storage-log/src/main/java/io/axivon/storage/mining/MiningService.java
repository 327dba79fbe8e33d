package io.axivon.storage.mining;

import io.axivon.common.time.Clock;
import io.axivon.sdk.mining.Answer;
import io.axivon.sdk.mining.MiningClientException;
import io.axivon.sdk.mining.MiningContext;
import io.axivon.sdk.mining.Pora;
import io.axivon.storage.node.ShardConfig;
import java.math.BigInteger;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import org.apache.tuweni.bytes.Bytes32;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The storage node's miner (specs/pora.md section 14): registers the miner id on start, follows the
 * flow's mining context, keeps the recall range sealed in the background ({@link Sealer}), runs the
 * search ({@link Miner}) in rounds against the current context and target, and submits each answer
 * once per context through {@link MiningChain}.
 *
 * <p>The recall range is the flow from sector 0, capped at {@code MAX_RANGE} (for a sharded node,
 * whole segments only: answers name the node's shard and recall only its segments). The sealed copy
 * grows with the flow: once the units it covers are all tried and the flow has grown past them, the
 * new units are appended as a run sealed with the then current context; units already sealed keep
 * theirs ({@link SealedStore}, which records the runs, so a restart resumes the copy).
 */
public final class MiningService implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(MiningService.class);

  /**
   * @param dir where the sealed copy lives
   * @param threads search threads
   * @param sealUnitsPerSecond the sealer's throttle (4 KiB units per second)
   * @param poll wait between chain reads when there is nothing to search
   * @param noncesPerRound nonces each thread tries before the context is read again
   */
  public record Config(
      Path dir,
      int threads,
      double sealUnitsPerSecond,
      Duration poll,
      long noncesPerRound,
      ShardConfig shard) {
    public Config {
      Objects.requireNonNull(dir, "dir");
      Objects.requireNonNull(shard, "shard");
      if (threads < 1 || noncesPerRound < 1 || !(sealUnitsPerSecond > 0)) {
        throw new IllegalArgumentException("threads, noncesPerRound and the seal rate must be > 0");
      }
    }

    /** A miner of the whole flow. */
    public Config(
        Path dir, int threads, double sealUnitsPerSecond, Duration poll, long noncesPerRound) {
      this(dir, threads, sealUnitsPerSecond, poll, noncesPerRound, ShardConfig.ALL);
    }

    public static Config defaults(Path dir, int threads) {
      return new Config(dir, threads, 4096, Duration.ofSeconds(1), 1 << 14);
    }
  }

  /** What the miner is doing, for status output. */
  public record Status(
      Bytes32 minerId,
      Optional<MiningContext> context,
      BigInteger target,
      long rangeUnits,
      long sealedUnits,
      long hashes,
      double hashesPerSecond,
      long answersFound,
      long answersAccepted,
      long answersRefused,
      BigInteger rewardsWei,
      Optional<String> lastError) {}

  private final Config config;
  private final MiningChain chain;
  private final FlowUnits flow;
  private final MinerMetrics metrics;
  private final Clock clock;
  private final SecureRandom random = new SecureRandom();
  private final Object statusLock = new Object();

  private Thread loop;
  private volatile boolean running;
  // owned by the loop thread
  private volatile SealedStore store;
  private Thread sealer;
  private Miner miner;
  private Bytes32 wonContext;
  private Bytes32 retriedFor; // the context in which missing units were last tried again
  // status, guarded by statusLock
  private MiningContext lastContext;
  private BigInteger lastTarget = BigInteger.ZERO;
  private double hashRate;
  private long rangeUnits;
  private long accepted;
  private long refused;
  private BigInteger rewards = BigInteger.ZERO;
  private String lastError;

  public MiningService(
      Config config, MiningChain chain, FlowUnits flow, MinerMetrics metrics, Clock clock) {
    this.config = config;
    this.chain = chain;
    this.flow = flow;
    this.metrics = metrics;
    this.clock = clock;
  }

  /** Registers the miner id if needed, then mines on a thread of its own until {@link #close}. */
  public synchronized void start() throws InterruptedException {
    if (!chain.registered()) {
      chain.register();
      LOG.info("registered miner {}", chain.minerId());
    }
    running = true;
    loop = Thread.ofPlatform().name("pora-miner").daemon().start(this::run);
  }

  public Bytes32 minerId() {
    return chain.minerId();
  }

  public Status status() {
    synchronized (statusLock) {
      return new Status(
          chain.minerId(),
          Optional.ofNullable(lastContext),
          lastTarget,
          rangeUnits,
          (long) metrics.sealedUnits.get(),
          (long) metrics.hashes(),
          hashRate,
          (long) metrics.answers(),
          accepted,
          refused,
          rewards,
          Optional.ofNullable(lastError));
    }
  }

  private void run() {
    while (running) {
      try {
        if (!step()) {
          Thread.sleep(config.poll().toMillis());
        }
      } catch (InterruptedException e) {
        return;
      } catch (RuntimeException e) {
        LOG.warn("mining: {}", e.getMessage());
        error(e.getMessage());
        try {
          Thread.sleep(config.poll().toMillis());
        } catch (InterruptedException ie) {
          return;
        }
      }
    }
  }

  /** One round; false when there was nothing to search (the caller waits). */
  boolean step() throws InterruptedException {
    MiningContext ctx = chain.context();
    BigInteger target = chain.target();
    synchronized (statusLock) {
      lastContext = ctx;
      lastTarget = target;
    }
    if (rangeUnits(ctx) == 0) {
      return false; // no whole unit (for a shard: no segment of the shard) to recall yet
    }
    ensureStore(ctx);
    Bytes32 digest = ctx.digest();
    if (miner == null || digest.equals(wonContext) || store.sealedUnits() == 0) {
      return false; // one answer per context; nothing sealed to search yet
    }
    long before = (long) metrics.hashes();
    long t0 = clock.nanos();
    Optional<Answer> found =
        miner.mine(ctx, target, Bytes32.random(random), config.noncesPerRound());
    long dt = Math.max(1, clock.nanos() - t0);
    double rate = ((long) metrics.hashes() - before) * 1e9 / dt;
    metrics.hashRate.set(rate);
    synchronized (statusLock) {
      hashRate = rate;
    }
    if (found.isPresent()) {
      submit(found.get(), digest);
    }
    return true;
  }

  private void submit(Answer a, Bytes32 digest) throws InterruptedException {
    try {
      BigInteger reward = chain.submit(a);
      wonContext = digest;
      metrics.rewarded(reward);
      metrics.accepted.inc();
      synchronized (statusLock) {
        accepted++;
        rewards = rewards.add(reward);
      }
      LOG.info("answer accepted for epoch context {}: reward {} wei", digest, reward);
    } catch (MiningClientException e) {
      metrics.refused.inc();
      synchronized (statusLock) {
        refused++;
      }
      if (e.getMessage().contains("replay")) {
        wonContext = digest; // already paid in this context (an earlier answer got through)
      }
      LOG.info("answer refused: {}", e.getMessage());
      error(e.getMessage());
    }
  }

  private void error(String message) {
    synchronized (statusLock) {
      lastError = message;
    }
  }

  // Units of the recall range under ctx: the flow from unit 0 up to maxRange, for a shard whole
  // segments only, and none while the range holds no segment of the shard.
  private long rangeUnits(MiningContext ctx) {
    return minable(Pora.maxRange(ctx.flowLength()) / Pora.UNIT_SECTORS);
  }

  // The units of [0, units) an answer's range may name: for a shard whole segments, 0 if the
  // shard has none there.
  private long minable(long units) {
    ShardConfig shard = config.shard();
    if (shard.numShard() == 1) {
      return units;
    }
    units -= units % Pora.SEGMENT_UNITS;
    return Pora.shardError(0, units * Pora.UNIT_SECTORS, shard.shardId(), shard.numShard()) == null
        ? units
        : 0;
  }

  // Opens the sealed copy (resuming the recorded runs), appends the units the flow has grown by
  // once the copy's units were all tried, and keeps the sealer and the search on the copy's range.
  private void ensureStore(MiningContext ctx) {
    long units = rangeUnits(ctx);
    if (store == null) {
      store = SealedStore.open(config.dir(), chain.minerId());
      LOG.info("sealed copy resumed: {} units in {} runs", store.endUnit(), store.runs().size());
    }
    if (store.complete() && units > store.endUnit()) {
      stopSealer();
      long from = store.endUnit();
      store.extend(units, ctx.digest(), ctx.flowLength());
      closeMiner();
      LOG.info("sealing units [{}, {}) under context {}", from, units, ctx.digest());
    }
    long range = minable(store.endUnit()); // a copy of an unsharded run may end mid-segment
    if (miner == null && range > 0) {
      ShardConfig shard = config.shard();
      miner =
          new Miner(
              new Miner.Config(
                  chain.minerId(),
                  0,
                  range * Pora.UNIT_SECTORS,
                  shard.shardId(),
                  shard.numShard(),
                  config.threads()),
              store,
              flow,
              metrics);
      synchronized (statusLock) {
        rangeUnits = range;
      }
    }
    if (!store.complete()) {
      if (sealer == null || !sealer.isAlive()) {
        startSealer();
      }
      return;
    }
    // once per context, seal the units that were not held when tried (uploaded since)
    long held =
        range == 0
            ? 0
            : Pora.shardUnits(
                0, range * Pora.UNIT_SECTORS, config.shard().shardId(), config.shard().numShard());
    if (!ctx.digest().equals(retriedFor) && store.sealedUnits() < held) {
      retriedFor = ctx.digest();
      stopSealer(); // done already; stopped before the cursor moves (an interrupt mid-write
      // would close the store's channel)
      if (store.retryMissing()) {
        startSealer();
      }
    }
  }

  private void startSealer() {
    stopSealer();
    Sealer s = new Sealer(store, flow, metrics, clock, config.sealUnitsPerSecond());
    sealer = Thread.ofPlatform().name("pora-sealer").daemon().start(s);
  }

  private void stopSealer() {
    if (sealer != null) {
      sealer.interrupt();
      try {
        sealer.join();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      sealer = null;
    }
  }

  private void closeMiner() {
    if (miner != null) {
      miner.close();
      miner = null;
    }
  }

  private void closeStore() {
    stopSealer();
    closeMiner();
    if (store != null) {
      store.close();
      store = null;
    }
  }

  /** Stops the search and the sealer, and closes the sealed copy. */
  @Override
  public synchronized void close() {
    running = false;
    if (loop != null) {
      loop.interrupt();
      try {
        loop.join(Duration.ofSeconds(30));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    closeStore();
  }
}
