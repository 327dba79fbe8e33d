package io.axivon.consensus.rpc;

import io.axivon.common.crypto.secp256k1.Address;
import java.math.BigInteger;
import org.apache.tuweni.bytes.Bytes;
import org.apache.tuweni.bytes.Bytes32;

/**
 * Ethereum JSON-RPC's hex encodings, as go-ethereum's hexutil: a <em>quantity</em> is "0x" and the
 * shortest hex digits ("0x0" for zero, no leading zeros); <em>data</em> is "0x" and two digits per
 * byte. Parsing is as strict as hexutil, with its messages, thrown as {@link HexException}.
 */
public final class Hex {
  private static final char[] DIGITS = "0123456789abcdef".toCharArray();

  private Hex() {}

  /** A value that does not parse; the message is hexutil's. */
  public static final class HexException extends RuntimeException {
    HexException(String message) {
      super(message, null, false, false);
    }
  }

  public static String quantity(long v) {
    if (v < 0) {
      throw new IllegalArgumentException("quantities are unsigned: " + v);
    }
    return "0x" + Long.toHexString(v);
  }

  public static String quantity(BigInteger v) {
    if (v.signum() < 0) {
      throw new IllegalArgumentException("quantities are unsigned: " + v);
    }
    return "0x" + v.toString(16);
  }

  public static String data(Bytes b) {
    int n = b.size();
    char[] out = new char[2 + 2 * n];
    out[0] = '0';
    out[1] = 'x';
    for (int i = 0; i < n; i++) {
      int v = b.get(i) & 0xff;
      out[2 + 2 * i] = DIGITS[v >>> 4];
      out[3 + 2 * i] = DIGITS[v & 0xf];
    }
    return new String(out);
  }

  public static String address(Address a) {
    return data(a.bytes());
  }

  /** A quantity of at most 256 bits. */
  public static BigInteger parseQuantity(String s) {
    return parseQuantity(s, 256);
  }

  /** A quantity of at most 64 bits that fits a non-negative long. */
  public static long parseLong(String s) {
    BigInteger v = parseQuantity(s, 64);
    if (v.bitLength() > 63) {
      throw new HexException("hex number > 63 bits");
    }
    return v.longValue();
  }

  private static BigInteger parseQuantity(String s, int maxBits) {
    String digits = stripPrefix(s);
    if (digits.isEmpty()) {
      throw new HexException("hex string \"0x\"");
    }
    if (digits.length() > 1 && digits.charAt(0) == '0') {
      throw new HexException("hex number with leading zero digits");
    }
    if (digits.length() > maxBits / 4) {
      throw new HexException("hex number > " + maxBits + " bits");
    }
    for (int i = 0; i < digits.length(); i++) {
      if (Character.digit(digits.charAt(i), 16) < 0) {
        throw new HexException("invalid hex string");
      }
    }
    return new BigInteger(digits, 16);
  }

  /** Data: "0x" and an even number of hex digits ("0x" is empty data). */
  public static Bytes parseData(String s) {
    String digits = stripPrefix(s);
    if (digits.length() % 2 != 0) {
      throw new HexException("hex string of odd length");
    }
    byte[] out = new byte[digits.length() / 2];
    for (int i = 0; i < out.length; i++) {
      int hi = Character.digit(digits.charAt(2 * i), 16);
      int lo = Character.digit(digits.charAt(2 * i + 1), 16);
      if (hi < 0 || lo < 0) {
        throw new HexException("invalid hex string");
      }
      out[i] = (byte) (hi << 4 | lo);
    }
    return Bytes.wrap(out);
  }

  /** Data of exactly {@code size} bytes, e.g. an address (20) or a hash (32). */
  public static Bytes parseFixed(String s, int size, String type) {
    Bytes b = parseData(s);
    if (b.size() != size) {
      throw new HexException(
          "hex string has length " + 2 * b.size() + ", want " + 2 * size + " for " + type);
    }
    return b;
  }

  public static Address parseAddress(String s) {
    return new Address(parseFixed(s, Address.SIZE, "common.Address"));
  }

  public static Bytes32 parseHash(String s) {
    return Bytes32.wrap(parseFixed(s, 32, "common.Hash"));
  }

  private static String stripPrefix(String s) {
    if (s.isEmpty()) {
      throw new HexException("empty hex string");
    }
    if (s.length() < 2 || s.charAt(0) != '0' || (s.charAt(1) != 'x' && s.charAt(1) != 'X')) {
      throw new HexException("hex string without 0x prefix");
    }
    return s.substring(2);
  }
}
