package io.axivon.common.crypto.secp256k1;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.axivon.common.InvalidInputException;
import java.math.BigInteger;
import java.security.SecureRandom;
import org.apache.tuweni.bytes.Bytes;
import org.apache.tuweni.bytes.Bytes32;
import org.junit.jupiter.api.Test;

class Secp256k1Test {
  private static final String HARDHAT_0_KEY =
      "0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80";

  @Test
  void hardhatDevAccountZeroHasItsKnownAddress() {
    Secp256k1PrivateKey key = Secp256k1PrivateKey.fromHex(HARDHAT_0_KEY);
    assertThat(key.address().toString()).isEqualTo("0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266");
    assertThat(key.publicKey().address()).isEqualTo(key.address());
    assertThat(key.bytes().toHexString()).isEqualTo(HARDHAT_0_KEY);
  }

  @Test
  void eip155ExampleSignatureIsReproducedExactly() {
    // EIP-155's worked example: key 0x4646..46 signs this transaction hash with chain id 1 and
    // v = 37 (= 1 * 2 + 35 + recovery id 0); RFC 6979 makes r and s deterministic
    Secp256k1PrivateKey key = Secp256k1PrivateKey.fromBytes(Bytes.repeat((byte) 0x46, 32));
    Bytes32 hash =
        Bytes32.fromHexString("0xdaf5a779ae972f972197303d7b574746c7ef83eadac0f2791ad23db92e4c8e53");
    Secp256k1Signature signature = key.sign(hash);
    assertThat(signature.r().toUnsignedBigInteger())
        .isEqualTo(
            new BigInteger(
                "18515461264373351373200002665853028612451056578545711640558177340181847433846"));
    assertThat(signature.s().toUnsignedBigInteger())
        .isEqualTo(
            new BigInteger(
                "46948507304638947509940763649030358759909902576025900602547168820602576006531"));
    assertThat(signature.recoveryId()).isZero();
    assertThat(signature.v()).isEqualTo(27);
    assertThat(key.address().toString()).isEqualTo("0x9d8A62f656a8d1615C1294fd71e9CFb3E4855A4F");
    assertThat(Secp256k1.recover(hash, signature)).isEqualTo(key.publicKey());
    assertThat(Secp256k1.verify(key.address(), hash, signature)).isTrue();
  }

  @Test
  void privateKeyRangeIsChecked() {
    BigInteger n = Secp256k1.CURVE_ORDER;
    assertThatThrownBy(() -> Secp256k1PrivateKey.fromBytes(Bytes32.ZERO))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("[1, n-1]");
    assertThatThrownBy(
            () ->
                Secp256k1PrivateKey.fromBytes(
                    Bytes32.leftPad(Bytes.wrap(n.toByteArray()).trimLeadingZeros())))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("[1, n-1]");
    assertThat(
            Secp256k1PrivateKey.fromBytes(
                    Bytes32.leftPad(
                        Bytes.wrap(n.subtract(BigInteger.ONE).toByteArray()).trimLeadingZeros()))
                .bytes()
                .toUnsignedBigInteger())
        .isEqualTo(n.subtract(BigInteger.ONE));
    assertThatThrownBy(() -> Secp256k1PrivateKey.fromBytes(Bytes.repeat((byte) 1, 31)))
        .isInstanceOf(InvalidInputException.class)
        .hasMessage("secp256k1 private key must be 32 bytes, got 31");
    assertThatThrownBy(() -> Secp256k1PrivateKey.fromHex("0xzz"))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("64 hex digits");
  }

  @Test
  void generatedKeysAreDistinctAndUsable() {
    SecureRandom random = new SecureRandom();
    Secp256k1PrivateKey a = Secp256k1PrivateKey.generate(random);
    Secp256k1PrivateKey b = Secp256k1PrivateKey.generate(random);
    assertThat(a).isNotEqualTo(b);
    Bytes32 hash = Bytes32.random();
    assertThat(Secp256k1.verify(a.publicKey(), hash, a.sign(hash))).isTrue();
    assertThat(Secp256k1.verify(b.publicKey(), hash, a.sign(hash))).isFalse();
  }

  @Test
  void privateKeyToStringHidesTheKey() {
    Secp256k1PrivateKey key = Secp256k1PrivateKey.fromHex(HARDHAT_0_KEY);
    assertThat(key.toString()).doesNotContain("ac0974bec3").contains(key.address().toString());
  }

  @Test
  void highSIsRejectedAsNonCanonical() {
    Secp256k1PrivateKey key = Secp256k1PrivateKey.fromHex(HARDHAT_0_KEY);
    Secp256k1Signature signature = key.sign(Bytes32.ZERO);
    BigInteger highS = Secp256k1.CURVE_ORDER.subtract(signature.s().toUnsignedBigInteger());
    Bytes malleated =
        Bytes.concatenate(
            signature.r(),
            Bytes32.leftPad(Bytes.wrap(highS.toByteArray()).trimLeadingZeros()),
            Bytes.of(28 - signature.recoveryId()));
    assertThatThrownBy(() -> Secp256k1Signature.decode(malleated))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("upper half")
        .hasMessageContaining("EIP-2");
  }

  @Test
  void signatureEncodingIsStrict() {
    Secp256k1Signature signature =
        Secp256k1PrivateKey.fromHex(HARDHAT_0_KEY).sign(Bytes32.fromHexString("0x01"));
    Bytes encoded = signature.encode();
    assertThat(encoded.size()).isEqualTo(65);
    assertThat(encoded.get(64) & 0xff).isEqualTo(signature.v());
    assertThat(Secp256k1Signature.decode(encoded)).isEqualTo(signature);
    Bytes raw = Bytes.concatenate(encoded.slice(0, 64), Bytes.of(signature.recoveryId()));
    assertThat(Secp256k1Signature.decode(raw)).isEqualTo(signature);
    assertThatThrownBy(
            () -> Secp256k1Signature.decode(Bytes.concatenate(encoded.slice(0, 64), Bytes.of(37))))
        .isInstanceOf(InvalidInputException.class)
        .hasMessage("signature v must be 27, 28, 0 or 1, got 37");
    assertThatThrownBy(() -> Secp256k1Signature.decode(encoded.slice(0, 64)))
        .isInstanceOf(InvalidInputException.class)
        .hasMessage("signature must be 65 bytes (r ‖ s ‖ v), got 64");
    assertThatThrownBy(() -> new Secp256k1Signature(Bytes32.ZERO, signature.s(), 0))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("r must be in [1, n-1]");
    assertThatThrownBy(() -> new Secp256k1Signature(signature.r(), Bytes32.ZERO, 0))
        .isInstanceOf(InvalidInputException.class)
        .hasMessage("signature s must not be zero");
    assertThatThrownBy(() -> new Secp256k1Signature(signature.r(), signature.s(), 2))
        .isInstanceOf(InvalidInputException.class)
        .hasMessage("signature recovery id must be 0 or 1, got 2");
  }

  @Test
  void recoveryFailsWhenRIsNotACurveXCoordinate() {
    // x = 5: 5^3 + 7 = 132 is not a square mod p, so no point has this x
    Secp256k1Signature signature =
        new Secp256k1Signature(Bytes32.fromHexString("0x05"), Bytes32.fromHexString("0x01"), 0);
    assertThatThrownBy(() -> Secp256k1.recover(Bytes32.ZERO, signature))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("does not recover to a public key");
    assertThat(
            Secp256k1.verify(
                Secp256k1PrivateKey.fromHex(HARDHAT_0_KEY).publicKey(), Bytes32.ZERO, signature))
        .isFalse();
  }

  @Test
  void wrongRecoveryIdDoesNotVerify() {
    Secp256k1PrivateKey key = Secp256k1PrivateKey.fromHex(HARDHAT_0_KEY);
    Bytes32 hash = Bytes32.fromHexString("0x1234");
    Secp256k1Signature signature = key.sign(hash);
    Secp256k1Signature flipped =
        new Secp256k1Signature(signature.r(), signature.s(), 1 - signature.recoveryId());
    assertThat(Secp256k1.verify(key.publicKey(), hash, flipped)).isFalse();
  }

  @Test
  void publicKeyEncodingsAreValidated() {
    Secp256k1PublicKey key = Secp256k1PrivateKey.fromHex(HARDHAT_0_KEY).publicKey();
    assertThat(Secp256k1PublicKey.fromBytes(key.compressed())).isEqualTo(key);
    assertThat(Secp256k1PublicKey.fromBytes(Bytes.concatenate(Bytes.of(4), key.bytes())))
        .isEqualTo(key);
    Bytes offCurve =
        Bytes.concatenate(key.bytes().slice(0, 63), Bytes.of((byte) (key.bytes().get(63) ^ 1)));
    assertThatThrownBy(() -> Secp256k1PublicKey.fromBytes(offCurve))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("secp256k1");
    assertThatThrownBy(
            () -> Secp256k1PublicKey.fromBytes(Bytes.concatenate(Bytes.of(5), key.bytes())))
        .isInstanceOf(InvalidInputException.class)
        .hasMessage("65-byte secp256k1 public key must start with 0x04, got 0x05");
    assertThatThrownBy(() -> Secp256k1PublicKey.fromBytes(Bytes.of(1, 2, 3)))
        .isInstanceOf(InvalidInputException.class)
        .hasMessage("secp256k1 public key must be 64, 65 or 33 bytes, got 3");
  }

  @Test
  void eip55ChecksumVectors() {
    // the examples of EIP-55
    for (String address :
        new String[] {
          "0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed",
          "0xfB6916095ca1df60bB79Ce92cE3Ea74c37c5d359",
          "0xdbF03B407c01E7cD3CBea99509d93f8DDDC8C6FB",
          "0xD1220A0cf47c7B9Be7A2E6BA89F429762e7b9aDb",
          "0x52908400098527886E0F7030069857D2E4169EE7",
          "0xde709f2102306220921060314715629080e2fb77",
        }) {
      assertThat(Address.fromHex(address).toString()).isEqualTo(address);
    }
  }

  @Test
  void addressParsingIsStrict() {
    String good = "0x70997970C51812dc3A010C7d01b50e0d17dc79C8";
    assertThat(Address.fromHex(good.toLowerCase()).toString()).isEqualTo(good);
    assertThat(Address.fromHex("0x" + good.substring(2).toUpperCase()).toString()).isEqualTo(good);
    String badChecksum = "0x70997970c51812dc3A010C7d01b50e0d17dc79C8";
    assertThatThrownBy(() -> Address.fromHex(badChecksum))
        .isInstanceOf(InvalidInputException.class)
        .hasMessage(
            "address checksum (EIP-55) does not match: got '"
                + badChecksum
                + "', the checksummed form is '"
                + good
                + "'");
    assertThatThrownBy(() -> Address.fromHex(good.substring(2)))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("must start with 0x");
    assertThatThrownBy(() -> Address.fromHex(good + "00"))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("40 hex digits after 0x, got 42");
    assertThatThrownBy(() -> Address.fromHex("0x70997970C51812dc3A010C7d01b50e0d17dc79Cg"))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("non-hex character 'g' at position 41");
    assertThatThrownBy(() -> Address.fromHex("0x70997970C51812dc3A010C7d01b50e0d17dc79C\uff18"))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("non-hex character '\uff18' at position 41");
    assertThat(Address.fromHex(good).toLowerHex()).isEqualTo(good.toLowerCase());
  }
}
