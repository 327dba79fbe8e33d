package io.axivon.storage.mining;

import io.axivon.common.time.Clock;

/**
 * Seals a miner's recall range in the background, throttled to {@code unitsPerSecond} (so sealing
 * leaves disk and CPU to serving), in batches that each end durable: stopping (interrupt) and
 * restarting resumes from the store's cursor.
 */
public final class Sealer implements Runnable {
  private static final int BATCH = 64; // 256 KiB per batch: one segment

  private final SealedStore store;
  private final FlowUnits source;
  private final MinerMetrics metrics;
  private final Clock clock;
  private final double unitsPerSecond;

  /**
   * @param unitsPerSecond the most units sealed per second; {@code Double.POSITIVE_INFINITY} for no
   *     limit
   */
  public Sealer(
      SealedStore store,
      FlowUnits source,
      MinerMetrics metrics,
      Clock clock,
      double unitsPerSecond) {
    if (!(unitsPerSecond > 0)) {
      throw new IllegalArgumentException("unitsPerSecond must be > 0");
    }
    this.store = store;
    this.source = source;
    this.metrics = metrics;
    this.clock = clock;
    this.unitsPerSecond = unitsPerSecond;
  }

  @Override
  public void run() {
    long start = clock.nanos();
    long done = 0;
    while (!store.complete() && !Thread.currentThread().isInterrupted()) {
      done += store.sealNext(BATCH, source);
      metrics.sealedUnits.set(store.sealedUnits());
      long due = (long) (done / unitsPerSecond * 1e9); // when this many units may be done
      long ahead = due - (clock.nanos() - start);
      if (ahead > 0) {
        try {
          Thread.sleep(ahead / 1_000_000, (int) (ahead % 1_000_000));
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
    }
  }
}
