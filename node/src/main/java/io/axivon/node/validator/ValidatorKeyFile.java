package io.axivon.node.validator;

import io.axivon.common.InvalidInputException;
import io.axivon.common.crypto.bls.BlsSecretKey;
import io.axivon.common.crypto.keystore.KeyFiles;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;

/**
 * A validator's BLS consensus key as 64 hex digits in an owner-only file, like CometBFT's
 * priv_validator_key.json: a validator signs unattended, so the key cannot sit behind a passphrase
 * prompt. Use {@code axivon keys} keystores for keys a person holds.
 */
public final class ValidatorKeyFile {
  private ValidatorKeyFile() {}

  /** Writes a new random key; refuses to overwrite an existing file. */
  public static BlsSecretKey create(Path file, SecureRandom random) {
    BlsSecretKey key = BlsSecretKey.generate(random);
    KeyFiles.writeNew(file, key.toBytes().toUnprefixedHexString() + "\n");
    return key;
  }

  public static BlsSecretKey load(Path file) {
    String text;
    try {
      text = Files.readString(file, StandardCharsets.US_ASCII).strip();
    } catch (IOException e) {
      throw new InvalidInputException("cannot read validator key " + file + ": " + e.getMessage());
    }
    if (!text.matches("(0x)?[0-9a-fA-F]{64}")) {
      throw new InvalidInputException(
          "validator key " + file + " is not 64 hex digits (a BLS12-381 secret key)");
    }
    try {
      return BlsSecretKey.fromHex(text);
    } catch (RuntimeException e) {
      throw new InvalidInputException("validator key " + file + " is invalid: " + e.getMessage());
    }
  }
}
