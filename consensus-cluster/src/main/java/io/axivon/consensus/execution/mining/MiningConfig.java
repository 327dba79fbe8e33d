package io.axivon.consensus.execution.mining;

import io.axivon.sdk.mining.Difficulty;
import java.math.BigInteger;

/**
 * The mining module's parameters (specs/pora.md section 12).
 *
 * @param initialTarget the target until the first retarget, in {@code [1, 2^256 − 1]}
 * @param targetAnswersPerEpoch the answers per epoch the retarget aims at, ≥ 1
 * @param releasePerEpochPpm the part of a pricing chunk's unreleased fees released per epoch, in
 *     millionths, {@code 1 … 1,000,000}
 */
public record MiningConfig(
    BigInteger initialTarget, long targetAnswersPerEpoch, long releasePerEpochPpm) {
  public MiningConfig {
    if (initialTarget == null
        || initialTarget.signum() <= 0
        || initialTarget.compareTo(Difficulty.MAX_TARGET) > 0) {
      throw new IllegalArgumentException("initialTarget must be in [1, 2^256 - 1]");
    }
    if (targetAnswersPerEpoch < 1) {
      throw new IllegalArgumentException("targetAnswersPerEpoch must be >= 1");
    }
    if (releasePerEpochPpm < 1 || releasePerEpochPpm > ChunkRewards.PPM) {
      throw new IllegalArgumentException("releasePerEpochPpm must be in [1, 1000000]");
    }
  }

  /**
   * Devnet values: an answer in about 4,096 search steps (well under a second on one core), 4
   * answers per epoch, 1 % of a chunk's fees released per epoch.
   */
  public static MiningConfig devnet() {
    return new MiningConfig(BigInteger.ONE.shiftLeft(256 - 12), 4, 10_000);
  }
}
