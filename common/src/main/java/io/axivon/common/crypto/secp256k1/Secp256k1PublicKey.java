package io.axivon.common.crypto.secp256k1;

import io.axivon.common.InvalidInputException;
import io.axivon.common.crypto.Hashes;
import org.apache.tuweni.bytes.Bytes;
import org.bouncycastle.math.ec.ECPoint;

/**
 * A secp256k1 public key as Ethereum writes it: 64 bytes, x ‖ y, each 32 bytes big-endian (the SEC1
 * uncompressed form without its 0x04 prefix). Always a valid point on the curve.
 */
public record Secp256k1PublicKey(Bytes bytes) {
  public static final int SIZE = 64;

  public Secp256k1PublicKey {
    if (bytes == null || bytes.size() != SIZE) {
      throw new InvalidInputException(
          "secp256k1 public key must be "
              + SIZE
              + " bytes (x ‖ y), got "
              + (bytes == null ? "null" : bytes.size()));
    }
    bytes = bytes.copy();
    Secp256k1.decodePoint(Bytes.concatenate(Bytes.of(4), bytes).toArrayUnsafe());
  }

  /**
   * Decodes 64 bytes (x ‖ y), 65 bytes (0x04 ‖ x ‖ y) or a 33-byte compressed key (0x02/0x03 ‖ x).
   */
  public static Secp256k1PublicKey fromBytes(Bytes encoded) {
    if (encoded == null) {
      throw new InvalidInputException("secp256k1 public key is missing");
    }
    return switch (encoded.size()) {
      case SIZE -> new Secp256k1PublicKey(encoded);
      case SIZE + 1 -> {
        if (encoded.get(0) != 4) {
          throw new InvalidInputException(
              "65-byte secp256k1 public key must start with 0x04, got "
                  + String.format("0x%02x", encoded.get(0)));
        }
        yield new Secp256k1PublicKey(encoded.slice(1));
      }
      case 33 -> {
        if (encoded.get(0) != 2 && encoded.get(0) != 3) {
          throw new InvalidInputException(
              "compressed secp256k1 public key must start with 0x02 or 0x03, got "
                  + String.format("0x%02x", encoded.get(0)));
        }
        ECPoint point = Secp256k1.decodePoint(encoded.toArray());
        yield new Secp256k1PublicKey(Bytes.wrap(point.getEncoded(false)).slice(1));
      }
      default ->
          throw new InvalidInputException(
              "secp256k1 public key must be 64, 65 or 33 bytes, got " + encoded.size());
    };
  }

  /** The 33-byte SEC1 compressed form. */
  public Bytes compressed() {
    return Bytes.wrap(
        Secp256k1.decodePoint(Bytes.concatenate(Bytes.of(4), bytes).toArrayUnsafe())
            .getEncoded(true));
  }

  /** The Ethereum address: the last 20 bytes of keccak256(x ‖ y). */
  public Address address() {
    return new Address(Hashes.keccak256(bytes).slice(12));
  }

  @Override
  public String toString() {
    return bytes.toHexString();
  }
}
