package io.axivon.consensus.execution.tx;

import io.axivon.common.crypto.secp256k1.Address;
import java.math.BigInteger;
import java.util.Optional;
import java.util.OptionalLong;
import org.apache.tuweni.bytes.Bytes;

/** Field checks shared by the transaction records (what the wire format itself guarantees). */
final class TxChecks {
  static final BigInteger TWO_256 = BigInteger.ONE.shiftLeft(256);

  private TxChecks() {}

  static void common(
      OptionalLong chainId,
      long nonce,
      long gasLimit,
      Optional<Address> to,
      BigInteger value,
      Bytes data) {
    if (chainId == null || to == null || data == null) {
      throw new IllegalArgumentException("transaction chain id, to and data must not be null");
    }
    // Nonces and gas are uint64 on the wire; we keep them below 2^63 to stay in a Java long.
    if (nonce < 0 || gasLimit < 0 || (chainId.isPresent() && chainId.getAsLong() < 0)) {
      throw new IllegalArgumentException("nonce, gas limit and chain id must be below 2^63");
    }
    uint256("value", value);
  }

  static void uint256(String what, BigInteger v) {
    if (v == null || v.signum() < 0 || v.compareTo(TWO_256) >= 0) {
      throw new IllegalArgumentException(what + " must be in [0, 2^256)");
    }
  }
}
