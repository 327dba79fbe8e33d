package io.axivon.common.crypto.secp256k1;

import static org.assertj.core.api.Assertions.assertThat;

import io.axivon.common.InvalidInputException;
import java.math.BigInteger;
import java.util.List;
import java.util.Locale;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.Size;
import org.apache.tuweni.bytes.Bytes;
import org.apache.tuweni.bytes.Bytes32;

class Secp256k1Properties {
  @Property(tries = 300)
  void addressEqualityAndHashAreTheBytes(
      @ForAll @Size(40) byte[] pair, @ForAll boolean same, @ForAll boolean slice) {
    if (same) {
      System.arraycopy(pair, 0, pair, 20, 20);
    }
    // from a slice of a larger array or from an exact one: the same address either way
    Bytes a = slice ? Bytes.wrap(pair, 0, 20) : Bytes.wrap(java.util.Arrays.copyOf(pair, 20));
    Bytes b = Bytes.wrap(pair, 20, 20);
    Address x = new Address(a);
    Address y = new Address(b);
    assertThat(x.equals(y)).isEqualTo(a.equals(b));
    assertThat(x.hashCode()).isEqualTo(a.hashCode());
    if (x.equals(y)) {
      assertThat(x.hashCode()).isEqualTo(y.hashCode());
    }
    assertThat(x).isEqualTo(new Address(Bytes.wrap(a.toArray())));
    assertThat(x.equals(a)).isFalse();
  }

  @Property(tries = 200)
  void signedHashRecoversToTheSigner(
      @ForAll("keys") Secp256k1PrivateKey key, @ForAll("hashes") Bytes32 hash) {
    Secp256k1Signature signature = key.sign(hash);
    assertThat(Secp256k1.recover(hash, signature)).isEqualTo(key.publicKey());
    assertThat(Secp256k1.verify(key.publicKey(), hash, signature)).isTrue();
    assertThat(Secp256k1.verify(key.address(), hash, signature)).isTrue();
    // low s, always (EIP-2)
    assertThat(signature.s().toUnsignedBigInteger())
        .isLessThanOrEqualTo(Secp256k1.HALF_CURVE_ORDER);
  }

  @Property(tries = 100)
  void signingIsDeterministic(
      @ForAll("keys") Secp256k1PrivateKey key, @ForAll("hashes") Bytes32 hash) {
    assertThat(key.sign(hash)).isEqualTo(key.sign(hash));
  }

  @Property(tries = 200)
  void aSignatureDoesNotVerifyForAnotherHash(
      @ForAll("keys") Secp256k1PrivateKey key,
      @ForAll("hashes") Bytes32 hash,
      @ForAll("hashes") Bytes32 other) {
    if (hash.equals(other)) {
      return;
    }
    assertThat(Secp256k1.verify(key.publicKey(), other, key.sign(hash))).isFalse();
  }

  @Property(tries = 200)
  void signatureEncodingRoundTrips(
      @ForAll("keys") Secp256k1PrivateKey key, @ForAll("hashes") Bytes32 hash) {
    Secp256k1Signature signature = key.sign(hash);
    assertThat(Secp256k1Signature.decode(signature.encode())).isEqualTo(signature);
  }

  @Property(tries = 200)
  void publicKeyEncodingsRoundTrip(@ForAll("keys") Secp256k1PrivateKey key) {
    Secp256k1PublicKey publicKey = key.publicKey();
    assertThat(Secp256k1PublicKey.fromBytes(publicKey.bytes())).isEqualTo(publicKey);
    assertThat(Secp256k1PublicKey.fromBytes(publicKey.compressed())).isEqualTo(publicKey);
  }

  @Property
  void addressTextRoundTripsInEveryAcceptedForm(@ForAll("addresses") Address address) {
    String checksummed = address.toString();
    assertThat(Address.fromHex(checksummed)).isEqualTo(address);
    assertThat(Address.fromHex(checksummed.toLowerCase(Locale.ROOT))).isEqualTo(address);
    assertThat(Address.fromHex("0x" + checksummed.substring(2).toUpperCase(Locale.ROOT)))
        .isEqualTo(address);
  }

  @Property(tries = 300)
  void arbitraryBytesDecodeOrFailWithInvalidInput(
      @ForAll @Size(value = 65) byte[] raw, @ForAll("hashes") Bytes32 hash) {
    try {
      Secp256k1Signature signature = Secp256k1Signature.decode(Bytes.wrap(raw));
      try {
        Secp256k1.recover(hash, signature);
      } catch (InvalidInputException expected) {
        assertThat(expected.getMessage()).contains("recover");
      }
    } catch (InvalidInputException expected) {
      assertThat(expected.getMessage()).startsWith("signature");
    }
    for (Bytes encoded : List.of(Bytes.wrap(raw), Bytes.wrap(raw, 1, 64), Bytes.wrap(raw, 0, 33))) {
      try {
        Secp256k1PublicKey.fromBytes(encoded);
      } catch (InvalidInputException expected) {
        assertThat(expected.getMessage()).contains("public key");
      }
    }
  }

  @Property(tries = 300)
  void arbitraryTextParsesAsAnAddressOnlyInACanonicalForm(@ForAll String text) {
    try {
      Address address = Address.fromHex(text);
      assertThat(text.toLowerCase(Locale.ROOT)).isEqualTo(address.toLowerHex());
    } catch (InvalidInputException expected) {
      assertThat(expected.getMessage()).contains("address");
    }
  }

  @Provide
  Arbitrary<Secp256k1PrivateKey> keys() {
    return Arbitraries.bytes()
        .array(byte[].class)
        .ofSize(32)
        .filter(
            b -> {
              BigInteger d = new BigInteger(1, b);
              return d.signum() > 0 && d.compareTo(Secp256k1.CURVE_ORDER) < 0;
            })
        .map(b -> Secp256k1PrivateKey.fromBytes(Bytes.wrap(b)));
  }

  @Provide
  Arbitrary<Bytes32> hashes() {
    return Arbitraries.bytes().array(byte[].class).ofSize(32).map(Bytes32::wrap);
  }

  @Provide
  Arbitrary<Address> addresses() {
    return Arbitraries.bytes().array(byte[].class).ofSize(20).map(b -> new Address(Bytes.wrap(b)));
  }
}
