package io.axivon.common.crypto.vrf;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.axivon.common.InvalidInputException;
import io.axivon.common.crypto.Hashes;
import io.axivon.common.crypto.bls.Bls;
import io.axivon.common.crypto.bls.BlsSecretKey;
import io.axivon.common.crypto.bls.BlsSignature;
import org.apache.tuweni.bytes.Bytes;
import org.apache.tuweni.bytes.Bytes32;
import org.junit.jupiter.api.Test;

class VrfTest {
  static final String DOMAIN = "axivon/committee";
  static final Bytes EPOCH_7 = Bytes.fromHexString("0x0000000000000007");
  static final BlsSecretKey KEY_1 = BlsSecretKey.keyGen(Bytes.repeat((byte) 1, 32));

  @Test
  void workedExampleOfTheSpec() {
    // specs/vrf.md, "Worked example"
    assertThat(Vrf.message(DOMAIN, EPOCH_7).toHexString())
        .isEqualTo("0x10617869766f6e2f636f6d6d69747465650000000000000007");
    assertThat(KEY_1.toBytes().toHexString())
        .isEqualTo("0x144b27828e305a2d67fc7f4eea6de706b405cdd1ab8ad2daec046ccdeeec8b79");
    VrfProof proof = Vrf.prove(KEY_1, DOMAIN, EPOCH_7);
    assertThat(proof.proof().toBytes().toHexString())
        .isEqualTo(
            "0xa2178191afe20eadf06ec4d6c36f6f12dba6334bfb0d582174150ba2926b426490b2c340c6b4f7f2a4e52fe948d5f5e511bfe2f20b2eb7547e951a5dff9c9cae324229d700358c071dc68a14ca6dee5c481d156cec17b3aa0b67229808db081a");
    assertThat(proof.output().toHexString())
        .isEqualTo("0x43c5436b2edcc34d6f5d5b174ba06242fb4d47a5f9137d908c64ad46a95df4cd");
  }

  @Test
  void proofVerifiesAndYieldsTheOutput() {
    VrfProof proof = Vrf.prove(KEY_1, DOMAIN, EPOCH_7);
    assertThat(proof.output()).isEqualTo(Hashes.sha256(proof.proof().toBytes()));
    assertThat(Vrf.verify(KEY_1.publicKey(), DOMAIN, EPOCH_7, proof)).contains(proof.output());
    assertThat(Vrf.verify(KEY_1.publicKey(), DOMAIN, EPOCH_7, proof.proof()))
        .contains(proof.output());
    // the proof is the BLS signature of the message under the VRF DST, nothing else
    assertThat(Bls.verify(KEY_1.publicKey(), Vrf.message(DOMAIN, EPOCH_7), proof.proof(), Vrf.DST))
        .isTrue();
  }

  @Test
  void anythingElseFailsVerification() {
    VrfProof proof = Vrf.prove(KEY_1, DOMAIN, EPOCH_7);
    BlsSecretKey other = BlsSecretKey.keyGen(Bytes.repeat((byte) 2, 32));
    assertThat(Vrf.verify(other.publicKey(), DOMAIN, EPOCH_7, proof)).isEmpty();
    assertThat(Vrf.verify(KEY_1.publicKey(), "axivon/leader", EPOCH_7, proof)).isEmpty();
    assertThat(Vrf.verify(KEY_1.publicKey(), DOMAIN, Bytes.fromHexString("0x08"), proof)).isEmpty();
    VrfProof wrongOutput = new VrfProof(proof.proof(), Bytes32.ZERO);
    assertThat(Vrf.verify(KEY_1.publicKey(), DOMAIN, EPOCH_7, wrongOutput)).isEmpty();
  }

  @Test
  void vrfProofsAndSignaturesAreDomainSeparated() {
    Bytes message = Vrf.message(DOMAIN, EPOCH_7);
    BlsSignature ordinary = KEY_1.sign(message);
    // a protocol signature on the same bytes is not a VRF proof, so it cannot leak the output
    assertThat(Vrf.verify(KEY_1.publicKey(), DOMAIN, EPOCH_7, ordinary)).isEmpty();
    assertThat(Bls.verify(KEY_1.publicKey(), message, Vrf.prove(KEY_1, DOMAIN, EPOCH_7).proof()))
        .isFalse();
  }

  @Test
  void domainLengthPrefixPreventsAmbiguity() {
    // "ab" ‖ 0x63 and "abc" ‖ "" would collide without the length byte
    assertThat(Vrf.message("ab", Bytes.of('c'))).isNotEqualTo(Vrf.message("abc", Bytes.EMPTY));
  }

  @Test
  void domainsAreValidated() {
    assertThatThrownBy(() -> Vrf.message("", EPOCH_7))
        .isInstanceOf(InvalidInputException.class)
        .hasMessage("VRF domain must not be empty");
    assertThatThrownBy(() -> Vrf.message("a".repeat(256), EPOCH_7))
        .isInstanceOf(InvalidInputException.class)
        .hasMessage("VRF domain must be at most 255 characters, got 256");
    assertThatThrownBy(() -> Vrf.message("axivon leader", EPOCH_7))
        .isInstanceOf(InvalidInputException.class)
        .hasMessage("VRF domain must be printable ASCII without spaces; character 6 is U+0020");
    assertThatThrownBy(() -> Vrf.message("axivon/é", EPOCH_7))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("U+00E9");
    assertThat(Vrf.message("a".repeat(255), Bytes.EMPTY).get(0) & 0xff).isEqualTo(255);
  }
}
