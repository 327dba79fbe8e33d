package io.axivon.common.crypto.secp256k1;

import io.axivon.common.InvalidInputException;
import java.math.BigInteger;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.HexFormat;
import org.apache.tuweni.bytes.Bytes;
import org.apache.tuweni.bytes.Bytes32;
import org.web3j.crypto.ECKeyPair;

/**
 * A secp256k1 private key: a scalar d with 1 ≤ d &lt; n, written as 32 bytes big-endian. {@link
 * #toString()} never shows the key.
 */
public final class Secp256k1PrivateKey {
  public static final int SIZE = 32;

  private final Bytes32 bytes;
  private final ECKeyPair keyPair;
  private final Secp256k1PublicKey publicKey;

  private Secp256k1PrivateKey(Bytes32 bytes) {
    this.bytes = bytes;
    this.publicKey =
        new Secp256k1PublicKey(Bytes.wrap(Secp256k1.engine().publicKeyXy(bytes.toArrayUnsafe())));
    this.keyPair =
        new ECKeyPair(bytes.toUnsignedBigInteger(), publicKey.bytes().toUnsignedBigInteger());
  }

  /** A fresh key drawn uniformly from [1, n-1] by rejection sampling. */
  public static Secp256k1PrivateKey generate(SecureRandom random) {
    byte[] candidate = new byte[SIZE];
    while (true) {
      random.nextBytes(candidate);
      if (inRange(new BigInteger(1, candidate))) {
        return new Secp256k1PrivateKey(Bytes32.wrap(candidate));
      }
    }
  }

  /**
   * The key with these 32 big-endian bytes.
   *
   * @throws InvalidInputException if not 32 bytes, zero, or not below the curve order
   */
  public static Secp256k1PrivateKey fromBytes(Bytes bytes) {
    if (bytes == null || bytes.size() != SIZE) {
      throw new InvalidInputException(
          "secp256k1 private key must be "
              + SIZE
              + " bytes, got "
              + (bytes == null ? "null" : bytes.size()));
    }
    if (!inRange(bytes.toUnsignedBigInteger())) {
      throw new InvalidInputException(
          "secp256k1 private key must be in [1, n-1] (n = secp256k1 group order)");
    }
    return new Secp256k1PrivateKey(Bytes32.wrap(bytes.toArray()));
  }

  /** Parses 64 hex digits, with or without a 0x prefix. */
  public static Secp256k1PrivateKey fromHex(String hex) {
    if (hex == null) {
      throw new InvalidInputException("secp256k1 private key is missing");
    }
    String digits = hex.startsWith("0x") ? hex.substring(2) : hex;
    if (digits.length() != 2 * SIZE) {
      throw new InvalidInputException(
          "secp256k1 private key must be 64 hex digits, got " + digits.length());
    }
    try {
      return fromBytes(Bytes.wrap(HexFormat.of().parseHex(digits)));
    } catch (IllegalArgumentException e) {
      throw new InvalidInputException("secp256k1 private key is not hex: " + e.getMessage(), e);
    }
  }

  private static boolean inRange(BigInteger d) {
    return d.signum() > 0 && d.compareTo(Secp256k1.CURVE_ORDER) < 0;
  }

  /** The 32 big-endian bytes of the key. Handle with care. */
  public Bytes32 bytes() {
    return bytes;
  }

  public Secp256k1PublicKey publicKey() {
    return publicKey;
  }

  public Address address() {
    return publicKey.address();
  }

  /**
   * Signs a 32-byte hash: deterministic (RFC 6979) ECDSA, s normalized to the lower half (EIP-2),
   * with the recovery id that makes {@link Secp256k1#recover} return this key.
   */
  public Secp256k1Signature sign(Bytes32 hash) {
    return Secp256k1.engine().sign(this, hash);
  }

  /** web3j's form of the key, for the BouncyCastle engine. */
  ECKeyPair keyPair() {
    return keyPair;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Secp256k1PrivateKey other
        && MessageDigest.isEqual(bytes.toArrayUnsafe(), other.bytes.toArrayUnsafe());
  }

  @Override
  public int hashCode() {
    return publicKey.hashCode();
  }

  @Override
  public String toString() {
    return "Secp256k1PrivateKey[address=" + address() + "]";
  }
}
