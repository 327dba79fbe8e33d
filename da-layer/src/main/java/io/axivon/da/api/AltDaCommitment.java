package io.axivon.da.api;

import io.axivon.common.InvalidInputException;
import java.util.Objects;
import org.apache.tuweni.bytes.Bytes;
import org.apache.tuweni.bytes.Bytes32;

/**
 * An OP Alt-DA encoded commitment (specs/da-api.md §3): keccak ({@code 0x00 ‖ keccak256(blob)}) or
 * generic ({@code 0x01 ‖ DA_LAYER ‖ blob key}). Both name a blob by the same 32 bytes: the blob key
 * is {@code keccak256(blob)}.
 */
public record AltDaCommitment(Type type, Bytes32 key) {
  /** Axivon's DA layer byte in generic commitments; the spec asks for a value in [0, 127). */
  public static final byte DA_LAYER = 0x41;

  public static final byte KECCAK_TYPE = 0x00;
  public static final byte GENERIC_TYPE = 0x01;

  public enum Type {
    KECCAK,
    GENERIC
  }

  public AltDaCommitment {
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(key, "key");
  }

  public static AltDaCommitment generic(Bytes32 key) {
    return new AltDaCommitment(Type.GENERIC, key);
  }

  public static AltDaCommitment keccak(Bytes32 key) {
    return new AltDaCommitment(Type.KECCAK, key);
  }

  /** The encoded commitment op-node stores on L1 (without the batcher's version byte). */
  public Bytes encode() {
    return type == Type.KECCAK
        ? Bytes.concatenate(Bytes.of(KECCAK_TYPE), key)
        : Bytes.concatenate(Bytes.of(GENERIC_TYPE, DA_LAYER), key);
  }

  /** The outcome of reading an encoded commitment. */
  public sealed interface Decoded {
    /** One of ours. */
    record Ours(AltDaCommitment commitment) implements Decoded {}

    /** A well-formed generic commitment of another DA layer: unknown here (404). */
    record OtherLayer(int daLayer) implements Decoded {}
  }

  /**
   * Reads an encoded commitment.
   *
   * @throws InvalidInputException if it is malformed (400)
   */
  public static Decoded decode(Bytes encoded) {
    if (encoded.isEmpty()) {
      throw new InvalidInputException("the commitment is empty");
    }
    int type = encoded.get(0) & 0xff;
    Bytes body = encoded.slice(1);
    if (type == KECCAK_TYPE) {
      if (body.size() != Bytes32.SIZE) {
        throw new InvalidInputException(
            "a keccak commitment has 32 bytes after its type byte, got " + body.size());
      }
      return new Decoded.Ours(keccak(Bytes32.wrap(body)));
    }
    if (type == GENERIC_TYPE) {
      if (body.isEmpty()) {
        throw new InvalidInputException("a generic commitment needs a DA layer byte");
      }
      // another layer's commitment is not ours to judge: unknown here (404), whatever follows
      if (body.get(0) != DA_LAYER) {
        return new Decoded.OtherLayer(body.get(0) & 0xff);
      }
      if (body.size() != 1 + Bytes32.SIZE) {
        throw new InvalidInputException(
            "an Axivon commitment carries a 32-byte blob key, got " + (body.size() - 1) + " bytes");
      }
      return new Decoded.Ours(generic(Bytes32.wrap(body.slice(1))));
    }
    throw new InvalidInputException("unknown commitment type byte 0x" + Integer.toHexString(type));
  }

  /**
   * Strict {@code hexutil.Decode}: {@code 0x} prefix, even length, hex digits only.
   *
   * @throws InvalidInputException otherwise
   */
  public static Bytes decodeHex(String text) {
    if (!text.startsWith("0x") && !text.startsWith("0X")) {
      throw new InvalidInputException("hex must start with 0x");
    }
    String digits = text.substring(2);
    if (digits.length() % 2 != 0) {
      throw new InvalidInputException("hex has an odd number of digits");
    }
    byte[] out = new byte[digits.length() / 2];
    for (int i = 0; i < out.length; i++) {
      int hi = hexDigit(digits.charAt(2 * i));
      int lo = hexDigit(digits.charAt(2 * i + 1));
      if (hi < 0 || lo < 0) {
        throw new InvalidInputException("not a hex digit at position " + (2 + 2 * i));
      }
      out[i] = (byte) (hi << 4 | lo);
    }
    return Bytes.wrap(out);
  }

  private static int hexDigit(char c) {
    return c < 128 ? Character.digit(c, 16) : -1; // ASCII only, as Go's hex decoder
  }
}
