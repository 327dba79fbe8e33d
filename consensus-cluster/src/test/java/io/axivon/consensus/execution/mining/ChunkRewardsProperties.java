package io.axivon.consensus.execution.mining;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigInteger;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.LongRange;
import org.junit.jupiter.api.Test;

class ChunkRewardsProperties {
  @Property(tries = 300)
  void decayIsMonotoneAndCloseToExponential(
      @ForAll @LongRange(min = 0, max = Long.MAX_VALUE) long amount,
      @ForAll @LongRange(min = 0, max = 5000) long epochs,
      @ForAll @LongRange(min = 1, max = 1_000_000) long ppm) {
    BigInteger a = BigInteger.valueOf(amount).shiftLeft(40);
    BigInteger r = ChunkRewards.remaining(a, epochs, ppm);
    assertThat(r).isBetween(BigInteger.ZERO, a);
    assertThat(ChunkRewards.remaining(a, epochs + 1, ppm)).isLessThanOrEqualTo(r);
    double exact = a.doubleValue() * Math.pow(1 - ppm / 1e6, epochs);
    // flooring at each of at most ~2·13 fixed-point products loses a tiny relative amount
    assertThat(r.doubleValue()).isBetween(exact * (1 - 1e-9) - 64, exact * (1 + 1e-9) + 1);
  }

  @Test
  void edges() {
    BigInteger a = BigInteger.TEN.pow(30);
    assertThat(ChunkRewards.remaining(a, 0, 10_000)).isEqualTo(a);
    assertThat(ChunkRewards.remaining(a, 1, 1_000_000)).isZero();
    // 1 % per epoch: after 69 epochs about half is left
    double half = ChunkRewards.remaining(a, 69, 10_000).doubleValue() / a.doubleValue();
    assertThat(half).isBetween(0.49, 0.51);
  }
}
