package io.axivon.common.crypto.keystore;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.axivon.common.InvalidInputException;
import io.axivon.common.crypto.bls.BlsSecretKey;
import io.axivon.common.crypto.secp256k1.Secp256k1PrivateKey;
import java.math.BigInteger;
import java.security.SecureRandom;
import java.util.Arrays;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import org.apache.tuweni.bytes.Bytes;

/** Codec round trips with the cheapest KDF settings, so that many cases stay fast. */
class KeystoreProperties {
  private static final KdfParams CHEAP = new KdfParams.Pbkdf2(1, 32);
  private final SecureRandom random = new SecureRandom();

  @Property(tries = 100)
  void web3KeyFilesRoundTrip(
      @ForAll("secpKeys") Secp256k1PrivateKey key, @ForAll("passwords") String passphrase) {
    String json = Web3SecretStorage.encrypt(key, passphrase, CHEAP, random);
    assertThat(Web3SecretStorage.decrypt(json, passphrase)).isEqualTo(key);
    assertThatThrownBy(() -> Web3SecretStorage.decrypt(json, passphrase + "x"))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageStartingWith("wrong passphrase");
  }

  @Property(tries = 50)
  void eip2335KeystoresRoundTrip(
      @ForAll("blsKeys") BlsSecretKey key, @ForAll("passwords") String password) {
    String json = Eip2335Keystore.encrypt(key, password, CHEAP, "", "", random);
    assertThat(Eip2335Keystore.decrypt(json, password)).isEqualTo(key);
    assertThat(Eip2335Keystore.decrypt(json, password + "\u0007")).isEqualTo(key);
    assertThatThrownBy(() -> Eip2335Keystore.decrypt(json, password + "x"))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageStartingWith("wrong passphrase");
  }

  @Property(tries = 200)
  void passwordNormalizationIsIdempotentAndControlFree(@ForAll("passwords") String password) {
    byte[] once = Eip2335Keystore.normalizePassword(password);
    String text = new String(once, java.nio.charset.StandardCharsets.UTF_8);
    assertThat(Eip2335Keystore.normalizePassword(text)).isEqualTo(once);
    assertThat(text.codePoints()).noneMatch(c -> c < 0x20 || (c >= 0x7f && c <= 0x9f));
  }

  @Property(tries = 300)
  void corruptedKeyFilesFailOnlyWithPreciseInputErrors(
      @ForAll("secpKeys") Secp256k1PrivateKey secp,
      @ForAll("blsKeys") BlsSecretKey bls,
      @ForAll @IntRange(min = 0, max = 100_000) int position,
      @ForAll char replacement) {
    String v3 = Web3SecretStorage.encrypt(secp, "pw", CHEAP, random);
    String v4 = Eip2335Keystore.encrypt(bls, "pw", CHEAP, "", "", random);
    String badV3 = replaceAt(v3, position, replacement);
    String badV4 = replaceAt(v4, position, replacement);
    try {
      assertThat(Web3SecretStorage.decrypt(badV3, "pw")).isEqualTo(secp);
    } catch (InvalidInputException expected) {
      assertThat(expected.getMessage()).isNotBlank();
    }
    try {
      assertThat(Eip2335Keystore.decrypt(badV4, "pw")).isEqualTo(bls);
    } catch (InvalidInputException expected) {
      assertThat(expected.getMessage()).isNotBlank();
    }
  }

  @Property(tries = 300)
  void arbitraryTextIsNeverAcceptedAsAKeyFile(@ForAll String text) {
    assertThatThrownBy(() -> Web3SecretStorage.decrypt(text, "pw"))
        .isInstanceOf(InvalidInputException.class);
    assertThatThrownBy(() -> Eip2335Keystore.decrypt(text, "pw"))
        .isInstanceOf(InvalidInputException.class);
  }

  private static String replaceAt(String text, int position, char replacement) {
    int i = position % text.length();
    return text.substring(0, i) + replacement + text.substring(i + 1);
  }

  @Provide
  Arbitrary<String> passwords() {
    return Arbitraries.strings().all().ofMaxLength(24);
  }

  @Provide
  Arbitrary<Secp256k1PrivateKey> secpKeys() {
    return Arbitraries.bytes()
        .array(byte[].class)
        .ofSize(32)
        .filter(b -> !Arrays.equals(b, new byte[32]))
        .filter(
            b ->
                new BigInteger(1, b)
                        .compareTo(io.axivon.common.crypto.secp256k1.Secp256k1.CURVE_ORDER)
                    < 0)
        .map(b -> Secp256k1PrivateKey.fromBytes(Bytes.wrap(b)));
  }

  @Provide
  Arbitrary<BlsSecretKey> blsKeys() {
    return Arbitraries.bytes()
        .array(byte[].class)
        .ofSize(32)
        .map(b -> BlsSecretKey.keyGen(Bytes.wrap(b)));
  }
}
