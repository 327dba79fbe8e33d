package io.axivon.sdk.mining;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigInteger;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.LongRange;
import org.junit.jupiter.api.Test;

class DifficultyTest {
  private static final BigInteger T = BigInteger.ONE.shiftLeft(200);

  @Test
  void movesTowardTheWantedCount() {
    assertThat(Difficulty.retarget(T, 8, 4)).isEqualTo(T.shiftRight(1));
    assertThat(Difficulty.retarget(T, 2, 4)).isEqualTo(T.shiftLeft(1));
    assertThat(Difficulty.retarget(T, 4, 4)).isEqualTo(T);
    assertThat(Difficulty.retarget(T, 0, 4)).isEqualTo(T.shiftLeft(2));
    assertThat(Difficulty.retarget(T, 1000, 4)).isEqualTo(T.shiftRight(2)); // clamped
    assertThat(Difficulty.retarget(Difficulty.MAX_TARGET, 0, 4)).isEqualTo(Difficulty.MAX_TARGET);
    assertThat(Difficulty.retarget(BigInteger.ONE, 100, 1)).isEqualTo(BigInteger.ONE);
  }

  @Property(tries = 200)
  void staysInBoundsAndWithinFactorFour(
      @ForAll @LongRange(min = 1, max = Long.MAX_VALUE) long t,
      @ForAll @LongRange(min = 0, max = 1000) long answers,
      @ForAll @LongRange(min = 1, max = 100) long wanted) {
    BigInteger target = BigInteger.valueOf(t).shiftLeft(190);
    BigInteger next = Difficulty.retarget(target, answers, wanted);
    assertThat(next).isBetween(target.divide(BigInteger.valueOf(4)), target.shiftLeft(2));
    assertThat(next.signum()).isPositive();
    assertThat(next).isLessThanOrEqualTo(Difficulty.MAX_TARGET);
  }

  /**
   * 40 miners, each doing 10,000 search steps per epoch, at most one answer each per context; from
   * a target 1000× too easy and 1000× too hard, the answer count settles near 8 per epoch.
   */
  @Test
  void convergesOverSimulatedEpochs() {
    for (BigInteger start :
        new BigInteger[] {FlowFixture.oneIn(10), FlowFixture.oneIn(100_000_000L)}) {
      Random r = new Random(42);
      BigInteger target = start;
      long lastTen = 0;
      for (int epoch = 0; epoch < 60; epoch++) {
        double p = Math.min(1, target.doubleValue() / Math.pow(2, 256)); // one step succeeds
        double pMiner = 1 - Math.pow(1 - p, 10_000); // a miner answers this epoch
        long answers = 0;
        for (int m = 0; m < 40; m++) {
          if (r.nextDouble() < pMiner) {
            answers++;
          }
        }
        if (epoch >= 50) {
          lastTen += answers;
        }
        target = Difficulty.retarget(target, answers, 8);
      }
      assertThat(lastTen).as("answers over the last 10 epochs from " + start).isBetween(40L, 130L);
    }
  }
}
