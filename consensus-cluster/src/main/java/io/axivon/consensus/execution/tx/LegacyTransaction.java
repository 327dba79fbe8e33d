package io.axivon.consensus.execution.tx;

import io.axivon.common.crypto.secp256k1.Address;
import java.math.BigInteger;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import org.apache.tuweni.bytes.Bytes;

/** A type-0 transaction; {@code chainId} is empty for a pre-EIP-155 (unprotected) one. */
public record LegacyTransaction(
    OptionalLong chainId,
    long nonce,
    BigInteger gasPrice,
    long gasLimit,
    Optional<Address> to,
    BigInteger value,
    Bytes data,
    TxSignature signature)
    implements Transaction {
  public LegacyTransaction {
    TxChecks.common(chainId, nonce, gasLimit, to, value, data);
    TxChecks.uint256("gas price", gasPrice);
  }

  @Override
  public int type() {
    return 0;
  }

  @Override
  public List<AccessTuple> accessList() {
    return List.of();
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
  public LegacyTransaction withSignature(TxSignature signature) {
    return new LegacyTransaction(chainId, nonce, gasPrice, gasLimit, to, value, data, signature);
  }

  /** v as on the wire: 27/28 before EIP-155, chainId * 2 + 35 + parity after. */
  public BigInteger v() {
    int parity = signature.yParity();
    return chainId.isPresent()
        ? BigInteger.valueOf(chainId.getAsLong()).shiftLeft(1).add(BigInteger.valueOf(35 + parity))
        : BigInteger.valueOf(27 + parity);
  }
}
