package io.axivon.common.crypto.keystore;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.axivon.common.InvalidInputException;
import io.axivon.common.crypto.Hashes;
import io.axivon.common.crypto.bls.BlsPublicKey;
import io.axivon.common.crypto.bls.BlsSecretKey;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.text.Normalizer;
import java.util.Arrays;
import java.util.HexFormat;
import org.apache.tuweni.bytes.Bytes;

/**
 * EIP-2335 (version 4) keystores for BLS12-381 secret keys, the format of Ethereum's deposit CLI
 * and validator clients: modules kdf (scrypt or pbkdf2), checksum (sha256(DK[16:32] ‖
 * cipher.message)) and cipher (AES-128-CTR with DK[0:16]); the password is NFKD-normalized and
 * stripped of C0, C1 and DEL control characters before UTF-8 encoding.
 */
public final class Eip2335Keystore {
  public static final int VERSION = 4;

  private Eip2335Keystore() {}

  /**
   * Encrypts {@code key} with a fresh salt, IV and UUID.
   *
   * @param path the EIP-2334 derivation path of the key, or "" when it has none
   * @param description a free-form label, or "" for none
   */
  public static String encrypt(
      BlsSecretKey key,
      String password,
      KdfParams kdf,
      String path,
      String description,
      SecureRandom random) {
    byte[] salt = KeystoreJson.random(random, KeystoreJson.SALT_SIZE);
    byte[] iv = KeystoreJson.random(random, KeystoreJson.IV_SIZE);
    byte[] derived = kdf.derive(normalizePassword(password), salt);
    byte[] secret = key.toBytes().toArray();
    try {
      byte[] cipherMessage = KeystoreJson.aes128Ctr(derived, iv, secret);
      HexFormat hex = HexFormat.of();

      ObjectNode root = KeystoreJson.MAPPER.createObjectNode();
      ObjectNode crypto = root.putObject("crypto");
      ObjectNode kdfModule = crypto.putObject("kdf");
      kdfModule.put("function", kdf.function());
      KeystoreJson.putKdfParams(kdfModule.putObject("params"), kdf, salt);
      kdfModule.put("message", "");
      ObjectNode checksum = crypto.putObject("checksum");
      checksum.put("function", "sha256");
      checksum.putObject("params");
      checksum.put("message", hex.formatHex(checksum(derived, cipherMessage)));
      ObjectNode cipher = crypto.putObject("cipher");
      cipher.put("function", KeystoreJson.AES_128_CTR);
      cipher.putObject("params").put("iv", hex.formatHex(iv));
      cipher.put("message", hex.formatHex(cipherMessage));
      root.put("description", description == null ? "" : description);
      root.put("pubkey", key.publicKey().toBytes().toUnprefixedHexString());
      root.put("path", path == null ? "" : path);
      root.put("uuid", KeystoreJson.randomUuid(random).toString());
      root.put("version", VERSION);
      return KeystoreJson.write(root);
    } finally {
      Arrays.fill(derived, (byte) 0);
      Arrays.fill(secret, (byte) 0);
    }
  }

  /**
   * Decrypts an EIP-2335 keystore and checks its "pubkey" (when present) against the key.
   *
   * @throws InvalidInputException "wrong passphrase" when the checksum does not match; "not a key
   *     file: ..." for a malformed document; "unsupported ..." for other versions, KDFs, checksums
   *     or ciphers; "malformed hex ..." for bad hex fields
   */
  public static BlsSecretKey decrypt(String json, String password) {
    ObjectNode root = KeystoreJson.parse(json);
    int version = KeystoreJson.version(root);
    if (version != VERSION) {
      throw new InvalidInputException(
          "unsupported keystore version "
              + version
              + " (expected 4, EIP-2335"
              + (version == Web3SecretStorage.VERSION
                  ? "; version 3 is a Web3 Secret Storage secp256k1 key file"
                  : "")
              + ")");
    }
    ObjectNode crypto = KeystoreJson.object(root, "crypto", "crypto");

    ObjectNode kdfModule = KeystoreJson.object(crypto, "kdf", "crypto.kdf");
    ObjectNode kdfParamsNode = KeystoreJson.object(kdfModule, "params", "crypto.kdf.params");
    KdfParams kdf =
        KeystoreJson.kdfParams(
            KeystoreJson.text(kdfModule, "function", "crypto.kdf.function"),
            kdfParamsNode,
            "crypto.kdf.params");
    byte[] salt = KeystoreJson.hex(kdfParamsNode, "salt", "crypto.kdf.params.salt", 1, 1024);

    ObjectNode checksumModule = KeystoreJson.object(crypto, "checksum", "crypto.checksum");
    String checksumFunction =
        KeystoreJson.text(checksumModule, "function", "crypto.checksum.function");
    if (!checksumFunction.equals("sha256")) {
      throw new InvalidInputException(
          "unsupported checksum '" + checksumFunction + "' (supported: sha256)");
    }
    byte[] expectedChecksum =
        KeystoreJson.hex(checksumModule, "message", "crypto.checksum.message", 32, 32);

    ObjectNode cipherModule = KeystoreJson.object(crypto, "cipher", "crypto.cipher");
    KeystoreJson.checkCipher(KeystoreJson.text(cipherModule, "function", "crypto.cipher.function"));
    ObjectNode cipherParams = KeystoreJson.object(cipherModule, "params", "crypto.cipher.params");
    byte[] iv =
        KeystoreJson.hex(
            cipherParams,
            "iv",
            "crypto.cipher.params.iv",
            KeystoreJson.IV_SIZE,
            KeystoreJson.IV_SIZE);
    byte[] cipherMessage =
        KeystoreJson.hex(
            cipherModule, "message", "crypto.cipher.message", BlsSecretKey.SIZE, BlsSecretKey.SIZE);

    byte[] derived = kdf.derive(normalizePassword(password), salt);
    byte[] secret = null;
    try {
      if (!MessageDigest.isEqual(checksum(derived, cipherMessage), expectedChecksum)) {
        throw new InvalidInputException("wrong passphrase (keystore checksum does not match)");
      }
      secret = KeystoreJson.aes128Ctr(derived, iv, cipherMessage);
      BlsSecretKey key;
      try {
        key = BlsSecretKey.fromBytes(Bytes.wrap(secret));
      } catch (InvalidInputException e) {
        throw KeystoreJson.notAKeyFile("the decrypted secret is invalid: " + e.getMessage());
      }
      checkPubkey(root, key);
      return key;
    } finally {
      Arrays.fill(derived, (byte) 0);
      if (secret != null) {
        Arrays.fill(secret, (byte) 0);
      }
    }
  }

  /** NFKD, then drop C0 (U+0000..U+001F), DEL (U+007F) and C1 (U+0080..U+009F), then UTF-8. */
  public static byte[] normalizePassword(String password) {
    if (password == null) {
      throw new InvalidInputException("password is missing");
    }
    String nfkd = Normalizer.normalize(password, Normalizer.Form.NFKD);
    ByteArrayOutputStream out = new ByteArrayOutputStream(nfkd.length());
    nfkd.codePoints()
        .filter(c -> !(c <= 0x1f || (c >= 0x7f && c <= 0x9f)))
        .forEach(
            c -> out.writeBytes(new String(Character.toChars(c)).getBytes(StandardCharsets.UTF_8)));
    return out.toByteArray();
  }

  private static void checkPubkey(ObjectNode root, BlsSecretKey key) {
    if (!root.has("pubkey")) {
      return;
    }
    String text = KeystoreJson.text(root, "pubkey", "pubkey");
    if (text.isEmpty()) {
      return;
    }
    byte[] bytes = KeystoreJson.hex(root, "pubkey", "pubkey", BlsPublicKey.SIZE, BlsPublicKey.SIZE);
    if (!key.publicKey().toBytes().equals(Bytes.wrap(bytes))) {
      throw KeystoreJson.notAKeyFile(
          "its \"pubkey\" is not the public key of its secret, " + key.publicKey());
    }
  }

  private static byte[] checksum(byte[] derived, byte[] cipherMessage) {
    byte[] preimage = new byte[16 + cipherMessage.length];
    System.arraycopy(derived, 16, preimage, 0, 16);
    System.arraycopy(cipherMessage, 0, preimage, 16, cipherMessage.length);
    return Hashes.sha256(preimage);
  }
}
