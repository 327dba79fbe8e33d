package io.axivon.common.time;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

/** A clock that moves only when told to: for tests and the deterministic simulator. */
public final class ManualClock implements Clock {
  private final AtomicLong nanos;

  public ManualClock(long startMillis) {
    this.nanos = new AtomicLong(Math.multiplyExact(startMillis, 1_000_000L));
  }

  @Override
  public long millis() {
    return nanos.get() / 1_000_000L;
  }

  @Override
  public long nanos() {
    return nanos.get();
  }

  public void advance(Duration by) {
    if (by.isNegative()) {
      throw new IllegalArgumentException("a clock cannot go back: " + by);
    }
    nanos.addAndGet(by.toNanos());
  }
}
