package io.axivon.consensus.execution.evm;

import io.axivon.common.crypto.secp256k1.Address;
import io.axivon.consensus.execution.tx.AccessTuple;
import java.math.BigInteger;
import java.util.List;
import java.util.Optional;
import org.apache.tuweni.bytes.Bytes;

/**
 * A top-level EVM message: the part of a transaction the EVM runs once the caller has paid for gas.
 * {@code gas} is what is left after intrinsic gas; {@code gasPrice} is what GASPRICE returns.
 */
public record Message(
    Address caller,
    Optional<Address> to,
    BigInteger value,
    Bytes data,
    long gas,
    BigInteger gasPrice,
    List<AccessTuple> accessList) {
  public Message {
    if (caller == null || to == null || value == null || data == null || gasPrice == null) {
      throw new IllegalArgumentException("message fields must not be null");
    }
    if (gas < 0) {
      throw new IllegalArgumentException("message gas must be >= 0");
    }
    accessList = List.copyOf(accessList);
  }
}
