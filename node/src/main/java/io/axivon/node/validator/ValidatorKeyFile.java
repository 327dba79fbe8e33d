package io.axivon.node.validator;

import io.axivon.common.InvalidInputException;
import io.axivon.common.crypto.bls.BlsSecretKey;
import io.axivon.common.crypto.keystore.KeyFiles;
import io.axivon.common.crypto.secp256k1.Secp256k1PrivateKey;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;

/**
 * A validator's keys as 64 hex digits in owner-only files, like CometBFT's priv_validator_key.json:
 * a validator signs unattended, so they cannot sit behind a passphrase prompt. {@code
 * validator.key} is the BLS consensus key; {@code fee.key} the secp256k1 account that receives its
 * fees. Use {@code axivon keys} keystores for keys a person holds.
 */
public final class ValidatorKeyFile {
  private ValidatorKeyFile() {}

  /** Writes a new random key; refuses to overwrite an existing file. */
  public static BlsSecretKey create(Path file, SecureRandom random) {
    BlsSecretKey key = BlsSecretKey.generate(random);
    KeyFiles.writeNew(file, key.toBytes().toUnprefixedHexString() + "\n");
    return key;
  }

  /** Writes a new random fee-account key; refuses to overwrite an existing file. */
  public static Secp256k1PrivateKey createFeeKey(Path file, SecureRandom random) {
    Secp256k1PrivateKey key = Secp256k1PrivateKey.generate(random);
    KeyFiles.writeNew(file, key.bytes().toUnprefixedHexString() + "\n");
    return key;
  }

  public static Secp256k1PrivateKey loadFeeKey(Path file) {
    String text = readHex(file, "fee key", "a secp256k1 private key");
    try {
      return Secp256k1PrivateKey.fromHex(text);
    } catch (RuntimeException e) {
      throw new InvalidInputException("fee key " + file + " is invalid: " + e.getMessage());
    }
  }

  private static String readHex(Path file, String what, String kind) {
    String text;
    try {
      text = Files.readString(file, StandardCharsets.US_ASCII).strip();
    } catch (IOException e) {
      throw new InvalidInputException("cannot read " + what + " " + file + ": " + e.getMessage());
    }
    if (!text.matches("(0x)?[0-9a-fA-F]{64}")) {
      throw new InvalidInputException(what + " " + file + " is not 64 hex digits (" + kind + ")");
    }
    return text;
  }

  public static BlsSecretKey load(Path file) {
    String text = readHex(file, "validator key", "a BLS12-381 secret key");
    try {
      return BlsSecretKey.fromHex(text);
    } catch (RuntimeException e) {
      throw new InvalidInputException("validator key " + file + " is invalid: " + e.getMessage());
    }
  }
}
