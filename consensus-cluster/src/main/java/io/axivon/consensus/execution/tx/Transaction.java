package io.axivon.consensus.execution.tx;

import io.axivon.common.crypto.Hashes;
import io.axivon.common.crypto.secp256k1.Address;
import java.math.BigInteger;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import org.apache.tuweni.bytes.Bytes;
import org.apache.tuweni.bytes.Bytes32;

/**
 * An Ethereum transaction of one of the types this chain accepts: legacy (type 0, with or without
 * EIP-155 replay protection), EIP-2930 (type 1) and EIP-1559 (type 2). Values are wei, gas in gas
 * units. The signature may be null on a transaction still to be signed ({@link TxSigner#sign});
 * only signed transactions encode.
 */
public sealed interface Transaction
    permits LegacyTransaction, AccessListTransaction, DynamicFeeTransaction {
  /** 0 (legacy), 1 (EIP-2930) or 2 (EIP-1559). */
  int type();

  /** The chain id the signature commits to; empty for a pre-EIP-155 legacy transaction. */
  OptionalLong chainId();

  long nonce();

  long gasLimit();

  /** The recipient; empty for a contract creation. */
  Optional<Address> to();

  BigInteger value();

  Bytes data();

  List<AccessTuple> accessList();

  /** The most the sender pays per gas in total (the gas price of legacy and type-1). */
  BigInteger maxFeePerGas();

  /** The most the sender tips per gas above the base fee (the gas price of legacy and type-1). */
  BigInteger maxPriorityFeePerGas();

  TxSignature signature();

  /** The same transaction with {@code signature}. */
  Transaction withSignature(TxSignature signature);

  /** The raw bytes (eth_sendRawTransaction's input; typed ones with their type byte). */
  default Bytes encode() {
    return TxCodec.encode(this);
  }

  /** The hash the sender signs. */
  default Bytes32 signingHash() {
    return Hashes.keccak256(TxCodec.signingPayload(this));
  }

  /** The transaction hash: Keccak-256 of the raw bytes. */
  default Bytes32 hash() {
    return Hashes.keccak256(encode());
  }

  default boolean isCreate() {
    return to().isEmpty();
  }

  /** What the sender pays per gas at {@code baseFee}: min(maxFee, baseFee + maxPriorityFee). */
  default BigInteger effectiveGasPrice(BigInteger baseFee) {
    return maxFeePerGas().min(baseFee.add(maxPriorityFeePerGas()));
  }

  /** What the block producer earns per gas at {@code baseFee} (negative if maxFee < baseFee). */
  default BigInteger effectiveTip(BigInteger baseFee) {
    return maxPriorityFeePerGas().min(maxFeePerGas().subtract(baseFee));
  }
}
