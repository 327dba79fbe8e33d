package io.axivon.common.crypto.keystore;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.axivon.common.InvalidInputException;
import io.axivon.common.crypto.bls.BlsSecretKey;
import java.security.SecureRandom;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

/** The test vectors of EIP-2335. */
class Eip2335KeystoreTest {
  static final String PASSWORD = "𝔱𝔢𝔰𝔱𝔭𝔞𝔰𝔰𝔴𝔬𝔯𝔡🔑";
  static final String SECRET = "0x000000000019d6689c085ae165831e934ff763ae46a2a6c172b3f1b60a8ce26f";
  static final String PUBKEY =
      "9612d7a727c9d0a22e185a1c768478dfe919cada9266988cb32359c11f2b7b27f4ae4040902382ae2910c15e2b420d07";

  static final String SCRYPT_VECTOR =
      """
      {
          "crypto": {
              "kdf": {
                  "function": "scrypt",
                  "params": {
                      "dklen": 32,
                      "n": 262144,
                      "p": 1,
                      "r": 8,
                      "salt": "d4e56740f876aef8c010b86a40d5f56745a118d0906a34e69aec8c0db1cb8fa3"
                  },
                  "message": ""
              },
              "checksum": {
                  "function": "sha256",
                  "params": {},
                  "message": "d2217fe5f3e9a1e34581ef8a78f7c9928e436d36dacc5e846690a5581e8ea484"
              },
              "cipher": {
                  "function": "aes-128-ctr",
                  "params": {
                      "iv": "264daa3f303d7259501c93d997d84fe6"
                  },
                  "message": "06ae90d55fe0a6e9c5c3bc5b170827b2e5cce3929ed3f116c2811e6366dfe20f"
              }
          },
          "description": "This is a test keystore that uses scrypt to secure the secret.",
          "pubkey": "9612d7a727c9d0a22e185a1c768478dfe919cada9266988cb32359c11f2b7b27f4ae4040902382ae2910c15e2b420d07",
          "path": "m/12381/60/3141592653/589793238",
          "uuid": "1d85ae20-35c5-4611-98e8-aa14a633906f",
          "version": 4
      }
      """;

  static final String PBKDF2_VECTOR =
      """
      {
          "crypto": {
              "kdf": {
                  "function": "pbkdf2",
                  "params": {
                      "dklen": 32,
                      "c": 262144,
                      "prf": "hmac-sha256",
                      "salt": "d4e56740f876aef8c010b86a40d5f56745a118d0906a34e69aec8c0db1cb8fa3"
                  },
                  "message": ""
              },
              "checksum": {
                  "function": "sha256",
                  "params": {},
                  "message": "8a9f5d9912ed7e75ea794bc5a89bca5f193721d30868ade6f73043c6ea6febf1"
              },
              "cipher": {
                  "function": "aes-128-ctr",
                  "params": {
                      "iv": "264daa3f303d7259501c93d997d84fe6"
                  },
                  "message": "cee03fde2af33149775b7223e7845e4fb2c8ae1792e5f99fe9ecf474cc8c16ad"
              }
          },
          "description": "This is a test keystore that uses PBKDF2 to secure the secret.",
          "pubkey": "9612d7a727c9d0a22e185a1c768478dfe919cada9266988cb32359c11f2b7b27f4ae4040902382ae2910c15e2b420d07",
          "path": "m/12381/60/0/0",
          "uuid": "64625def-3331-4eea-ab6f-782f3ed16a83",
          "version": 4
      }
      """;

  @Test
  void passwordIsNormalizedAsTheVectorsSay() {
    assertThat(HexFormat.of().formatHex(Eip2335Keystore.normalizePassword(PASSWORD)))
        .isEqualTo("7465737470617373776f7264f09f9491");
  }

  @Test
  void controlCharactersAreStrippedButSpacesKept() {
    assertThat(Eip2335Keystore.normalizePassword("a\u0000b\u001fc\u007fd\u0080e\u009ff g"))
        .isEqualTo("abcdef g".getBytes(java.nio.charset.StandardCharsets.UTF_8));
  }

  @Test
  void decryptsTheScryptVector() {
    BlsSecretKey key = Eip2335Keystore.decrypt(SCRYPT_VECTOR, PASSWORD);
    assertThat(key.toBytes().toHexString()).isEqualTo(SECRET);
    assertThat(key.publicKey().toBytes().toUnprefixedHexString()).isEqualTo(PUBKEY);
  }

  @Test
  void decryptsThePbkdf2Vector() {
    assertThat(Eip2335Keystore.decrypt(PBKDF2_VECTOR, PASSWORD).toBytes().toHexString())
        .isEqualTo(SECRET);
    // the normalized form is the same password
    assertThat(Eip2335Keystore.decrypt(PBKDF2_VECTOR, "testpassword🔑").toBytes().toHexString())
        .isEqualTo(SECRET);
  }

  @Test
  void wrongPasswordIsReportedAsSuch() {
    assertThatThrownBy(() -> Eip2335Keystore.decrypt(PBKDF2_VECTOR, "testpassword"))
        .isInstanceOf(InvalidInputException.class)
        .hasMessage("wrong passphrase (keystore checksum does not match)");
  }

  @Test
  void writtenKeystoresHaveTheEip2335ShapeAndRoundTrip() throws Exception {
    BlsSecretKey key = BlsSecretKey.fromHex(SECRET);
    String json =
        Eip2335Keystore.encrypt(
            key,
            PASSWORD,
            new KdfParams.Pbkdf2(1000, 32),
            "m/12381/3600/0/0/0",
            "validator 0",
            new SecureRandom());
    JsonNode root = KeystoreJson.MAPPER.readTree(json);
    assertThat(root.get("version").intValue()).isEqualTo(4);
    assertThat(root.get("pubkey").textValue()).isEqualTo(PUBKEY);
    assertThat(root.get("path").textValue()).isEqualTo("m/12381/3600/0/0/0");
    assertThat(root.get("description").textValue()).isEqualTo("validator 0");
    assertThat(root.at("/crypto/kdf/function").textValue()).isEqualTo("pbkdf2");
    assertThat(root.at("/crypto/kdf/params/prf").textValue()).isEqualTo("hmac-sha256");
    assertThat(root.at("/crypto/checksum/function").textValue()).isEqualTo("sha256");
    assertThat(root.at("/crypto/cipher/function").textValue()).isEqualTo("aes-128-ctr");
    assertThat(root.at("/crypto/cipher/params/iv").textValue()).hasSize(32);
    assertThat(Eip2335Keystore.decrypt(json, PASSWORD)).isEqualTo(key);

    String scrypt =
        Eip2335Keystore.encrypt(
            key, "pw", new KdfParams.Scrypt(1 << 10, 8, 1, 32), "", "", new SecureRandom());
    assertThat(Eip2335Keystore.decrypt(scrypt, "pw")).isEqualTo(key);
  }

  @Test
  void malformedKeystoresGetPreciseMessages() {
    String light = PBKDF2_VECTOR.replace("262144", "2");
    assertThatThrownBy(
            () ->
                Eip2335Keystore.decrypt(
                    light.replace("\"version\": 4", "\"version\": 3"), PASSWORD))
        .isInstanceOf(InvalidInputException.class)
        .hasMessage(
            "unsupported keystore version 3 (expected 4, EIP-2335; version 3 is a Web3 Secret"
                + " Storage secp256k1 key file)");
    assertThatThrownBy(
            () -> Eip2335Keystore.decrypt(light.replace("\"sha256\"", "\"keccak256\""), PASSWORD))
        .isInstanceOf(InvalidInputException.class)
        .hasMessage("unsupported checksum 'keccak256' (supported: sha256)");
    assertThatThrownBy(
            () -> Eip2335Keystore.decrypt(light.replace("\"pbkdf2\"", "\"argon2\""), PASSWORD))
        .isInstanceOf(InvalidInputException.class)
        .hasMessage("unsupported kdf 'argon2' (supported: scrypt, pbkdf2)");
    assertThatThrownBy(
            () -> Eip2335Keystore.decrypt(light.replace("aes-128-ctr", "xchacha20"), PASSWORD))
        .isInstanceOf(InvalidInputException.class)
        .hasMessage("unsupported cipher 'xchacha20' (supported: aes-128-ctr)");
    assertThatThrownBy(
            () ->
                Eip2335Keystore.decrypt(
                    light.replace(
                        "cee03fde2af33149775b7223e7845e4fb2c8ae1792e5f99fe9ecf474cc8c16ad", "cee"),
                    PASSWORD))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageStartingWith("malformed hex in \"crypto.cipher.message\"");
    assertThatThrownBy(
            () -> Eip2335Keystore.decrypt(light.replace("\"checksum\"", "\"check\""), PASSWORD))
        .isInstanceOf(InvalidInputException.class)
        .hasMessage("not a key file: missing \"crypto.checksum\"");
  }

  @Test
  void aPubkeyThatIsNotTheSecretsIsRejected() throws Exception {
    BlsSecretKey key = BlsSecretKey.fromHex(SECRET);
    String json =
        Eip2335Keystore.encrypt(key, "pw", new KdfParams.Pbkdf2(1, 32), "", "", new SecureRandom());
    String otherPubkey =
        BlsSecretKey.keyGen(org.apache.tuweni.bytes.Bytes.repeat((byte) 1, 32))
            .publicKey()
            .toBytes()
            .toUnprefixedHexString();
    assertThatThrownBy(() -> Eip2335Keystore.decrypt(json.replace(PUBKEY, otherPubkey), "pw"))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageStartingWith("not a key file: its \"pubkey\" is not the public key");
  }
}
