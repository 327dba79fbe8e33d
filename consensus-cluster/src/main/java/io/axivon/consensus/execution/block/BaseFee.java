package io.axivon.consensus.execution.block;

import java.math.BigInteger;

/**
 * EIP-1559's base fee update: the target is gasLimit / elasticity; above it the fee rises by up to
 * 1/denominator per block, below it falls by as much (never below zero; a rise is at least 1 wei).
 */
public record BaseFee(BigInteger initial, int elasticity, int denominator) {
  public static final BigInteger ONE_GWEI = BigInteger.TEN.pow(9);

  /** Ethereum's: 1 gwei to start (our choice), elasticity 2, denominator 8. */
  public static BaseFee ethereum() {
    return new BaseFee(ONE_GWEI, 2, 8);
  }

  public BaseFee {
    if (initial == null || initial.signum() < 0 || elasticity < 1 || denominator < 1) {
      throw new IllegalArgumentException("base fee >= 0, elasticity and denominator >= 1");
    }
  }

  /** The base fee of the block after a parent with these figures. */
  public BigInteger next(BigInteger parentBaseFee, long parentGasUsed, long parentGasLimit) {
    long target = parentGasLimit / elasticity;
    if (target == 0 || parentGasUsed == target) {
      return parentBaseFee;
    }
    BigInteger den = BigInteger.valueOf(target).multiply(BigInteger.valueOf(denominator));
    if (parentGasUsed > target) {
      BigInteger delta =
          parentBaseFee.multiply(BigInteger.valueOf(parentGasUsed - target)).divide(den);
      return parentBaseFee.add(delta.max(BigInteger.ONE));
    }
    BigInteger delta =
        parentBaseFee.multiply(BigInteger.valueOf(target - parentGasUsed)).divide(den);
    return parentBaseFee.subtract(delta).max(BigInteger.ZERO);
  }
}
