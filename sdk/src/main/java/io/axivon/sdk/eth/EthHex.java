package io.axivon.sdk.eth;

import io.axivon.common.InvalidInputException;
import java.math.BigInteger;
import org.apache.tuweni.bytes.Bytes;
import org.apache.tuweni.bytes.Bytes32;

/**
 * Ethereum JSON-RPC hex forms: quantities ({@code 0x1a}, no leading zeros) and data ({@code 0x…}).
 */
public final class EthHex {
  private EthHex() {}

  public static String quantity(long value) {
    if (value < 0) {
      throw new IllegalArgumentException("a quantity is non-negative, got " + value);
    }
    return "0x" + Long.toHexString(value);
  }

  public static String quantity(BigInteger value) {
    if (value.signum() < 0) {
      throw new IllegalArgumentException("a quantity is non-negative, got " + value);
    }
    return "0x" + value.toString(16);
  }

  /** Parses a quantity; {@code what} names the field in the error. */
  public static BigInteger parseBig(String text, String what) {
    if (text == null || !text.startsWith("0x") || text.length() < 3 || text.length() > 66) {
      throw new InvalidInputException(what + " is not a hex quantity: '" + text + "'");
    }
    try {
      return new BigInteger(text.substring(2), 16);
    } catch (NumberFormatException e) {
      throw new InvalidInputException(what + " is not a hex quantity: '" + text + "'", e);
    }
  }

  /** Parses a quantity that must fit a non-negative long. */
  public static long parseLong(String text, String what) {
    BigInteger v = parseBig(text, what);
    if (v.signum() < 0 || v.bitLength() > 63) {
      throw new InvalidInputException(what + " does not fit in 63 bits: " + text);
    }
    return v.longValue();
  }

  /** Parses {@code 0x}-prefixed data with an even number of hex digits. */
  public static Bytes parseBytes(String text, String what) {
    if (text == null || !text.startsWith("0x") || (text.length() & 1) != 0) {
      throw new InvalidInputException(
          what + " is not 0x-prefixed hex data: '" + abbrev(text) + "'");
    }
    try {
      return Bytes.fromHexString(text);
    } catch (IllegalArgumentException e) {
      throw new InvalidInputException(what + " is not hex data: '" + abbrev(text) + "'", e);
    }
  }

  public static Bytes32 parseBytes32(String text, String what) {
    Bytes b = parseBytes(text, what);
    if (b.size() != 32) {
      throw new InvalidInputException(what + " must be 32 bytes, got " + b.size());
    }
    return Bytes32.wrap(b);
  }

  private static String abbrev(String text) {
    return text == null ? "null" : text.length() > 80 ? text.substring(0, 80) + "…" : text;
  }
}
