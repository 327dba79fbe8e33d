package io.axivon.storage.mining;

import io.axivon.common.time.Clock;
import io.axivon.sdk.mining.Answer;
import io.axivon.sdk.mining.MiningClientException;
import io.axivon.sdk.mining.MiningContext;
import io.axivon.sdk.mining.Pora;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
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
 * <p>The recall range is the whole flow from sector 0, capped at {@code MAX_RANGE}. It is sealed
 * with the context current when sealing began (recorded in {@code dir/seal-context}, so a restart
 * resumes the same sealed copy); once that copy is complete and the flow has grown past it, the
 * grown range is sealed afresh under the then current context.
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
      Path dir, int threads, double sealUnitsPerSecond, Duration poll, long noncesPerRound) {
    public Config {
      Objects.requireNonNull(dir, "dir");
      if (threads < 1 || noncesPerRound < 1 || !(sealUnitsPerSecond > 0)) {
        throw new IllegalArgumentException("threads, noncesPerRound and the seal rate must be > 0");
      }
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
    if (Pora.maxRange(ctx.flowLength()) == 0) {
      return false;
    }
    ensureStore(ctx);
    Bytes32 digest = ctx.digest();
    if (digest.equals(wonContext) || store.sealedUnits() == 0) {
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

  // Opens the sealed copy of the range (resuming the recorded one) and starts sealing it.
  private void ensureStore(MiningContext ctx) {
    long units = Pora.maxRange(ctx.flowLength()) / Pora.UNIT_SECTORS;
    if (store != null && !store.complete()) {
      return; // still sealing
    }
    if (store != null && store.units() >= units) {
      // once per context, seal the units that were not held when tried (uploaded since)
      if (!ctx.digest().equals(retriedFor) && store.sealedUnits() < store.units()) {
        retriedFor = ctx.digest();
        stopSealer(); // done already; stopped before the cursor moves (an interrupt mid-write
        // would close the store's channel)
        if (store.retryMissing()) {
          startSealer();
        }
      }
      return;
    }
    Path recorded = config.dir().resolve("seal-context");
    Bytes32 sealCtx = ctx.digest();
    long sealLength = ctx.flowLength();
    if (store == null && Files.exists(recorded)) {
      String[] f = read(recorded).strip().split(" ");
      if (f.length == 3 && Long.parseLong(f[2]) <= units) {
        sealCtx = Bytes32.fromHexString(f[0]);
        sealLength = Long.parseLong(f[1]);
        units = Long.parseLong(f[2]);
      }
    }
    closeStore();
    write(recorded, sealCtx.toHexString() + " " + sealLength + " " + units + "\n");
    store = SealedStore.open(config.dir(), chain.minerId(), sealCtx, 0, (int) units);
    synchronized (statusLock) {
      rangeUnits = units;
    }
    miner =
        new Miner(
            new Miner.Config(
                chain.minerId(),
                sealCtx,
                sealLength,
                0,
                units * Pora.UNIT_SECTORS,
                config.threads()),
            store,
            flow,
            metrics);
    startSealer();
    LOG.info("sealing {} units under context {}", units, sealCtx);
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

  private void closeStore() {
    stopSealer();
    if (miner != null) {
      miner.close();
      miner = null;
    }
    if (store != null) {
      store.close();
      store = null;
    }
  }

  private static String read(Path p) {
    try {
      return Files.readString(p, StandardCharsets.US_ASCII);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void write(Path p, String s) {
    try {
      Files.createDirectories(p.getParent());
      Path tmp = p.resolveSibling(p.getFileName() + ".tmp");
      Files.writeString(tmp, s, StandardCharsets.US_ASCII);
      Files.move(tmp, p, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
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
