package io.axivon.p2p.peer;

import java.time.Duration;
import java.util.random.RandomGenerator;

/**
 * Exponential back-off with jitter: after {@code n >= 1} consecutive failures the delay is {@code
 * min(max, base * 2^(n-1))} times a uniform factor in [0.5, 1.5), so peers that failed together do
 * not retry together. The random source is injected for reproducible runs.
 */
public final class Backoff {
  private final long baseNanos;
  private final long maxNanos;
  private final RandomGenerator random;

  public Backoff(Duration base, Duration max, RandomGenerator random) {
    if (base.isNegative() || base.isZero() || max.compareTo(base) < 0) {
      throw new IllegalArgumentException("need 0 < base <= max, got " + base + ", " + max);
    }
    this.baseNanos = base.toNanos();
    this.maxNanos = max.toNanos();
    this.random = random;
  }

  public Duration delay(int failures) {
    if (failures <= 0) {
      return Duration.ZERO;
    }
    int shift = Math.min(failures - 1, 62);
    long raw = baseNanos > (maxNanos >> shift) ? maxNanos : Math.min(maxNanos, baseNanos << shift);
    double factor = 0.5 + random.nextDouble();
    return Duration.ofNanos((long) (raw * factor));
  }
}
