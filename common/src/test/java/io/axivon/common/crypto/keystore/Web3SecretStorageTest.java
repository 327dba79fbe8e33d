package io.axivon.common.crypto.keystore;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.axivon.common.InvalidInputException;
import io.axivon.common.crypto.secp256k1.Secp256k1PrivateKey;
import java.security.SecureRandom;
import org.junit.jupiter.api.Test;

class Web3SecretStorageTest {
  static final KdfParams LIGHT_SCRYPT = new KdfParams.Scrypt(1 << 10, 8, 1, 32);
  static final String VECTOR_KEY =
      "0x7a28b5ba57c53603b0b07b56bba752f7784bf506fa95edc395f5cf6c7514fe9d";

  /** The PBKDF2 test vector of the Web3 Secret Storage Definition. */
  static final String PBKDF2_VECTOR =
      """
      {
        "crypto" : {
          "cipher" : "aes-128-ctr",
          "cipherparams" : { "iv" : "6087dab2f9fdbbfaddc31a909735c1e6" },
          "ciphertext" : "5318b4d5bcd28de64ee5559e671353e16f075ecae9f99c7a79a38af5f869aa46",
          "kdf" : "pbkdf2",
          "kdfparams" : {
            "c" : 262144,
            "dklen" : 32,
            "prf" : "hmac-sha256",
            "salt" : "ae3cd4e7013836a3df6bd7241b12db061dbe2c6785853cce422d148a624ce0bd"
          },
          "mac" : "517ead924a9d0dc3124507e3393d175ce3ff7c1e96529c6c555ce9e51205e9b2"
        },
        "id" : "3198bc9c-6672-5ab3-d995-4942343ae5b6",
        "version" : 3
      }
      """;

  /** The scrypt test vector of the Web3 Secret Storage Definition (note r = 1, p = 8). */
  static final String SCRYPT_VECTOR =
      """
      {
        "crypto" : {
          "cipher" : "aes-128-ctr",
          "cipherparams" : { "iv" : "83dbcc02d8ccb40e466191a123791e0e" },
          "ciphertext" : "d172bf743a674da9cdad04534d56926ef8358534d458fffccd4e6ad2fbde479c",
          "kdf" : "scrypt",
          "kdfparams" : {
            "dklen" : 32,
            "n" : 262144,
            "r" : 1,
            "p" : 8,
            "salt" : "ab0c7876052600dd703518d6fc3fe8984592145b591fc8fb5c6d43190334ba19"
          },
          "mac" : "2103ac29920d71da29f15d75b4a16dbe95cfd7ff8faea1056c33131d846e3097"
        },
        "id" : "3198bc9c-6672-5ab3-d995-4942343ae5b6",
        "version" : 3
      }
      """;

  /** geth's fixture of a key written without its leading zero byte (31 bytes). */
  static final String SHORT_KEY_VECTOR =
      """
      {
        "crypto": {
          "cipher": "aes-128-ctr",
          "cipherparams": { "iv": "e0c41130a323adc1446fc82f724bca2f" },
          "ciphertext": "9517cd5bdbe69076f9bf5057248c6c050141e970efa36ce53692d5d59a3984",
          "kdf": "scrypt",
          "kdfparams": {
            "dklen": 32, "n": 2, "r": 8, "p": 1,
            "salt": "711f816911c92d649fb4c84b047915679933555030b3552c1212609b38208c63"
          },
          "mac": "d5e116151c6aa71470e67a7d42c9620c75c4d23229847dcc127794f0732b0db5"
        },
        "id": "fecfc4ce-e956-48fd-953b-30f8b52ed66c",
        "version": 3
      }
      """;

  @Test
  void decryptsThePbkdf2Vector() {
    assertThat(Web3SecretStorage.decrypt(PBKDF2_VECTOR, "testpassword").bytes().toHexString())
        .isEqualTo(VECTOR_KEY);
  }

  @Test
  void decryptsTheScryptVector() {
    assertThat(Web3SecretStorage.decrypt(SCRYPT_VECTOR, "testpassword").bytes().toHexString())
        .isEqualTo(VECTOR_KEY);
  }

  @Test
  void decryptsShortKeysLeftPadded() {
    assertThat(Web3SecretStorage.decrypt(SHORT_KEY_VECTOR, "foo").bytes().toHexString())
        .isEqualTo("0x00fa7b3db73dc7dfdf8c5fbdb796d741e4488628c41fc4febd9160a866ba0f35");
  }

  @Test
  void wrongPassphraseIsReportedAsSuch() {
    assertThatThrownBy(() -> Web3SecretStorage.decrypt(SHORT_KEY_VECTOR, "bar"))
        .isInstanceOf(InvalidInputException.class)
        .hasMessage("wrong passphrase (key file MAC does not match)");
  }

  @Test
  void writtenFilesAreGethShapedAndRoundTrip() throws Exception {
    Secp256k1PrivateKey key = Secp256k1PrivateKey.fromHex(VECTOR_KEY);
    String json = Web3SecretStorage.encrypt(key, "pässwörd", LIGHT_SCRYPT, new SecureRandom());
    JsonNode root = KeystoreJson.MAPPER.readTree(json);
    assertThat(root.get("version").intValue()).isEqualTo(3);
    assertThat(root.get("address").textValue())
        .isEqualTo(key.address().bytes().toUnprefixedHexString());
    assertThat(root.get("id").textValue()).matches("[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab].*");
    JsonNode crypto = root.get("crypto");
    assertThat(crypto.get("cipher").textValue()).isEqualTo("aes-128-ctr");
    assertThat(crypto.get("kdf").textValue()).isEqualTo("scrypt");
    assertThat(crypto.get("kdfparams").get("n").intValue()).isEqualTo(1024);
    assertThat(crypto.get("kdfparams").get("salt").textValue()).hasSize(64);
    assertThat(crypto.get("cipherparams").get("iv").textValue()).hasSize(32);
    assertThat(json).doesNotContain(key.bytes().toUnprefixedHexString());
    assertThat(Web3SecretStorage.decrypt(json, "pässwörd")).isEqualTo(key);

    String pbkdf2 =
        Web3SecretStorage.encrypt(key, "x", new KdfParams.Pbkdf2(1000, 32), new SecureRandom());
    assertThat(
            KeystoreJson.MAPPER
                .readTree(pbkdf2)
                .get("crypto")
                .get("kdfparams")
                .get("prf")
                .textValue())
        .isEqualTo("hmac-sha256");
    assertThat(Web3SecretStorage.decrypt(pbkdf2, "x")).isEqualTo(key);
  }

  @Test
  void acceptsTheCapitalisedCryptoFieldOfOldTools() {
    assertThat(
            Web3SecretStorage.decrypt(SHORT_KEY_VECTOR.replace("\"crypto\"", "\"Crypto\""), "foo"))
        .isEqualTo(Web3SecretStorage.decrypt(SHORT_KEY_VECTOR, "foo"));
  }

  @Test
  void malformedFilesGetPreciseMessages() {
    assertThatThrownBy(() -> Web3SecretStorage.decrypt("{ not json", "foo"))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageStartingWith("not a key file: invalid JSON");
    assertThatThrownBy(() -> Web3SecretStorage.decrypt("[1, 2]", "foo"))
        .isInstanceOf(InvalidInputException.class)
        .hasMessage("not a key file: the top level is not a JSON object");
    assertThatThrownBy(() -> Web3SecretStorage.decrypt("{} {}", "foo"))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageStartingWith("not a key file: invalid JSON");
    assertThatThrownBy(() -> Web3SecretStorage.decrypt("{\"crypto\": {}}", "foo"))
        .isInstanceOf(InvalidInputException.class)
        .hasMessage("not a key file: no \"version\" field");
    assertThatThrownBy(
            () ->
                Web3SecretStorage.decrypt(
                    SHORT_KEY_VECTOR.replace("\"version\": 3", "\"version\": 4"), "foo"))
        .isInstanceOf(InvalidInputException.class)
        .hasMessage(
            "unsupported key file version 4 (expected 3, Web3 Secret Storage; version 4 is an"
                + " EIP-2335 BLS keystore)");
    assertThatThrownBy(
            () ->
                Web3SecretStorage.decrypt(
                    SHORT_KEY_VECTOR.replace("\"scrypt\"", "\"argon2id\""), "foo"))
        .isInstanceOf(InvalidInputException.class)
        .hasMessage("unsupported kdf 'argon2id' (supported: scrypt, pbkdf2)");
    assertThatThrownBy(
            () ->
                Web3SecretStorage.decrypt(
                    SHORT_KEY_VECTOR.replace("aes-128-ctr", "aes-128-cbc"), "foo"))
        .isInstanceOf(InvalidInputException.class)
        .hasMessage("unsupported cipher 'aes-128-cbc' (supported: aes-128-ctr)");
    assertThatThrownBy(
            () ->
                Web3SecretStorage.decrypt(
                    SHORT_KEY_VECTOR.replace(
                        "e0c41130a323adc1446fc82f724bca2f", "e0c41130a323adc1446fc82f724bca2g"),
                    "foo"))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageStartingWith("malformed hex in \"crypto.cipherparams.iv\"");
    assertThatThrownBy(
            () ->
                Web3SecretStorage.decrypt(
                    SHORT_KEY_VECTOR.replace("e0c41130a323adc1446fc82f724bca2f", "e0c4"), "foo"))
        .isInstanceOf(InvalidInputException.class)
        .hasMessage("malformed hex in \"crypto.cipherparams.iv\": expected 16 bytes, got 2");
    assertThatThrownBy(
            () -> Web3SecretStorage.decrypt(PBKDF2_VECTOR.replace("hmac-sha256", "hmac-sha1"), "x"))
        .isInstanceOf(InvalidInputException.class)
        .hasMessage("unsupported pbkdf2 prf 'hmac-sha1' (supported: hmac-sha256)");
    assertThatThrownBy(
            () ->
                Web3SecretStorage.decrypt(
                    SHORT_KEY_VECTOR.replace("\"n\": 2", "\"n\": \"2\""), "foo"))
        .isInstanceOf(InvalidInputException.class)
        .hasMessage("not a key file: \"crypto.kdfparams.n\" is not a 32-bit integer: \"2\"");
    assertThatThrownBy(
            () -> Web3SecretStorage.decrypt(SHORT_KEY_VECTOR.replace("\"mac\"", "\"mac2\""), "foo"))
        .isInstanceOf(InvalidInputException.class)
        .hasMessage("not a key file: missing \"crypto.mac\"");
  }

  @Test
  void hostileKdfParametersAreRefusedBeforeAnyWork() {
    assertThatThrownBy(
            () ->
                Web3SecretStorage.decrypt(
                    SHORT_KEY_VECTOR.replace("\"n\": 2", "\"n\": 1073741824"), "foo"))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("more than 1 GiB");
    assertThatThrownBy(
            () ->
                Web3SecretStorage.decrypt(SHORT_KEY_VECTOR.replace("\"n\": 2", "\"n\": 3"), "foo"))
        .isInstanceOf(InvalidInputException.class)
        .hasMessage("scrypt n must be a power of two ≥ 2, got 3");
    assertThatThrownBy(
            () -> Web3SecretStorage.decrypt(PBKDF2_VECTOR.replace("262144", "2000000000"), "x"))
        .isInstanceOf(InvalidInputException.class)
        .hasMessage("pbkdf2 iteration count c must be in [1, 2^24], got 2000000000");
  }

  @Test
  void anAddressThatIsNotTheKeysIsRejected() {
    String json =
        SHORT_KEY_VECTOR.replace(
            "\"version\": 3", "\"version\": 3, \"address\": \"" + "11".repeat(20) + "\"");
    assertThatThrownBy(() -> Web3SecretStorage.decrypt(json, "foo"))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageStartingWith("not a key file: its \"address\" 0x1111");
  }
}
