package io.axivon.common.time;

/** Wall and monotonic time from the JVM; stateless, so one shared instance is safe. */
enum SystemClock implements Clock {
  INSTANCE;

  @Override
  public long millis() {
    return System.currentTimeMillis();
  }

  @Override
  public long nanos() {
    return System.nanoTime();
  }
}
