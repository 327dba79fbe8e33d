package io.axivon.consensus.types;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.apache.tuweni.bytes.Bytes;
import org.apache.tuweni.bytes.Bytes32;
import org.junit.jupiter.api.Test;

class CommitCertificateTest {
  private static final String CHAIN = "test-chain";
  private static final ValidatorSet SET = set();
  private static final Optional<Bytes32> HASH = Fixtures.someHash(7);

  private static ValidatorSet set() {
    List<Validator> vs = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      vs.add(new Validator(Fixtures.KEYS.get(i).publicKey(), 10));
    }
    return ValidatorSet.of(vs);
  }

  private static Vote precommit(int index, Optional<Bytes32> hash) {
    var key = Fixtures.KEYS.stream().filter(k -> SET.indexOf(k.publicKey()) == index).findFirst();
    return Vote.sign(
        CHAIN, new BlsSigner(key.orElseThrow()), VoteType.PRECOMMIT, 5, 1, hash, index);
  }

  @Test
  void quorumOfPrecommitsVerifies() {
    CommitCertificate c =
        CommitCertificate.fromVotes(
            SET, List.of(precommit(0, HASH), precommit(2, HASH), precommit(3, HASH)));
    assertThat(c.signerIndices()).containsExactly(0, 2, 3);
    c.verify(CHAIN, SET);
    assertThat(c.isValid("other-chain", SET)).isFalse();
  }

  @Test
  void twoThirdsExactlyIsNotEnough() {
    CommitCertificate c =
        CommitCertificate.fromVotes(SET, List.of(precommit(0, HASH), precommit(1, HASH)));
    assertThatThrownBy(() -> c.verify(CHAIN, SET)).hasMessageContaining("need more than 2/3");
  }

  @Test
  void forgedBitmapFails() {
    CommitCertificate c =
        CommitCertificate.fromVotes(
            SET, List.of(precommit(0, HASH), precommit(1, HASH), precommit(2, HASH)));
    CommitCertificate forged =
        new CommitCertificate(c.height(), c.round(), c.blockHash(), Bytes.of(0x0f), c.aggregate());
    assertThatThrownBy(() -> forged.verify(CHAIN, SET)).hasMessageContaining("does not verify");
    CommitCertificate wide =
        new CommitCertificate(c.height(), c.round(), c.blockHash(), Bytes.of(0x17), c.aggregate());
    assertThatThrownBy(() -> wide.verify(CHAIN, SET)).hasMessageContaining("unknown validator 4");
    CommitCertificate longer =
        new CommitCertificate(c.height(), c.round(), c.blockHash(), Bytes.of(7, 0), c.aggregate());
    assertThatThrownBy(() -> longer.verify(CHAIN, SET)).hasMessageContaining("bitmap has 2 bytes");
  }

  @Test
  void votesMustAgree() {
    assertThatThrownBy(
            () ->
                CommitCertificate.fromVotes(
                    SET, List.of(precommit(0, HASH), precommit(1, Fixtures.someHash(8)))))
        .hasMessageContaining("must agree");
  }

  @Test
  void voteSignatureIsDomainSeparatedByChain() {
    Vote v = precommit(1, HASH);
    assertThat(v.verify(CHAIN, SET, BlsSigner.VERIFIER)).isTrue();
    assertThat(v.verify("other", SET, BlsSigner.VERIFIER)).isFalse();
    Vote prevote = new Vote(VoteType.PREVOTE, 5, 1, HASH, 1, v.signature());
    assertThat(prevote.verify(CHAIN, SET, BlsSigner.VERIFIER)).isFalse();
  }
}
