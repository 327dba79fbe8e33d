package io.axivon.common.crypto.secp256k1;

import io.axivon.common.InvalidInputException;
import io.axivon.common.crypto.Hashes;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Locale;
import org.apache.tuweni.bytes.Bytes;

/**
 * A 20-byte Ethereum account address. {@link #toString()} writes the EIP-55 mixed-case checksum
 * form; {@link #fromHex(String)} accepts all-lower or all-upper hex as is and checks the checksum
 * whenever the letters are of mixed case.
 */
public record Address(Bytes bytes) {
  public static final int SIZE = 20;

  public Address {
    if (bytes == null || bytes.size() != SIZE) {
      throw new InvalidInputException(
          "address must be " + SIZE + " bytes, got " + (bytes == null ? "null" : bytes.size()));
    }
    bytes = bytes.copy(); // an exact array of its own: toArrayUnsafe below never copies
  }

  /**
   * Compares the arrays at once: Tuweni's generic equals goes byte by byte through calls, and
   * addresses key the hottest maps (account state, senders).
   */
  @Override
  public boolean equals(Object o) {
    return o instanceof Address a && Arrays.equals(bytes.toArrayUnsafe(), a.bytes.toArrayUnsafe());
  }

  /** The same value as {@code bytes.hashCode()} (so map orders do not change), computed faster. */
  @Override
  public int hashCode() {
    return Arrays.hashCode(bytes.toArrayUnsafe());
  }

  /**
   * Parses "0x" followed by exactly 40 hex digits.
   *
   * @throws InvalidInputException on a missing prefix, wrong length, non-hex digit, or a mixed-case
   *     address whose EIP-55 checksum does not match
   */
  public static Address fromHex(String text) {
    if (text == null) {
      throw new InvalidInputException("address is missing");
    }
    if (!text.startsWith("0x")) {
      throw new InvalidInputException("address must start with 0x: '" + text + "'");
    }
    String digits = text.substring(2);
    if (digits.length() != 2 * SIZE) {
      throw new InvalidInputException(
          "address must have 40 hex digits after 0x, got " + digits.length() + ": '" + text + "'");
    }
    for (int i = 0; i < digits.length(); i++) {
      char c = digits.charAt(i);
      // ASCII only: Character.digit would also accept other scripts' digits
      if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'))) {
        throw new InvalidInputException(
            "address has a non-hex character '"
                + digits.charAt(i)
                + "' at position "
                + (i + 2)
                + ": '"
                + text
                + "'");
      }
    }
    Address address = new Address(Bytes.wrap(HexFormat.of().parseHex(digits)));
    boolean hasLower = !digits.equals(digits.toUpperCase(Locale.ROOT));
    boolean hasUpper = !digits.equals(digits.toLowerCase(Locale.ROOT));
    if (hasLower && hasUpper && !address.toString().equals(text)) {
      throw new InvalidInputException(
          "address checksum (EIP-55) does not match: got '"
              + text
              + "', the checksummed form is '"
              + address
              + "'");
    }
    return address;
  }

  /** The lower-case hex form with 0x prefix. */
  public String toLowerHex() {
    return bytes.toHexString();
  }

  /** The EIP-55 checksummed form. */
  @Override
  public String toString() {
    // EIP-55 is a few lines over keccak; written here so that it uses our one Keccak
    String lower = bytes.toUnprefixedHexString();
    byte[] hash = Hashes.keccak256(lower.getBytes(StandardCharsets.US_ASCII));
    StringBuilder out = new StringBuilder(2 + lower.length()).append("0x");
    for (int i = 0; i < lower.length(); i++) {
      char c = lower.charAt(i);
      int nibble = (hash[i / 2] >> (i % 2 == 0 ? 4 : 0)) & 0xf;
      out.append(nibble >= 8 ? Character.toUpperCase(c) : c);
    }
    return out.toString();
  }
}
