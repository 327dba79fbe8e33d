package io.axivon.consensus.evidence;

import static org.assertj.core.api.Assertions.assertThat;

import io.axivon.consensus.sim.SimKeys;
import io.axivon.consensus.types.Evidence;
import io.axivon.consensus.types.Validator;
import io.axivon.consensus.types.ValidatorSet;
import io.axivon.consensus.types.Vote;
import io.axivon.consensus.types.VoteType;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.apache.tuweni.bytes.Bytes;
import org.apache.tuweni.bytes.Bytes32;
import org.junit.jupiter.api.Test;

class EvidencePoolTest {
  static final String CHAIN = "ev-chain";
  static final ValidatorSet SET = set(4);
  static final ValidatorSet SMALL = set(2);

  static ValidatorSet set(int n) {
    List<Validator> vs = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      vs.add(new Validator(SimKeys.publicKey(i), 10));
    }
    return ValidatorSet.of(vs);
  }

  final EvidencePool pool =
      new EvidencePool(
          CHAIN,
          10,
          h -> h <= 0 ? Optional.empty() : Optional.of(h == 50 ? SMALL : SET),
          SimKeys.VERIFIER);

  static Vote vote(ValidatorSet set, int index, long height, int round, int value, String chain) {
    return Vote.sign(
        chain,
        SimKeys.signer(set.get(index).publicKey()),
        VoteType.PREVOTE,
        height,
        round,
        value == 0 ? Optional.empty() : Optional.of(Bytes32.leftPad(Bytes.of(value))),
        index);
  }

  static Evidence equivocation(int index, long height, int round) {
    return Evidence.of(
        vote(SET, index, height, round, 1, CHAIN), vote(SET, index, height, round, 2, CHAIN));
  }

  @Test
  void acceptsValidEvidenceOnceAndListsItByHeight() {
    Evidence late = equivocation(1, 20, 0);
    Evidence early = equivocation(2, 15, 3);
    assertThat(pool.add(late, 21))
        .isEqualTo(new EvidencePool.AddResult.Added(EvidencePool.hash(late)));
    assertThat(pool.add(early, 21)).isInstanceOf(EvidencePool.AddResult.Added.class);
    assertThat(pool.add(late, 21))
        .isEqualTo(new EvidencePool.AddResult.Duplicate(EvidencePool.hash(late)));
    assertThat(pool.pending(10)).containsExactly(early, late);
    assertThat(pool.pending(1)).containsExactly(early);
  }

  @Test
  void refusesBadSignaturesUnknownSetsAndFutureHeights() {
    Evidence forged =
        Evidence.of(
            vote(SET, 1, 20, 0, 1, CHAIN),
            new Vote(VoteType.PREVOTE, 20, 0, Optional.empty(), 1, Bytes.wrap(new byte[96])));
    assertThat(pool.add(forged, 20)).isInstanceOf(EvidencePool.AddResult.Invalid.class);
    assertThat(((EvidencePool.AddResult.Invalid) pool.add(forged, 20)).reason())
        .contains("signature does not verify");
    Evidence otherChain =
        Evidence.of(vote(SET, 1, 20, 0, 1, "other"), vote(SET, 1, 20, 0, 2, "other"));
    assertThat(pool.add(otherChain, 20)).isInstanceOf(EvidencePool.AddResult.Invalid.class);
    // validator 3 is not in the 2-validator set of height 50
    assertThat(pool.add(equivocation(3, 50, 0), 55))
        .isEqualTo(
            new EvidencePool.AddResult.Invalid(
                "validator index 3 is not in the set of 2 at height 50"));
    assertThat(pool.add(equivocation(1, 30, 0), 29))
        .isEqualTo(
            new EvidencePool.AddResult.NotYet(
                "evidence of height 30 is ahead of the current height 29"));
    EvidencePool noSets = new EvidencePool(CHAIN, 10, h -> Optional.empty(), SimKeys.VERIFIER);
    assertThat(noSets.add(equivocation(1, 3, 0), 3))
        .isEqualTo(new EvidencePool.AddResult.NotYet("no validator set known for height 3"));
    assertThat(pool.size()).isZero();
  }

  @Test
  void expiresAndPrunes() {
    Evidence e = equivocation(0, 10, 0);
    assertThat(pool.add(e, 21)).isEqualTo(new EvidencePool.AddResult.Expired(10));
    assertThat(pool.add(e, 20)).isInstanceOf(EvidencePool.AddResult.Added.class);
    pool.prune(20);
    assertThat(pool.pending(5)).containsExactly(e);
    pool.prune(21);
    assertThat(pool.pending(5)).isEmpty();
  }

  @Test
  void committedEvidenceIsNeverAcceptedAgain() {
    Evidence e = equivocation(0, 10, 0);
    pool.add(e, 12);
    pool.markCommitted(e);
    assertThat(pool.pending(5)).isEmpty();
    assertThat(pool.add(e, 13)).isInstanceOf(EvidencePool.AddResult.Duplicate.class);
    pool.prune(20);
    assertThat(pool.add(e, 20)).isInstanceOf(EvidencePool.AddResult.Duplicate.class);
    pool.prune(21); // expired now: forgetting it is safe, add() says Expired
    assertThat(pool.add(e, 21)).isInstanceOf(EvidencePool.AddResult.Expired.class);
  }
}
