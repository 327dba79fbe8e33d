package io.axivon.common.crypto.bls;

import io.axivon.common.InvalidInputException;
import java.math.BigInteger;
import java.security.MessageDigest;
import java.security.SecureRandom;
import org.apache.tuweni.bytes.Bytes;
import org.apache.tuweni.bytes.Bytes32;
import supranational.blst.P1;
import supranational.blst.SecretKey;

/**
 * A BLS secret key: a scalar 1 ≤ sk &lt; r (r the BLS12-381 group order), written as 32 bytes
 * big-endian. {@link #toString()} never shows the key.
 */
public final class BlsSecretKey {
  public static final int SIZE = 32;

  /** The order r of G1, G2 and GT. */
  public static final BigInteger CURVE_ORDER =
      new BigInteger("73eda753299d7d483339d80809a1d80553bda402fffe5bfeffffffff00000001", 16);

  /** The shortest input keying material KeyGen accepts. */
  public static final int MIN_IKM_SIZE = 32;

  private final SecretKey key;
  private final Bytes32 bytes;
  private final BlsPublicKey publicKey;

  private BlsSecretKey(SecretKey key) {
    this.key = key;
    this.bytes = Bytes32.wrap(key.to_bendian());
    this.publicKey = BlsPublicKey.fromPoint(new P1(key));
  }

  /** A fresh key: KeyGen over 32 bytes from {@code random}. */
  public static BlsSecretKey generate(SecureRandom random) {
    byte[] ikm = new byte[MIN_IKM_SIZE];
    random.nextBytes(ikm);
    return keyGen(Bytes.wrap(ikm));
  }

  /**
   * KeyGen of draft-irtf-cfrg-bls-signature (versions 04 and later, blst's {@code keygen}): HKDF
   * with SHA-256 over {@code ikm}, salt starting at "BLS-SIG-KEYGEN-SALT-" and hashed each round,
   * empty key_info. The same as EIP-2333's derive_master_SK.
   *
   * @throws InvalidInputException if {@code ikm} is shorter than 32 bytes
   */
  public static BlsSecretKey keyGen(Bytes ikm) {
    if (ikm == null || ikm.size() < MIN_IKM_SIZE) {
      throw new InvalidInputException(
          "BLS KeyGen needs at least "
              + MIN_IKM_SIZE
              + " bytes of keying material, got "
              + (ikm == null ? "null" : ikm.size()));
    }
    SecretKey key = new SecretKey();
    key.keygen(ikm.toArray());
    return new BlsSecretKey(key);
  }

  /**
   * The key with these 32 big-endian bytes.
   *
   * @throws InvalidInputException if not 32 bytes, zero, or not below the group order r
   */
  public static BlsSecretKey fromBytes(Bytes encoded) {
    if (encoded == null || encoded.size() != SIZE) {
      throw new InvalidInputException(
          "BLS secret key must be "
              + SIZE
              + " bytes, got "
              + (encoded == null ? "null" : encoded.size()));
    }
    BigInteger value = encoded.toUnsignedBigInteger();
    if (value.signum() == 0 || value.compareTo(CURVE_ORDER) >= 0) {
      throw new InvalidInputException(
          "BLS secret key must be in [1, r-1] (r = BLS12-381 group order)");
    }
    SecretKey key = new SecretKey();
    key.from_bendian(encoded.toArray());
    return new BlsSecretKey(key);
  }

  /** Parses 64 hex digits, with or without 0x. */
  public static BlsSecretKey fromHex(String hex) {
    return fromBytes(Bls.parseHex("BLS secret key", hex));
  }

  SecretKey key() {
    return key;
  }

  /** The 32 big-endian bytes of the key. Handle with care. */
  public Bytes32 toBytes() {
    return bytes;
  }

  public BlsPublicKey publicKey() {
    return publicKey;
  }

  /** Sign with the ciphersuite's message DST; see {@link Bls#sign(BlsSecretKey, Bytes)}. */
  public BlsSignature sign(Bytes message) {
    return Bls.sign(this, message);
  }

  /** A proof of possession of this key; see {@link Bls#provePossession(BlsSecretKey)}. */
  public BlsSignature provePossession() {
    return Bls.provePossession(this);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof BlsSecretKey other
        && MessageDigest.isEqual(bytes.toArrayUnsafe(), other.bytes.toArrayUnsafe());
  }

  @Override
  public int hashCode() {
    return publicKey.hashCode();
  }

  @Override
  public String toString() {
    return "BlsSecretKey[publicKey=" + publicKey + "]";
  }
}
