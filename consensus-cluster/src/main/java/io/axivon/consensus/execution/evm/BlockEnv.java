package io.axivon.consensus.execution.evm;

import io.axivon.common.crypto.secp256k1.Address;
import java.math.BigInteger;
import org.apache.tuweni.bytes.Bytes32;

/**
 * What the EVM sees of the block: NUMBER, TIMESTAMP (seconds), COINBASE, GASLIMIT, BASEFEE,
 * PREVRANDAO and CHAINID.
 */
public record BlockEnv(
    long chainId,
    long number,
    long timeSeconds,
    Address coinbase,
    long gasLimit,
    BigInteger baseFee,
    Bytes32 prevRandao) {
  public BlockEnv {
    if (coinbase == null || baseFee == null || prevRandao == null) {
      throw new IllegalArgumentException(
          "block env coinbase, base fee and prevRandao are required");
    }
    if (number < 0 || timeSeconds < 0 || gasLimit <= 0 || baseFee.signum() < 0) {
      throw new IllegalArgumentException("block env numbers out of range");
    }
  }
}
