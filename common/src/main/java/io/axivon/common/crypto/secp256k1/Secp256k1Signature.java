package io.axivon.common.crypto.secp256k1;

import io.axivon.common.InvalidInputException;
import java.math.BigInteger;
import org.apache.tuweni.bytes.Bytes;
import org.apache.tuweni.bytes.Bytes32;

/**
 * A recoverable ECDSA signature over secp256k1, canonical as Ethereum requires since EIP-2: 1 ≤ r
 * &lt; n, 1 ≤ s ≤ n/2, recovery id 0 or 1. Encoded as 65 bytes r ‖ s ‖ v with v = 27 + recovery id.
 */
public record Secp256k1Signature(Bytes32 r, Bytes32 s, int recoveryId) {
  public static final int SIZE = 65;

  public Secp256k1Signature {
    if (r == null || s == null) {
      throw new InvalidInputException("signature r and s are required");
    }
    BigInteger rv = r.toUnsignedBigInteger();
    BigInteger sv = s.toUnsignedBigInteger();
    if (rv.signum() == 0 || rv.compareTo(Secp256k1.CURVE_ORDER) >= 0) {
      throw new InvalidInputException("signature r must be in [1, n-1], got " + r.toHexString());
    }
    if (sv.signum() == 0) {
      throw new InvalidInputException("signature s must not be zero");
    }
    if (sv.compareTo(Secp256k1.HALF_CURVE_ORDER) > 0) {
      throw new InvalidInputException(
          "signature s is in the upper half of the curve order (not canonical, EIP-2): "
              + s.toHexString());
    }
    if (recoveryId != 0 && recoveryId != 1) {
      throw new InvalidInputException("signature recovery id must be 0 or 1, got " + recoveryId);
    }
    r = Bytes32.wrap(r.toArray());
    s = Bytes32.wrap(s.toArray());
  }

  /**
   * Decodes r ‖ s ‖ v (65 bytes). v may be 27/28 (Ethereum) or 0/1 (raw recovery id); anything
   * else, including EIP-155 chain-specific v values, is rejected.
   */
  public static Secp256k1Signature decode(Bytes encoded) {
    if (encoded == null || encoded.size() != SIZE) {
      throw new InvalidInputException(
          "signature must be "
              + SIZE
              + " bytes (r ‖ s ‖ v), got "
              + (encoded == null ? "null" : encoded.size()));
    }
    int v = encoded.get(64) & 0xff;
    int recoveryId =
        switch (v) {
          case 0, 27 -> 0;
          case 1, 28 -> 1;
          default ->
              throw new InvalidInputException("signature v must be 27, 28, 0 or 1, got " + v);
        };
    return new Secp256k1Signature(
        Bytes32.wrap(encoded.slice(0, 32)), Bytes32.wrap(encoded.slice(32, 32)), recoveryId);
  }

  /** 27 + recovery id, as in Ethereum's eth_sign and pre-EIP-155 transactions. */
  public int v() {
    return 27 + recoveryId;
  }

  /** r ‖ s ‖ v, 65 bytes. */
  public Bytes encode() {
    return Bytes.concatenate(r, s, Bytes.of(v()));
  }

  @Override
  public String toString() {
    return encode().toHexString();
  }
}
