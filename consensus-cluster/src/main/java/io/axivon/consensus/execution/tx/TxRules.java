package io.axivon.consensus.execution.tx;

import java.math.BigInteger;
import java.util.Optional;

/**
 * Checks that need no state, in go-ethereum's order, each returning its message on failure. The
 * state checks (nonce, balance) live with the executor, which has the state.
 */
public final class TxRules {
  private TxRules() {}

  /**
   * What is wrong with {@code tx} on its own for a chain with this block gas limit, or empty: size
   * of init code, block gas limit, fee cap versus tip, intrinsic gas.
   */
  public static Optional<String> checkStateless(Transaction tx, long blockGasLimit) {
    if (tx.isCreate() && tx.data().size() > IntrinsicGas.MAX_INITCODE_SIZE) {
      return Optional.of(
          TxErrors.MAX_INITCODE_SIZE
              + ": code size "
              + tx.data().size()
              + ", limit "
              + IntrinsicGas.MAX_INITCODE_SIZE);
    }
    if (tx.gasLimit() > blockGasLimit) {
      return Optional.of(TxErrors.GAS_LIMIT);
    }
    if (tx.maxFeePerGas().compareTo(tx.maxPriorityFeePerGas()) < 0) {
      return Optional.of(TxErrors.TIP_ABOVE_FEE_CAP);
    }
    if (tx.gasLimit() < IntrinsicGas.of(tx)) {
      return Optional.of(TxErrors.INTRINSIC_GAS);
    }
    return Optional.empty();
  }

  /** The most the sender can be charged: gasLimit * maxFeePerGas + value (what must be covered). */
  public static BigInteger maxCost(Transaction tx) {
    return BigInteger.valueOf(tx.gasLimit()).multiply(tx.maxFeePerGas()).add(tx.value());
  }

  /** Whether the fee cap covers {@code baseFee}, else go-ethereum's message. */
  public static Optional<String> checkBaseFee(Transaction tx, BigInteger baseFee) {
    if (tx.maxFeePerGas().compareTo(baseFee) < 0) {
      return Optional.of(TxErrors.FEE_CAP_TOO_LOW);
    }
    return Optional.empty();
  }
}
