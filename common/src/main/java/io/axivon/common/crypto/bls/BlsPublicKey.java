package io.axivon.common.crypto.bls;

import io.axivon.common.InvalidInputException;
import org.apache.tuweni.bytes.Bytes;
import supranational.blst.P1;
import supranational.blst.P1_Affine;

/**
 * A BLS public key: a G1 point in the prime-order subgroup, never the identity, encoded as 48
 * compressed bytes (ZCash/IETF serialization).
 */
public final class BlsPublicKey {
  public static final int SIZE = 48;

  private final Bytes bytes;
  private final P1_Affine point;

  private BlsPublicKey(Bytes bytes, P1_Affine point) {
    this.bytes = bytes;
    this.point = point;
  }

  /**
   * Decodes and validates a compressed public key (KeyValidate of the IETF draft).
   *
   * @throws InvalidInputException if not 48 bytes, not in compressed form, not on the curve, not in
   *     the G1 subgroup, or the point at infinity
   */
  public static BlsPublicKey fromBytes(Bytes encoded) {
    byte[] raw = Bls.compressed("BLS public key", "G1", SIZE, encoded);
    P1_Affine point;
    try {
      point = new P1_Affine(raw);
    } catch (RuntimeException e) {
      throw new InvalidInputException("BLS public key does not decode: " + blstReason(e), e);
    }
    if (point.is_inf()) {
      throw new InvalidInputException("BLS public key is the point at infinity");
    }
    if (!point.in_group()) {
      throw new InvalidInputException("BLS public key is not in the G1 prime-order subgroup");
    }
    return new BlsPublicKey(Bytes.wrap(point.compress()), point);
  }

  /** Parses 96 hex digits, with or without 0x. */
  public static BlsPublicKey fromHex(String hex) {
    return fromBytes(Bls.parseHex("BLS public key", hex));
  }

  /** A point computed here (from a secret key or a sum of valid keys): only infinity is checked. */
  static BlsPublicKey fromPoint(P1 point) {
    if (point.is_inf()) {
      throw new InvalidInputException("BLS public key is the point at infinity");
    }
    P1_Affine affine = point.to_affine();
    return new BlsPublicKey(Bytes.wrap(affine.compress()), affine);
  }

  P1_Affine point() {
    return point;
  }

  /** The 48-byte compressed encoding. */
  public Bytes toBytes() {
    return bytes;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof BlsPublicKey other && bytes.equals(other.bytes);
  }

  @Override
  public int hashCode() {
    return bytes.hashCode();
  }

  @Override
  public String toString() {
    return bytes.toHexString();
  }

  static String blstReason(RuntimeException e) {
    String message = e.getMessage();
    if (message == null) {
      return e.getClass().getSimpleName();
    }
    return message.startsWith("BLST_ERROR: ")
        ? message.substring("BLST_ERROR: ".length())
        : message;
  }
}
