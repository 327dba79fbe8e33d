package io.axivon.sdk.storage.crypto;

import io.axivon.common.InvalidInputException;
import io.axivon.common.crypto.keystore.KeyFiles;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.HexFormat;

/**
 * A 256-bit AES key for {@link FileEncryption}, held by the user. Its file is 64 hex digits ({@code
 * 0x} optional) on one line, readable by its owner only when written here.
 */
public final class EncryptionKey {
  public static final int SIZE = 32;

  private final byte[] bytes;

  private EncryptionKey(byte[] bytes) {
    this.bytes = bytes;
  }

  /** A new random key. */
  public static EncryptionKey generate(SecureRandom random) {
    byte[] b = new byte[SIZE];
    random.nextBytes(b);
    return new EncryptionKey(b);
  }

  /** The key in {@code bytes} (32 of them). */
  public static EncryptionKey of(byte[] bytes) {
    if (bytes.length != SIZE) {
      throw new InvalidInputException(
          "an encryption key is " + SIZE + " bytes, got " + bytes.length);
    }
    return new EncryptionKey(bytes.clone());
  }

  /**
   * Parses a key file's text: 64 hex digits, {@code 0x} optional, surrounding whitespace ignored.
   */
  public static EncryptionKey parse(String text) {
    String hex = text.strip();
    if (hex.startsWith("0x") || hex.startsWith("0X")) {
      hex = hex.substring(2);
    }
    if (hex.length() != 2 * SIZE) {
      throw new InvalidInputException(
          "an encryption key is 64 hex digits (32 bytes), got " + hex.length() + " characters");
    }
    try {
      return new EncryptionKey(HexFormat.of().parseHex(hex));
    } catch (IllegalArgumentException e) {
      throw new InvalidInputException("an encryption key is 64 hex digits: not hex");
    }
  }

  /** Reads a key file; a missing or malformed one is an {@link InvalidInputException}. */
  public static EncryptionKey load(Path file) {
    String text;
    try {
      if (Files.size(file) > 1024) {
        throw new InvalidInputException("not an encryption key file (over 1 KiB): " + file);
      }
      text = Files.readString(file, StandardCharsets.US_ASCII);
    } catch (NoSuchFileException e) {
      throw new InvalidInputException("no such encryption key file: " + file);
    } catch (IOException e) {
      throw new InvalidInputException("cannot read encryption key file " + file + ": " + e);
    }
    try {
      return parse(text);
    } catch (InvalidInputException e) {
      throw new InvalidInputException(file + ": " + e.getMessage());
    }
  }

  /** Writes this key to a new owner-only file; an existing file is never replaced. */
  public void writeNew(Path file) {
    KeyFiles.writeNew(file, "0x" + HexFormat.of().formatHex(bytes) + "\n");
  }

  byte[] bytes() {
    return bytes.clone();
  }

  /** Never the key itself. */
  @Override
  public String toString() {
    return "EncryptionKey[hidden]";
  }
}
