package io.axivon.consensus.execution.tx;

import io.axivon.common.crypto.secp256k1.Address;
import java.math.BigInteger;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import org.apache.tuweni.bytes.Bytes;

/** A type-1 (EIP-2930) transaction: a legacy gas price plus an access list. */
public record AccessListTransaction(
    long chainIdValue,
    long nonce,
    BigInteger gasPrice,
    long gasLimit,
    Optional<Address> to,
    BigInteger value,
    Bytes data,
    List<AccessTuple> accessList,
    TxSignature signature)
    implements Transaction {
  public AccessListTransaction {
    TxChecks.common(OptionalLong.of(chainIdValue), nonce, gasLimit, to, value, data);
    TxChecks.uint256("gas price", gasPrice);
    accessList = List.copyOf(accessList);
  }

  @Override
  public int type() {
    return 1;
  }

  @Override
  public OptionalLong chainId() {
    return OptionalLong.of(chainIdValue);
  }

  @Override
  public BigInteger maxFeePerGas() {
    return gasPrice;
  }

  @Override
  public BigInteger maxPriorityFeePerGas() {
    return gasPrice;
  }

  @Override
  public AccessListTransaction withSignature(TxSignature signature) {
    return new AccessListTransaction(
        chainIdValue, nonce, gasPrice, gasLimit, to, value, data, accessList, signature);
  }
}
