package io.axivon.common.crypto.bls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.axivon.common.InvalidInputException;
import java.math.BigInteger;
import java.util.List;
import org.apache.tuweni.bytes.Bytes;
import org.apache.tuweni.bytes.Bytes32;
import org.junit.jupiter.api.Test;
import supranational.blst.P1;
import supranational.blst.P1_Affine;
import supranational.blst.P2_Affine;

/**
 * Vectors from Ethereum's consensus-spec BLS tests (their ciphersuite is ours: min-pk, PoP DSTs).
 */
class BlsTest {
  static final BlsSecretKey SK0 =
      BlsSecretKey.fromHex("263dbd792f5b1be47ed85f8938c0f29586af0d3ac7b977f21c278fe1462040e3");
  static final BlsSecretKey SK1 =
      BlsSecretKey.fromHex("47b8192d77bf871b62e87859d653922725724a5c031afeabc60bcef5ff665138");
  static final BlsSecretKey SK2 =
      BlsSecretKey.fromHex("328388aff0d4a5b7dc9205abd374e7e98f3cd9f3418edb4eafda5fb16473d216");
  static final Bytes MSG_00 = Bytes32.ZERO;
  static final Bytes MSG_56 = Bytes.repeat((byte) 0x56, 32);
  static final Bytes MSG_AB = Bytes.repeat((byte) 0xab, 32);

  @Test
  void publicKeysMatchConsensusSpecVectors() {
    assertThat(SK0.publicKey().toBytes().toUnprefixedHexString())
        .isEqualTo(
            "a491d1b0ecd9bb917989f0e74f0dea0422eac4a873e5e2644f368dffb9a6e20fd6e10c1b77654d067c0618f6e5a7f79a");
    assertThat(SK1.publicKey().toBytes().toUnprefixedHexString())
        .isEqualTo(
            "b301803f8b5ac4a1133581fc676dfedc60d891dd5fa99028805e5ea5b08d3491af75d0707adab3b70c6a6a580217bf81");
    assertThat(SK2.publicKey().toBytes().toUnprefixedHexString())
        .isEqualTo(
            "b53d21a4cfd562c469cc81514d4ce5a6b577d8403d32a394dc265dd190b47fa9f829fdd7963afdf972e5e77854051f6f");
  }

  @Test
  void signaturesMatchConsensusSpecSignVectors() {
    assertSignature(
        SK0,
        MSG_00,
        "b6ed936746e01f8ecf281f020953fbf1f01debd5657c4a383940b020b26507f6076334f91e2366c96e9ab279fb5158090352ea1c5b0c9274504f4f0e7053af24802e51e4568d164fe986834f41e55c8e850ce1f98458c0cfc9ab380b55285a55");
    assertSignature(
        SK1,
        MSG_56,
        "af1390c3c47acdb37131a51216da683c509fce0e954328a59f93aebda7e4ff974ba208d9a4a2a2389f892a9d418d618418dd7f7a6bc7aa0da999a9d3a5b815bc085e14fd001f6a1948768a3f4afefc8b8240dda329f984cb345c6363272ba4fe");
    assertSignature(
        SK2,
        MSG_56,
        "a4efa926610b8bd1c8330c918b7a5e9bf374e53435ef8b7ec186abf62e1b1f65aeaaeb365677ac1d1172a1f5b44b4e6d022c252c58486c0a759fbdc7de15a756acc4d343064035667a594b4c2a6f0b0b421975977f297dba63ee2f63ffe47bb6");
  }

  private static void assertSignature(BlsSecretKey sk, Bytes message, String expectedHex) {
    BlsSignature signature = sk.sign(message);
    assertThat(signature.toBytes().toUnprefixedHexString()).isEqualTo(expectedHex);
    BlsSignature decoded = BlsSignature.fromHex(expectedHex);
    assertThat(decoded).isEqualTo(signature);
    assertThat(Bls.verify(sk.publicKey(), message, decoded)).isTrue();
  }

  @Test
  void aggregateMatchesConsensusSpecVectorAndFastAggregateVerifies() {
    List<BlsSignature> signatures = List.of(SK0.sign(MSG_00), SK1.sign(MSG_00), SK2.sign(MSG_00));
    BlsSignature aggregate = Bls.aggregate(signatures);
    assertThat(aggregate.toBytes().toUnprefixedHexString())
        .isEqualTo(
            "9683b3e6701f9a4b706709577963110043af78a5b41991b998475a3d3fd62abf35ce03b33908418efc95a058494a8ae504354b9f626231f6b3f3c849dfdeaf5017c4780e2aee1850ceaf4b4d9ce70971a3d2cfcd97b7e5ecf6759f8da5f76d31");
    List<BlsPublicKey> keys = List.of(SK0.publicKey(), SK1.publicKey(), SK2.publicKey());
    assertThat(Bls.fastAggregateVerify(keys, MSG_00, aggregate)).isTrue();
    assertThat(Bls.fastAggregateVerify(keys, MSG_56, aggregate)).isFalse();
    assertThat(Bls.fastAggregateVerify(keys.subList(0, 2), MSG_00, aggregate)).isFalse();
  }

  @Test
  void aggregateVerifyOfDistinctMessages() {
    List<BlsPublicKey> keys = List.of(SK0.publicKey(), SK1.publicKey(), SK2.publicKey());
    List<Bytes> messages = List.of(MSG_00, MSG_56, MSG_AB);
    BlsSignature aggregate =
        Bls.aggregate(List.of(SK0.sign(MSG_00), SK1.sign(MSG_56), SK2.sign(MSG_AB)));
    assertThat(aggregate.toBytes().toUnprefixedHexString())
        .isEqualTo(
            "9104e74b9dfd3ad502f25d6a5ef57db0ed7d9a0e00f3500586d8ce44231212542fcfaf87840539b398bf07626705cf1105d246ca1062c6c2e1a53029a0f790ed5e3cb1f52f8234dc5144c45fc847c0cd37a92d68e7c5ba7c648a8a339f171244");
    assertThat(Bls.aggregateVerify(keys, messages, aggregate)).isTrue();
    assertThat(Bls.aggregateVerify(keys, List.of(MSG_00, MSG_AB, MSG_56), aggregate)).isFalse();
    assertThat(Bls.aggregateVerify(keys.subList(0, 2), messages.subList(0, 2), aggregate))
        .isFalse();
  }

  @Test
  void aggregateVerifyRejectsMalformedCalls() {
    BlsSignature signature = SK0.sign(MSG_00);
    assertThatThrownBy(
            () ->
                Bls.aggregateVerify(
                    List.of(SK0.publicKey(), SK1.publicKey()), List.of(MSG_00, MSG_00), signature))
        .isInstanceOf(InvalidInputException.class)
        .hasMessage("aggregateVerify needs distinct messages: message 1 repeats message 0");
    assertThatThrownBy(
            () -> Bls.aggregateVerify(List.of(SK0.publicKey()), List.of(MSG_00, MSG_56), signature))
        .isInstanceOf(InvalidInputException.class)
        .hasMessage("aggregateVerify needs one message per public key, got 1 keys and 2 messages");
    assertThatThrownBy(() -> Bls.aggregateVerify(List.of(), List.of(), signature))
        .isInstanceOf(InvalidInputException.class)
        .hasMessage("aggregateVerify needs at least one public key and message");
    assertThatThrownBy(() -> Bls.fastAggregateVerify(List.of(), MSG_00, signature))
        .isInstanceOf(InvalidInputException.class)
        .hasMessage("cannot aggregate an empty list of BLS public keys");
    assertThatThrownBy(() -> Bls.aggregate(List.of()))
        .isInstanceOf(InvalidInputException.class)
        .hasMessage("cannot aggregate an empty list of BLS signatures");
  }

  @Test
  void keyGenIsEip2333MasterDerivation() {
    // EIP-2333 test case 0: derive_master_SK(seed) is IETF KeyGen over the seed
    Bytes seed =
        Bytes.fromHexString(
            "0xc55257c360c07c72029aebc1b53c05ed0362ada38ead3e3e9efa3708e53495531f09a6987599d18264c1e1c92f2cf141630c7a3c4ab7c81b2f001698e7463b04");
    assertThat(BlsSecretKey.keyGen(seed).toBytes().toUnsignedBigInteger())
        .isEqualTo(
            new BigInteger(
                "6083874454709270928345386274498605044986640685124978867557563392430687146096"));
    assertThatThrownBy(() -> BlsSecretKey.keyGen(Bytes.repeat((byte) 1, 31)))
        .isInstanceOf(InvalidInputException.class)
        .hasMessage("BLS KeyGen needs at least 32 bytes of keying material, got 31");
  }

  @Test
  void secretKeyRangeIsChecked() {
    assertThatThrownBy(() -> BlsSecretKey.fromBytes(Bytes32.ZERO))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("[1, r-1]");
    Bytes32 order = Bytes32.wrap(toBytes32(BlsSecretKey.CURVE_ORDER));
    assertThatThrownBy(() -> BlsSecretKey.fromBytes(order))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("[1, r-1]");
    BlsSecretKey max =
        BlsSecretKey.fromBytes(
            Bytes32.wrap(toBytes32(BlsSecretKey.CURVE_ORDER.subtract(BigInteger.ONE))));
    assertThat(Bls.verify(max.publicKey(), MSG_00, max.sign(MSG_00))).isTrue();
    assertThatThrownBy(() -> BlsSecretKey.fromBytes(Bytes.of(1)))
        .isInstanceOf(InvalidInputException.class)
        .hasMessage("BLS secret key must be 32 bytes, got 1");
    assertThat(SK0.toString()).doesNotContain("263dbd79").contains("a491d1b0");
  }

  @Test
  void tamperingIsDetected() {
    BlsSignature signature = SK0.sign(MSG_56);
    assertThat(Bls.verify(SK0.publicKey(), MSG_56, signature)).isTrue();
    Bytes flipped = Bytes.concatenate(MSG_56.slice(0, 31), Bytes.of(0x57));
    assertThat(Bls.verify(SK0.publicKey(), flipped, signature)).isFalse();
    assertThat(Bls.verify(SK1.publicKey(), MSG_56, signature)).isFalse();
    assertThat(Bls.verify(SK0.publicKey(), MSG_56, SK0.sign(MSG_AB))).isFalse();
    // the same signature under another DST is a different statement
    assertThat(Bls.verify(SK0.publicKey(), MSG_56, signature, Bls.POP_DST)).isFalse();
  }

  @Test
  void publicKeyDecodingValidates() {
    assertThatThrownBy(() -> BlsPublicKey.fromBytes(Bytes.wrap(new byte[47])))
        .isInstanceOf(InvalidInputException.class)
        .hasMessage("BLS public key must be 48 bytes (compressed G1), got 47");
    assertThatThrownBy(() -> BlsPublicKey.fromBytes(Bytes.wrap(new byte[48])))
        .isInstanceOf(InvalidInputException.class)
        .hasMessage("BLS public key is not in compressed form (top bit clear)");
    byte[] infinity = new byte[48];
    infinity[0] = (byte) 0xc0;
    assertThatThrownBy(() -> BlsPublicKey.fromBytes(Bytes.wrap(infinity)))
        .isInstanceOf(InvalidInputException.class)
        .hasMessage("BLS public key is the point at infinity");
    byte[] offCurve = SK0.publicKey().toBytes().toArray();
    offCurve[47] ^= 1;
    assertThatThrownBy(() -> BlsPublicKey.fromBytes(Bytes.wrap(offCurve)))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageStartingWith("BLS public key does not decode:");
    assertThatThrownBy(() -> BlsPublicKey.fromBytes(onCurveOutsideSubgroupG1()))
        .isInstanceOf(InvalidInputException.class)
        .hasMessage("BLS public key is not in the G1 prime-order subgroup");
    assertThat(BlsPublicKey.fromBytes(SK0.publicKey().toBytes())).isEqualTo(SK0.publicKey());
  }

  @Test
  void signatureDecodingValidates() {
    assertThatThrownBy(() -> BlsSignature.fromBytes(Bytes.wrap(new byte[95])))
        .isInstanceOf(InvalidInputException.class)
        .hasMessage("BLS signature must be 96 bytes (compressed G2), got 95");
    assertThatThrownBy(() -> BlsSignature.fromBytes(Bytes.wrap(new byte[96])))
        .isInstanceOf(InvalidInputException.class)
        .hasMessage("BLS signature is not in compressed form (top bit clear)");
    assertThatThrownBy(() -> BlsSignature.fromBytes(onCurveOutsideSubgroupG2()))
        .isInstanceOf(InvalidInputException.class)
        .hasMessage("BLS signature is not in the G2 prime-order subgroup");
    assertThatThrownBy(() -> BlsSignature.fromHex("0xnothex"))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageStartingWith("BLS signature is not valid hex");
  }

  @Test
  void identitySignatureDecodesButVerifiesNothing() {
    byte[] infinity = new byte[96];
    infinity[0] = (byte) 0xc0;
    BlsSignature identity = BlsSignature.fromBytes(Bytes.wrap(infinity));
    assertThat(Bls.verify(SK0.publicKey(), MSG_00, identity)).isFalse();
    assertThat(Bls.fastAggregateVerify(List.of(SK0.publicKey()), MSG_00, identity)).isFalse();
  }

  @Test
  void publicKeysSummingToInfinityAreRejected() {
    P1 negated = new P1_Affine(SK0.publicKey().toBytes().toArray()).to_jacobian().neg();
    BlsPublicKey negative = BlsPublicKey.fromBytes(Bytes.wrap(negated.compress()));
    assertThatThrownBy(() -> Bls.aggregatePublicKeys(List.of(SK0.publicKey(), negative)))
        .isInstanceOf(InvalidInputException.class)
        .hasMessage("BLS public key is the point at infinity");
    byte[] infinity = new byte[96];
    infinity[0] = (byte) 0xc0;
    assertThat(
            Bls.fastAggregateVerify(
                List.of(SK0.publicKey(), negative),
                MSG_00,
                BlsSignature.fromBytes(Bytes.wrap(infinity))))
        .isFalse();
  }

  @Test
  void proofOfPossessionVerifiesOnlyForItsKeyAndDomain() {
    BlsSignature pop = SK0.provePossession();
    assertThat(Bls.verifyPossession(SK0.publicKey(), pop)).isTrue();
    assertThat(Bls.verifyPossession(SK1.publicKey(), pop)).isFalse();
    // domain separation: signing one's public key as a message is not a proof of possession, and
    // a proof is not a message signature over the key bytes
    BlsSignature messageSignature = SK0.sign(SK0.publicKey().toBytes());
    assertThat(Bls.verifyPossession(SK0.publicKey(), messageSignature)).isFalse();
    assertThat(Bls.verify(SK0.publicKey(), SK0.publicKey().toBytes(), pop)).isFalse();
  }

  /**
   * The rogue-key attack on same-message aggregation, and how proofs of possession stop it.
   *
   * <p>A victim publishes pk_v. The attacker picks a secret a and publishes pk_r = a·G1 − pk_v, a
   * key whose secret nobody knows. The sum pk_v + pk_r is a·G1, so the attacker's lone signature
   * a·H(m) passes fastAggregateVerify for the set {pk_v, pk_r}: it looks as if the victim signed m.
   * The defence is to admit a key only with a valid proof of possession: proving pk_r needs the
   * discrete log a − sk_v of pk_r, which the attacker does not have.
   */
  @Test
  void rogueKeyAttackIsBlockedByProofOfPossession() {
    BlsSecretKey victim = SK0;
    BlsSecretKey attacker = BlsSecretKey.keyGen(Bytes.repeat((byte) 0x42, 32));
    P1 rogue =
        new P1_Affine(attacker.publicKey().toBytes().toArray())
            .to_jacobian()
            .add(new P1_Affine(victim.publicKey().toBytes().toArray()).to_jacobian().neg());
    BlsPublicKey rogueKey = BlsPublicKey.fromBytes(Bytes.wrap(rogue.compress()));
    Bytes message = Bytes.wrap("transfer everything to the attacker".getBytes());

    BlsSignature forged = attacker.sign(message);
    // without proofs of possession, the forgery passes: the attack is real
    assertThat(Bls.fastAggregateVerify(List.of(victim.publicKey(), rogueKey), message, forged))
        .isTrue();
    assertThat(Bls.aggregatePublicKeys(List.of(victim.publicKey(), rogueKey)))
        .isEqualTo(attacker.publicKey());

    // with them, the rogue key is never admitted: all the attacker can sign with is a, and
    // neither its own proof nor a signature over pk_r with a proves possession of pk_r
    assertThat(Bls.verifyPossession(rogueKey, attacker.provePossession())).isFalse();
    assertThat(Bls.verifyPossession(rogueKey, Bls.sign(attacker, rogueKey.toBytes(), Bls.POP_DST)))
        .isFalse();
    assertThat(Bls.verifyPossession(victim.publicKey(), victim.provePossession())).isTrue();
  }

  @Test
  void customDstMustBeAscii() {
    assertThatThrownBy(() -> Bls.sign(SK0, MSG_00, ""))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> Bls.sign(SK0, MSG_00, "DST_é"))
        .isInstanceOf(IllegalArgumentException.class);
  }

  static Bytes onCurveOutsideSubgroupG1() {
    for (int x = 1; x < 256; x++) {
      byte[] raw = new byte[48];
      raw[0] = (byte) 0x80;
      raw[47] = (byte) x;
      try {
        if (!new P1_Affine(raw).in_group()) {
          return Bytes.wrap(raw);
        }
      } catch (RuntimeException notOnCurve) {
        // x^3 + 4 is not a square: try the next x
      }
    }
    throw new AssertionError("no small x gives a G1 curve point outside the subgroup");
  }

  static Bytes onCurveOutsideSubgroupG2() {
    for (int x = 1; x < 256; x++) {
      byte[] raw = new byte[96];
      raw[0] = (byte) 0x80;
      raw[95] = (byte) x;
      try {
        if (!new P2_Affine(raw).in_group()) {
          return Bytes.wrap(raw);
        }
      } catch (RuntimeException notOnCurve) {
        // not a curve point: try the next x
      }
    }
    throw new AssertionError("no small x gives a G2 curve point outside the subgroup");
  }

  private static byte[] toBytes32(BigInteger value) {
    return Bytes32.leftPad(Bytes.wrap(value.toByteArray()).trimLeadingZeros()).toArray();
  }
}
