package io.axivon.sdk.eth;

import io.axivon.common.crypto.Hashes;
import io.axivon.common.crypto.secp256k1.Address;
import io.axivon.common.crypto.secp256k1.Secp256k1PrivateKey;
import io.axivon.common.crypto.secp256k1.Secp256k1Signature;
import java.math.BigInteger;
import java.util.Objects;
import java.util.Optional;
import org.apache.tuweni.bytes.Bytes;
import org.apache.tuweni.bytes.Bytes32;
import org.apache.tuweni.rlp.RLP;
import org.apache.tuweni.rlp.RLPWriter;

/**
 * An EIP-1559 (type 2) transaction with an empty access list. Signed payload: {@code 0x02 ‖
 * rlp([chainId, nonce, maxPriorityFeePerGas, maxFeePerGas, gasLimit, to, value, data,
 * accessList])}; the signed form appends {@code yParity, r, s} to that list (EIP-2718 envelope).
 *
 * <p>Signed with common's {@link Secp256k1PrivateKey#sign} (RFC 6979, low s, recovery id), so the
 * key stays inside the one signing API the project has; the encoding is Tuweni RLP.
 *
 * @param to the callee, empty for a contract creation
 */
public record Eip1559Transaction(
    long chainId,
    long nonce,
    BigInteger maxPriorityFeePerGas,
    BigInteger maxFeePerGas,
    long gasLimit,
    Optional<Address> to,
    BigInteger value,
    Bytes data) {
  /** EIP-2718 type byte of EIP-1559 transactions. */
  public static final byte TYPE = 0x02;

  private static final BigInteger MAX_UINT256 =
      BigInteger.ONE.shiftLeft(256).subtract(BigInteger.ONE);

  public Eip1559Transaction {
    Objects.requireNonNull(to, "to");
    Objects.requireNonNull(data, "data");
    if (chainId <= 0 || nonce < 0 || gasLimit < 0) {
      throw new IllegalArgumentException(
          "chainId must be positive and nonce, gasLimit non-negative: "
              + chainId
              + ", "
              + nonce
              + ", "
              + gasLimit);
    }
    checkUint256(maxPriorityFeePerGas, "maxPriorityFeePerGas");
    checkUint256(maxFeePerGas, "maxFeePerGas");
    checkUint256(value, "value");
    if (maxPriorityFeePerGas.compareTo(maxFeePerGas) > 0) {
      throw new IllegalArgumentException(
          "maxPriorityFeePerGas " + maxPriorityFeePerGas + " exceeds maxFeePerGas " + maxFeePerGas);
    }
  }

  private static void checkUint256(BigInteger v, String name) {
    Objects.requireNonNull(v, name);
    if (v.signum() < 0 || v.compareTo(MAX_UINT256) > 0) {
      throw new IllegalArgumentException(name + " must be a uint256, got " + v);
    }
  }

  /** The bytes whose Keccak-256 is signed. */
  public Bytes signingPayload() {
    return Bytes.concatenate(Bytes.of(TYPE), RLP.encodeList(this::writeFields));
  }

  public Bytes32 signingHash() {
    return Hashes.keccak256(signingPayload());
  }

  /** Signs with {@code key}. */
  public SignedTransaction sign(Secp256k1PrivateKey key) {
    return new SignedTransaction(this, key.sign(signingHash()));
  }

  /** The raw signed transaction with a given signature, as {@code eth_sendRawTransaction} takes. */
  public Bytes encodeSigned(Secp256k1Signature signature) {
    return Bytes.concatenate(
        Bytes.of(TYPE),
        RLP.encodeList(
            w -> {
              writeFields(w);
              w.writeInt(signature.recoveryId());
              w.writeBigInteger(signature.r().toUnsignedBigInteger());
              w.writeBigInteger(signature.s().toUnsignedBigInteger());
            }));
  }

  private void writeFields(RLPWriter w) {
    w.writeLong(chainId);
    w.writeLong(nonce);
    w.writeBigInteger(maxPriorityFeePerGas);
    w.writeBigInteger(maxFeePerGas);
    w.writeLong(gasLimit);
    w.writeValue(to.map(Address::bytes).orElse(Bytes.EMPTY));
    w.writeBigInteger(value);
    w.writeValue(data);
    w.writeList(accessList -> {});
  }

  /** A signed transaction: the raw bytes to send and the hash the chain will know it by. */
  public record SignedTransaction(Eip1559Transaction transaction, Secp256k1Signature signature) {
    public SignedTransaction {
      Objects.requireNonNull(transaction, "transaction");
      Objects.requireNonNull(signature, "signature");
    }

    public Bytes raw() {
      return transaction.encodeSigned(signature);
    }

    /** Keccak-256 of the raw bytes: the transaction hash. */
    public Bytes32 hash() {
      return Hashes.keccak256(raw());
    }
  }
}
