package io.axivon.common.crypto.bls;

import io.axivon.common.InvalidInputException;
import org.apache.tuweni.bytes.Bytes;
import supranational.blst.P2;
import supranational.blst.P2_Affine;

/**
 * A BLS signature (or an aggregate of them): a G2 point in the prime-order subgroup, encoded as 96
 * compressed bytes. The identity is a valid group element and decodes; it verifies for no valid
 * public key.
 */
public final class BlsSignature {
  public static final int SIZE = 96;

  private final Bytes bytes;
  private final P2_Affine point;

  private BlsSignature(Bytes bytes, P2_Affine point) {
    this.bytes = bytes;
    this.point = point;
  }

  /**
   * Decodes and validates a compressed signature.
   *
   * @throws InvalidInputException if not 96 bytes, not in compressed form, not on the curve, or not
   *     in the G2 subgroup
   */
  public static BlsSignature fromBytes(Bytes encoded) {
    byte[] raw = Bls.compressed("BLS signature", "G2", SIZE, encoded);
    P2_Affine point;
    try {
      point = new P2_Affine(raw);
    } catch (RuntimeException e) {
      throw new InvalidInputException(
          "BLS signature does not decode: " + BlsPublicKey.blstReason(e), e);
    }
    if (!point.in_group()) {
      throw new InvalidInputException("BLS signature is not in the G2 prime-order subgroup");
    }
    return new BlsSignature(Bytes.wrap(point.compress()), point);
  }

  /** Parses 192 hex digits, with or without 0x. */
  public static BlsSignature fromHex(String hex) {
    return fromBytes(Bls.parseHex("BLS signature", hex));
  }

  static BlsSignature fromPoint(P2 point) {
    P2_Affine affine = point.to_affine();
    return new BlsSignature(Bytes.wrap(affine.compress()), affine);
  }

  P2_Affine point() {
    return point;
  }

  /** The 96-byte compressed encoding. */
  public Bytes toBytes() {
    return bytes;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof BlsSignature other && bytes.equals(other.bytes);
  }

  @Override
  public int hashCode() {
    return bytes.hashCode();
  }

  @Override
  public String toString() {
    return bytes.toHexString();
  }
}
