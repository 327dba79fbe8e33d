package io.axivon.common.time;

/**
 * The only way a core reads time. Cores take a {@code Clock} so simulations and tests drive time
 * themselves; only the shell at the edge uses {@link #system()}.
 */
public interface Clock {

  /** Milliseconds since the Unix epoch. */
  long millis();

  /** A monotonic reading in nanoseconds, only meaningful as a difference of two readings. */
  long nanos();

  static Clock system() {
    return SystemClock.INSTANCE;
  }
}
