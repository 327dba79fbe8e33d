package io.axivon.p2p.peer;

import io.axivon.common.time.Clock;

/**
 * A token bucket: holds up to {@code capacity} tokens, refilled at {@code ratePerSecond} from the
 * clock's monotonic reading. Thread-safe.
 */
public final class TokenBucket {
  private final Clock clock;
  private final double ratePerNano;
  private final double capacity;
  private double tokens;
  private long lastNanos;

  public TokenBucket(Clock clock, double ratePerSecond, double capacity) {
    if (!(ratePerSecond > 0) || !(capacity > 0)) {
      throw new IllegalArgumentException("rate and capacity must be positive");
    }
    this.clock = clock;
    this.ratePerNano = ratePerSecond / 1e9;
    this.capacity = capacity;
    this.tokens = capacity;
    this.lastNanos = clock.nanos();
  }

  /** Takes {@code amount} tokens if that many are there; otherwise takes none. */
  public synchronized boolean tryTake(double amount) {
    refill();
    if (tokens >= amount) {
      tokens -= amount;
      return true;
    }
    return false;
  }

  public synchronized double available() {
    refill();
    return tokens;
  }

  private void refill() {
    long now = clock.nanos();
    long elapsed = now - lastNanos;
    if (elapsed > 0) {
      tokens = Math.min(capacity, tokens + elapsed * ratePerNano);
      lastNanos = now;
    }
  }
}
