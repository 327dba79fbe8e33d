package io.axivon.common.crypto.keystore;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.axivon.common.InvalidInputException;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.UUID;
import javax.crypto.Cipher;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/** JSON access with precise errors, and the primitives both key file formats share. */
final class KeystoreJson {
  static final ObjectMapper MAPPER =
      JsonMapper.builder()
          .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
          .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
          .build();

  static final String AES_128_CTR = "aes-128-ctr";
  static final int IV_SIZE = 16;
  static final int SALT_SIZE = 32;

  private KeystoreJson() {}

  static ObjectNode parse(String json) {
    if (json == null) {
      throw notAKeyFile("no content");
    }
    JsonNode root;
    try {
      root = MAPPER.readTree(json);
    } catch (JacksonException e) {
      throw new InvalidInputException(
          "not a key file: invalid JSON (" + e.getOriginalMessage() + ")", e);
    }
    if (root == null || !root.isObject()) {
      throw notAKeyFile("the top level is not a JSON object");
    }
    return (ObjectNode) root;
  }

  static InvalidInputException notAKeyFile(String reason) {
    return new InvalidInputException("not a key file: " + reason);
  }

  static int version(ObjectNode root) {
    JsonNode version = root.get("version");
    if (version == null) {
      throw notAKeyFile("no \"version\" field");
    }
    if (!version.isIntegralNumber() || !version.canConvertToInt()) {
      throw notAKeyFile("\"version\" is not an integer: " + version);
    }
    return version.intValue();
  }

  static ObjectNode object(JsonNode parent, String field, String path) {
    JsonNode node = parent.get(field);
    if (node == null) {
      throw notAKeyFile("missing \"" + path + "\"");
    }
    if (!node.isObject()) {
      throw notAKeyFile("\"" + path + "\" is not an object");
    }
    return (ObjectNode) node;
  }

  static String text(JsonNode parent, String field, String path) {
    JsonNode node = parent.get(field);
    if (node == null) {
      throw notAKeyFile("missing \"" + path + "\"");
    }
    if (!node.isTextual()) {
      throw notAKeyFile("\"" + path + "\" is not a string");
    }
    return node.textValue();
  }

  static int integer(JsonNode parent, String field, String path) {
    JsonNode node = parent.get(field);
    if (node == null) {
      throw notAKeyFile("missing \"" + path + "\"");
    }
    if (!node.isIntegralNumber() || !node.canConvertToInt()) {
      throw notAKeyFile("\"" + path + "\" is not a 32-bit integer: " + node);
    }
    return node.intValue();
  }

  /** Hex without 0x (a 0x prefix is tolerated), checked for digits, even length and size. */
  static byte[] hex(JsonNode parent, String field, String path, int minSize, int maxSize) {
    String text = text(parent, field, path);
    String digits = text.startsWith("0x") ? text.substring(2) : text;
    byte[] bytes;
    try {
      bytes = HexFormat.of().parseHex(digits);
    } catch (IllegalArgumentException e) {
      throw new InvalidInputException("malformed hex in \"" + path + "\": " + e.getMessage(), e);
    }
    if (bytes.length < minSize || bytes.length > maxSize) {
      throw new InvalidInputException(
          "malformed hex in \""
              + path
              + "\": expected "
              + (minSize == maxSize ? minSize : minSize + ".." + maxSize)
              + " bytes, got "
              + bytes.length);
    }
    return bytes;
  }

  /** Reads scrypt or pbkdf2 parameters in the field names both formats use. */
  static KdfParams kdfParams(String function, JsonNode params, String path) {
    return switch (function) {
      case "scrypt" ->
          new KdfParams.Scrypt(
              integer(params, "n", path + ".n"),
              integer(params, "r", path + ".r"),
              integer(params, "p", path + ".p"),
              integer(params, "dklen", path + ".dklen"));
      case "pbkdf2" -> {
        String prf = text(params, "prf", path + ".prf");
        if (!prf.equals("hmac-sha256")) {
          throw new InvalidInputException(
              "unsupported pbkdf2 prf '" + prf + "' (supported: hmac-sha256)");
        }
        yield new KdfParams.Pbkdf2(
            integer(params, "c", path + ".c"), integer(params, "dklen", path + ".dklen"));
      }
      default ->
          throw new InvalidInputException(
              "unsupported kdf '" + function + "' (supported: scrypt, pbkdf2)");
    };
  }

  static void putKdfParams(ObjectNode params, KdfParams kdf, byte[] salt) {
    switch (kdf) {
      case KdfParams.Scrypt s -> {
        params.put("dklen", s.dklen());
        params.put("n", s.n());
        params.put("p", s.p());
        params.put("r", s.r());
      }
      case KdfParams.Pbkdf2 p -> {
        params.put("dklen", p.dklen());
        params.put("c", p.c());
        params.put("prf", "hmac-sha256");
      }
    }
    params.put("salt", HexFormat.of().formatHex(salt));
  }

  static void checkCipher(String cipher) {
    if (!cipher.equals(AES_128_CTR)) {
      throw new InvalidInputException(
          "unsupported cipher '" + cipher + "' (supported: " + AES_128_CTR + ")");
    }
  }

  /** AES-128-CTR with the first 16 bytes of the derived key; encryption and decryption alike. */
  static byte[] aes128Ctr(byte[] derivedKey, byte[] iv, byte[] input) {
    try {
      Cipher cipher = Cipher.getInstance("AES/CTR/NoPadding");
      cipher.init(
          Cipher.ENCRYPT_MODE,
          new SecretKeySpec(derivedKey, 0, 16, "AES"),
          new IvParameterSpec(iv));
      return cipher.doFinal(input);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("every JDK provides AES/CTR/NoPadding", e);
    }
  }

  static byte[] random(SecureRandom random, int size) {
    byte[] out = new byte[size];
    random.nextBytes(out);
    return out;
  }

  /** A version 4 (random) UUID from {@code random}. */
  static UUID randomUuid(SecureRandom random) {
    byte[] b = random(random, 16);
    b[6] = (byte) ((b[6] & 0x0f) | 0x40);
    b[8] = (byte) ((b[8] & 0x3f) | 0x80);
    long msb = 0;
    long lsb = 0;
    for (int i = 0; i < 8; i++) {
      msb = (msb << 8) | (b[i] & 0xff);
      lsb = (lsb << 8) | (b[8 + i] & 0xff);
    }
    return new UUID(msb, lsb);
  }

  static String write(ObjectNode root) {
    try {
      return MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(root);
    } catch (JacksonException e) {
      throw new IllegalStateException("a tree of strings and numbers always serializes", e);
    }
  }
}
