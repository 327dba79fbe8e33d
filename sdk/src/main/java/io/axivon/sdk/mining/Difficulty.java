package io.axivon.sdk.mining;

import java.math.BigInteger;

/** The per-epoch retarget of specs/pora.md section 7. */
public final class Difficulty {
  /** The largest target: every quality meets it. */
  public static final BigInteger MAX_TARGET =
      BigInteger.ONE.shiftLeft(256).subtract(BigInteger.ONE);

  private static final BigInteger FOUR = BigInteger.valueOf(4);

  private Difficulty() {}

  /**
   * The next target after an epoch that had {@code answers} accepted answers, aiming at {@code
   * wanted} per epoch: {@code target · wanted / answers} ({@code target · 4} when none), at most a
   * factor 4 either way, within {@code [1, 2^256 − 1]}.
   */
  public static BigInteger retarget(BigInteger target, long answers, long wanted) {
    if (target.signum() <= 0 || target.compareTo(MAX_TARGET) > 0 || answers < 0 || wanted < 1) {
      throw new IllegalArgumentException("retarget arguments out of range");
    }
    BigInteger next =
        answers == 0
            ? target.multiply(FOUR)
            : target.multiply(BigInteger.valueOf(wanted)).divide(BigInteger.valueOf(answers));
    BigInteger lo = target.divide(FOUR);
    BigInteger hi = target.multiply(FOUR);
    next = next.max(lo).min(hi);
    return next.max(BigInteger.ONE).min(MAX_TARGET);
  }
}
