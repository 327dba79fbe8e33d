package io.axivon.common.crypto.secp256k1;

import io.axivon.common.InvalidInputException;
import io.axivon.common.crypto.Hashes;
import java.util.Optional;
import org.apache.tuweni.bytes.Bytes;
import org.apache.tuweni.bytes.Bytes32;

/**
 * One implementation of the secp256k1 operations: libsecp256k1 over JNI when its library loads,
 * BouncyCastle (through web3j) otherwise. Both give identical results: the same recovered keys, the
 * same deterministic RFC 6979 low-s signatures, the same rejections. {@link Secp256k1} uses the one
 * chosen at startup; this type exists so that tests and benchmarks can run both side by side.
 */
public abstract sealed class Secp256k1Engine permits BouncyCastleEngine, NativeEngine {
  static final String NO_RECOVERY =
      "signature does not recover to a public key: r is not the x coordinate of a curve point,"
          + " or the key would be the point at infinity";

  Secp256k1Engine() {}

  /** The BouncyCastle implementation (always available). */
  public static Secp256k1Engine bouncyCastle() {
    return BouncyCastleEngine.INSTANCE;
  }

  /** The libsecp256k1 implementation, or empty when its native library does not load here. */
  public static Optional<Secp256k1Engine> nativeLibrary() {
    return NativeEngine.instance().map(e -> e);
  }

  /** A short name for logs and benchmark reports. */
  public abstract String name();

  /**
   * The public key that produced {@code signature} over {@code hash}.
   *
   * @throws InvalidInputException if no public key recovers (r is not the x coordinate of a curve
   *     point, or the key would be the point at infinity)
   */
  public final Secp256k1PublicKey recover(Bytes32 hash, Secp256k1Signature signature) {
    return new Secp256k1PublicKey(Bytes.wrap(recoveredXy(hash, signature)));
  }

  /**
   * The address of the key that produced {@code signature} over {@code hash}: {@code recover(hash,
   * signature).address()} without decoding the key as a curve point again to check it (both engines
   * only return points of the curve): that check was 4 % of the JSON-RPC threads' samples at 5,000
   * transfers/s, where every submitted transaction's sender is recovered.
   *
   * @throws InvalidInputException as {@link #recover}
   */
  public final Address recoverAddress(Bytes32 hash, Secp256k1Signature signature) {
    byte[] digest = Hashes.keccak256(recoveredXy(hash, signature));
    return new Address(Bytes.wrap(digest, 32 - Address.SIZE, Address.SIZE));
  }

  private byte[] recoveredXy(Bytes32 hash, Secp256k1Signature signature) {
    byte[] xy =
        recoverXy(
            hash.toArrayUnsafe(),
            Bytes.concatenate(signature.r(), signature.s()).toArrayUnsafe(),
            signature.recoveryId());
    if (xy == null) {
      throw new InvalidInputException(NO_RECOVERY);
    }
    return xy;
  }

  /**
   * Whether {@code signature} over {@code hash} recovers to {@code publicKey}. As in Ethereum, the
   * recovery id is part of the signature: a signature with the wrong v does not verify.
   */
  public final boolean verify(
      Secp256k1PublicKey publicKey, Bytes32 hash, Secp256k1Signature signature) {
    try {
      return recover(hash, signature).equals(publicKey);
    } catch (InvalidInputException e) {
      return false;
    }
  }

  /** Whether {@code signature} over {@code hash} was made by the key of {@code address}. */
  public final boolean verify(Address address, Bytes32 hash, Secp256k1Signature signature) {
    try {
      return recoverAddress(hash, signature).equals(address);
    } catch (InvalidInputException e) {
      return false;
    }
  }

  /**
   * Signs a 32-byte hash: deterministic (RFC 6979, HMAC-SHA256) ECDSA, s normalized to the lower
   * half (EIP-2), with the recovery id that makes {@link #recover} return the key's public key.
   */
  public abstract Secp256k1Signature sign(Secp256k1PrivateKey key, Bytes32 hash);

  /** x ‖ y (64 bytes) of d·G for a private key d already checked to be in [1, n-1]. */
  abstract byte[] publicKeyXy(byte[] privateKey);

  /**
   * x ‖ y (64 bytes) of the key recovered from r ‖ s ({@code rs}, 64 bytes, both already checked to
   * be canonical) and a recovery id of 0 or 1; null when none recovers.
   */
  abstract byte[] recoverXy(byte[] hash, byte[] rs, int recoveryId);

  @Override
  public String toString() {
    return name();
  }
}
