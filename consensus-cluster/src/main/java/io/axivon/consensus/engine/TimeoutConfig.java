package io.axivon.consensus.engine;

/**
 * Timeout durations in milliseconds, each {@code base + round * delta} (commit: fixed): growing
 * linearly with the round so that after the network stabilises some round is long enough for
 * everyone.
 */
public record TimeoutConfig(
    long proposeMs,
    long proposeDeltaMs,
    long prevoteMs,
    long prevoteDeltaMs,
    long precommitMs,
    long precommitDeltaMs,
    long commitMs) {
  /** CometBFT-like defaults: 3 s propose, 1 s prevote/precommit, +0.5 s per round, 1 s commit. */
  public static final TimeoutConfig DEFAULT =
      new TimeoutConfig(3000, 500, 1000, 500, 1000, 500, 1000);

  public TimeoutConfig {
    if (proposeMs < 0 || proposeDeltaMs < 0 || prevoteMs < 0) {
      throw new IllegalArgumentException("timeouts must be >= 0");
    }
    if (prevoteDeltaMs < 0 || precommitMs < 0 || precommitDeltaMs < 0 || commitMs < 0) {
      throw new IllegalArgumentException("timeouts must be >= 0");
    }
  }

  public long duration(Step step, int round) {
    return switch (step) {
      case PROPOSE -> proposeMs + round * proposeDeltaMs;
      case PREVOTE -> prevoteMs + round * prevoteDeltaMs;
      case PRECOMMIT -> precommitMs + round * precommitDeltaMs;
      case COMMIT -> commitMs;
    };
  }
}
