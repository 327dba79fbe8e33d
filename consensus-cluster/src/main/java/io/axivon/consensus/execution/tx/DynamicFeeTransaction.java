package io.axivon.consensus.execution.tx;

import io.axivon.common.crypto.secp256k1.Address;
import java.math.BigInteger;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import org.apache.tuweni.bytes.Bytes;

/** A type-2 (EIP-1559) transaction: a fee cap and a priority fee instead of a gas price. */
public record DynamicFeeTransaction(
    long chainIdValue,
    long nonce,
    BigInteger maxPriorityFeePerGas,
    BigInteger maxFeePerGas,
    long gasLimit,
    Optional<Address> to,
    BigInteger value,
    Bytes data,
    List<AccessTuple> accessList,
    TxSignature signature)
    implements Transaction {
  public DynamicFeeTransaction {
    TxChecks.common(OptionalLong.of(chainIdValue), nonce, gasLimit, to, value, data);
    TxChecks.uint256("max priority fee per gas", maxPriorityFeePerGas);
    TxChecks.uint256("max fee per gas", maxFeePerGas);
    accessList = List.copyOf(accessList);
  }

  @Override
  public int type() {
    return 2;
  }

  @Override
  public OptionalLong chainId() {
    return OptionalLong.of(chainIdValue);
  }

  @Override
  public DynamicFeeTransaction withSignature(TxSignature signature) {
    return new DynamicFeeTransaction(
        chainIdValue,
        nonce,
        maxPriorityFeePerGas,
        maxFeePerGas,
        gasLimit,
        to,
        value,
        data,
        accessList,
        signature);
  }
}
