package io.axivon.node.storage;

import io.axivon.common.InvalidInputException;
import io.axivon.common.crypto.keystore.KeyFiles;
import io.axivon.common.crypto.secp256k1.Secp256k1PrivateKey;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;

/**
 * A miner's secp256k1 key as 64 hex digits in an owner-only file: a miner submits unattended, so
 * its key cannot sit behind a passphrase prompt (as a validator's fee key).
 */
public final class MinerKeyFile {
  private MinerKeyFile() {}

  /** Writes a new random key; refuses to overwrite an existing file. */
  public static Secp256k1PrivateKey create(Path file, SecureRandom random) {
    Secp256k1PrivateKey key = Secp256k1PrivateKey.generate(random);
    KeyFiles.writeNew(file, key.bytes().toUnprefixedHexString() + "\n");
    return key;
  }

  public static Secp256k1PrivateKey load(Path file) {
    String text;
    try {
      text = Files.readString(file, StandardCharsets.US_ASCII).strip();
    } catch (IOException e) {
      throw new InvalidInputException("cannot read miner key " + file + ": " + e.getMessage());
    }
    if (!text.matches("(0x)?[0-9a-fA-F]{64}")) {
      throw new InvalidInputException(
          "miner key " + file + " is not 64 hex digits (a secp256k1 private key)");
    }
    try {
      return Secp256k1PrivateKey.fromHex(text);
    } catch (RuntimeException e) {
      throw new InvalidInputException("miner key " + file + " is invalid: " + e.getMessage());
    }
  }
}
