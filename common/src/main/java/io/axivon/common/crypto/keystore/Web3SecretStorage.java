package io.axivon.common.crypto.keystore;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.axivon.common.InvalidInputException;
import io.axivon.common.crypto.Hashes;
import io.axivon.common.crypto.secp256k1.Address;
import io.axivon.common.crypto.secp256k1.Secp256k1PrivateKey;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.HexFormat;
import org.apache.tuweni.bytes.Bytes;

/**
 * Web3 Secret Storage v3, the JSON key file of geth, MetaMask and most Ethereum tools, for
 * secp256k1 keys: KDF (scrypt or pbkdf2-hmac-sha256) → derived key DK; ciphertext =
 * AES-128-CTR(DK[0:16], iv, key); mac = keccak256(DK[16:32] ‖ ciphertext).
 *
 * <p>Written here over BouncyCastle and the JDK because web3j's {@code Wallet} is not part of the
 * web3j {@code crypto} artifact we depend on (it lives in {@code core}, with an HTTP stack). The
 * passphrase is used as its UTF-8 bytes, unnormalized, as geth does.
 */
public final class Web3SecretStorage {
  public static final int VERSION = 3;

  private Web3SecretStorage() {}

  /** Encrypts {@code key} into a v3 JSON document, with a fresh salt, IV and UUID. */
  public static String encrypt(
      Secp256k1PrivateKey key, String passphrase, KdfParams kdf, SecureRandom random) {
    byte[] salt = KeystoreJson.random(random, KeystoreJson.SALT_SIZE);
    byte[] iv = KeystoreJson.random(random, KeystoreJson.IV_SIZE);
    byte[] derived = kdf.derive(password(passphrase), salt);
    byte[] plain = key.bytes().toArray();
    try {
      byte[] ciphertext = KeystoreJson.aes128Ctr(derived, iv, plain);
      HexFormat hex = HexFormat.of();

      ObjectNode root = KeystoreJson.MAPPER.createObjectNode();
      root.put("address", key.address().bytes().toUnprefixedHexString());
      ObjectNode crypto = root.putObject("crypto");
      crypto.put("cipher", KeystoreJson.AES_128_CTR);
      crypto.put("ciphertext", hex.formatHex(ciphertext));
      crypto.putObject("cipherparams").put("iv", hex.formatHex(iv));
      crypto.put("kdf", kdf.function());
      KeystoreJson.putKdfParams(crypto.putObject("kdfparams"), kdf, salt);
      crypto.put("mac", hex.formatHex(mac(derived, ciphertext)));
      root.put("id", KeystoreJson.randomUuid(random).toString());
      root.put("version", VERSION);
      return KeystoreJson.write(root);
    } finally {
      Arrays.fill(derived, (byte) 0);
      Arrays.fill(plain, (byte) 0);
    }
  }

  /**
   * Decrypts a v3 JSON document. Keys shorter than 32 bytes, which old tools wrote without leading
   * zeros, are left-padded.
   *
   * @throws InvalidInputException "wrong passphrase" when the MAC does not match; "not a key file:
   *     ..." for a malformed document; "unsupported ..." for other versions, KDFs or ciphers;
   *     "malformed hex ..." for bad hex fields
   */
  public static Secp256k1PrivateKey decrypt(String json, String passphrase) {
    ObjectNode root = KeystoreJson.parse(json);
    int version = KeystoreJson.version(root);
    if (version != VERSION) {
      throw new InvalidInputException(
          "unsupported key file version "
              + version
              + " (expected 3, Web3 Secret Storage"
              + (version == Eip2335Keystore.VERSION
                  ? "; version 4 is an EIP-2335 BLS keystore"
                  : "")
              + ")");
    }
    // some tools (early geth, MyEtherWallet) wrote "Crypto"
    JsonNode cryptoNode = root.has("crypto") ? root.get("crypto") : root.get("Crypto");
    if (cryptoNode == null) {
      throw KeystoreJson.notAKeyFile("missing \"crypto\"");
    }
    if (!cryptoNode.isObject()) {
      throw KeystoreJson.notAKeyFile("\"crypto\" is not an object");
    }
    KeystoreJson.checkCipher(KeystoreJson.text(cryptoNode, "cipher", "crypto.cipher"));
    ObjectNode cipherParams =
        KeystoreJson.object(cryptoNode, "cipherparams", "crypto.cipherparams");
    byte[] iv =
        KeystoreJson.hex(
            cipherParams,
            "iv",
            "crypto.cipherparams.iv",
            KeystoreJson.IV_SIZE,
            KeystoreJson.IV_SIZE);
    byte[] ciphertext =
        KeystoreJson.hex(
            cryptoNode, "ciphertext", "crypto.ciphertext", 1, Secp256k1PrivateKey.SIZE);
    String kdfName = KeystoreJson.text(cryptoNode, "kdf", "crypto.kdf");
    ObjectNode kdfParamsNode = KeystoreJson.object(cryptoNode, "kdfparams", "crypto.kdfparams");
    KdfParams kdf = KeystoreJson.kdfParams(kdfName, kdfParamsNode, "crypto.kdfparams");
    byte[] salt = KeystoreJson.hex(kdfParamsNode, "salt", "crypto.kdfparams.salt", 1, 1024);
    byte[] expectedMac = KeystoreJson.hex(cryptoNode, "mac", "crypto.mac", 32, 32);

    byte[] derived = kdf.derive(password(passphrase), salt);
    byte[] plain = null;
    try {
      if (!MessageDigest.isEqual(mac(derived, ciphertext), expectedMac)) {
        throw new InvalidInputException("wrong passphrase (key file MAC does not match)");
      }
      plain = KeystoreJson.aes128Ctr(derived, iv, ciphertext);
      byte[] padded = new byte[Secp256k1PrivateKey.SIZE];
      System.arraycopy(plain, 0, padded, padded.length - plain.length, plain.length);
      Secp256k1PrivateKey key;
      try {
        key = Secp256k1PrivateKey.fromBytes(Bytes.wrap(padded));
      } catch (InvalidInputException e) {
        throw KeystoreJson.notAKeyFile("the decrypted key is invalid: " + e.getMessage());
      } finally {
        Arrays.fill(padded, (byte) 0);
      }
      checkAddress(root, key);
      return key;
    } finally {
      Arrays.fill(derived, (byte) 0);
      if (plain != null) {
        Arrays.fill(plain, (byte) 0);
      }
    }
  }

  private static void checkAddress(ObjectNode root, Secp256k1PrivateKey key) {
    if (!root.has("address")) {
      return;
    }
    String text = KeystoreJson.text(root, "address", "address");
    String digits = text.startsWith("0x") ? text.substring(2) : text;
    byte[] bytes;
    try {
      bytes = HexFormat.of().parseHex(digits);
    } catch (IllegalArgumentException e) {
      throw new InvalidInputException("malformed hex in \"address\": " + e.getMessage(), e);
    }
    if (bytes.length != Address.SIZE) {
      throw new InvalidInputException(
          "malformed hex in \"address\": expected 20 bytes, got " + bytes.length);
    }
    if (!key.address().bytes().equals(Bytes.wrap(bytes))) {
      throw KeystoreJson.notAKeyFile(
          "its \"address\" 0x" + digits + " is not the address of its key, " + key.address());
    }
  }

  static byte[] mac(byte[] derived, byte[] ciphertext) {
    byte[] preimage = new byte[16 + ciphertext.length];
    System.arraycopy(derived, 16, preimage, 0, 16);
    System.arraycopy(ciphertext, 0, preimage, 16, ciphertext.length);
    return Hashes.keccak256(preimage);
  }

  private static byte[] password(String passphrase) {
    if (passphrase == null) {
      throw new InvalidInputException("passphrase is missing");
    }
    return passphrase.getBytes(StandardCharsets.UTF_8);
  }
}
