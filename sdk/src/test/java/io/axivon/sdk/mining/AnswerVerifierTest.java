package io.axivon.sdk.mining;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.apache.tuweni.bytes.Bytes;
import org.apache.tuweni.bytes.Bytes32;
import org.apache.tuweni.bytes.MutableBytes;
import org.junit.jupiter.api.Test;

class AnswerVerifierTest {
  // 80 sectors: 5 data units in a tree of 8 (the last 3 zero), so proofs have 3 siblings.
  private static final FlowFixture F = new FlowFixture(7, 80);
  private static final BigInteger TARGET = FlowFixture.oneIn(4096);
  private static final Answer A = F.answer(TARGET);

  private static Verdict verify(Answer a) {
    return verify(a, TARGET);
  }

  private static Verdict verify(Answer a, BigInteger target) {
    return AnswerVerifier.verify(a, F.ctx, F.digest, target, F.ledger());
  }

  private static Rejection reason(Verdict v) {
    assertThat(v).isInstanceOf(Verdict.Rejected.class);
    return ((Verdict.Rejected) v).reason();
  }

  private static Answer with(
      Answer a, Bytes32 nonce, long start, long length, long recall, Bytes32 seal) {
    return new Answer(
        a.contextDigest(),
        a.minerId(),
        nonce,
        start,
        length,
        recall,
        seal,
        a.unitRoot(),
        a.sealedData(),
        a.proof());
  }

  @Test
  void aFoundAnswerIsAccepted() {
    Verdict v = verify(A);
    assertThat(v).isInstanceOf(Verdict.Accepted.class);
    Verdict.Accepted ok = (Verdict.Accepted) v;
    assertThat(ok.quality().toUnsignedBigInteger()).isLessThanOrEqualTo(TARGET);
    assertThat(ok.effectiveTarget()).isEqualTo(TARGET);
    assertThat(A.proof()).hasSize(3);
  }

  @Test
  void aShardAnswerHasAProportionalTarget() {
    Answer shard = F.answer(TARGET, 16, 32);
    assertThat(shard.recallPosition()).isIn(16L, 32L);
    Verdict v = verify(shard);
    assertThat(((Verdict.Accepted) v).effectiveTarget())
        .isEqualTo(TARGET.multiply(BigInteger.valueOf(32)).divide(BigInteger.valueOf(80)));
  }

  @Test
  void staleUnregisteredAndReplayedAreRefused() {
    Answer stale =
        new Answer(
            Bytes32.ZERO,
            A.minerId(),
            A.nonce(),
            A.rangeStart(),
            A.rangeLength(),
            A.recallPosition(),
            A.sealContextDigest(),
            A.unitRoot(),
            A.sealedData(),
            A.proof());
    Verdict v = verify(stale);
    assertThat(reason(v)).isEqualTo(Rejection.STALE_CONTEXT);
    assertThat(((Verdict.Rejected) v).message())
        .isEqualTo(
            "stale context: answer is for "
                + Bytes32.ZERO
                + ", the current context is "
                + F.digest);
    assertThat(
            reason(AnswerVerifier.verify(A, F.ctx, F.digest, TARGET, F.ledger(Set.of(), Set.of()))))
        .isEqualTo(Rejection.UNREGISTERED_MINER);
    assertThat(
            reason(
                AnswerVerifier.verify(
                    A, F.ctx, F.digest, TARGET, F.ledger(Set.of(F.minerId), Set.of(F.minerId)))))
        .isEqualTo(Rejection.REPLAY);
  }

  @Test
  void badRangesAreRefused() {
    Bytes32 n = A.nonce();
    long r = A.recallPosition();
    Bytes32 s = A.sealContextDigest();
    assertThat(reason(verify(with(A, n, 0, 0, r, s)))).isEqualTo(Rejection.BAD_RANGE);
    assertThat(reason(verify(with(A, n, 8, 32, r, s)))).isEqualTo(Rejection.BAD_RANGE);
    assertThat(reason(verify(with(A, n, 0, 40, r, s)))).isEqualTo(Rejection.BAD_RANGE);
    assertThat(reason(verify(with(A, n, 0, 96, r, s)))).isEqualTo(Rejection.BAD_RANGE);
    Verdict past = verify(with(A, n, 48, 48, r, s));
    assertThat(((Verdict.Rejected) past).message())
        .isEqualTo("bad range: range [48, 96) ends past the context's flow length 80");
  }

  @Test
  void aWrongRecallPositionIsRefused() {
    long other = (A.recallPosition() + 16) % 80;
    Verdict v = verify(with(A, A.nonce(), 0, 80, other, A.sealContextDigest()));
    assertThat(((Verdict.Rejected) v).message())
        .isEqualTo(
            "wrong recall position: nonce gives " + A.recallPosition() + ", answer says " + other);
  }

  @Test
  void anUnknownOrShortSealContextIsRefused() {
    Verdict unknown =
        verify(with(A, A.nonce(), 0, 80, A.recallPosition(), Bytes32.fromHexString("0x01")));
    assertThat(reason(unknown)).isEqualTo(Rejection.BAD_SEAL_CONTEXT);
    assertThat(((Verdict.Rejected) unknown).detail()).endsWith("is unknown");
    AnswerVerifier.Ledger shortSeal =
        new AnswerVerifier.Ledger() {
          @Override
          public boolean registered(Bytes32 id) {
            return true;
          }

          @Override
          public boolean rewarded(Bytes32 c, Bytes32 id) {
            return false;
          }

          @Override
          public java.util.OptionalLong sealContextLength(Bytes32 d) {
            return java.util.OptionalLong.of(A.recallPosition() + 15);
          }
        };
    Verdict v = AnswerVerifier.verify(A, F.ctx, F.digest, TARGET, shortSeal);
    assertThat(((Verdict.Rejected) v).detail())
        .endsWith(
            "covers "
                + (A.recallPosition() + 15)
                + " sectors, the unit ends at "
                + (A.recallPosition() + 16));
  }

  @Test
  void aProofOfTheWrongLengthIsRefused() {
    List<Bytes32> longer = new ArrayList<>(A.proof());
    longer.add(Bytes32.ZERO);
    Verdict v = verify(withProof(A, longer));
    assertThat(((Verdict.Rejected) v).message())
        .isEqualTo("wrong proof: proof has 4 siblings, the flow tree needs 3");
  }

  @Test
  void aQualityAboveTheTargetIsRefused() {
    BigInteger q = ((Verdict.Accepted) verify(A)).quality().toUnsignedBigInteger();
    assertThat(reason(verify(A, q.subtract(BigInteger.ONE))))
        .isEqualTo(Rejection.QUALITY_ABOVE_TARGET);
    assertThat(verify(A, q)).isInstanceOf(Verdict.Accepted.class);
  }

  /** A miner that dropped units 2–4 finds hits only in units 0–1, and cannot fake the others. */
  @Test
  void droppedDataCannotBeAnswered() {
    PoraSearch search =
        new PoraSearch(F.minerId, F.digest, F.flowLength, 0, 80, FlowFixture.oneIn(2));
    int[] hits = new int[5];
    long start = 0;
    for (int i = 0; i < 200; i++) {
      var hit =
          search.search(
              Bytes32.ZERO,
              start,
              1000,
              (u, out) -> {
                if (u >= 2) {
                  return false;
                }
                System.arraycopy(F.sealed, (int) u * 4096, out, 0, 4096);
                return true;
              });
      if (hit.isEmpty()) {
        break;
      }
      hits[(int) (hit.get().recallPosition() / 16)]++;
      start = hit.get().nonce().slice(24).toLong() + 1;
    }
    assertThat(hits[0] + hits[1]).isPositive();
    assertThat(hits[2] + hits[3] + hits[4]).isZero();
    // Faking unit 3: any stand-in data with the true unit root fails the seal check, and a root
    // of the stand-in fails the proof.
    Answer honest = findAt(3);
    Bytes fake = Bytes.wrap(new byte[4096]);
    Answer fakeData = withUnit(honest, honest.unitRoot(), fake);
    assertThat(reason(verify(fakeData, FlowFixture.oneIn(1)))).isEqualTo(Rejection.WRONG_SEAL);
    Answer fakeRoot = withUnit(honest, UnitTree.unitRoot(new byte[4096], 0), fake);
    assertThat(reason(verify(fakeRoot, FlowFixture.oneIn(1)))).isEqualTo(Rejection.WRONG_PROOF);
  }

  // An answer recalling unit u, with the easiest target.
  private static Answer findAt(int u) {
    for (long n = 0; ; n++) {
      Bytes32 nonce = Bytes32.leftPad(Bytes.ofUnsignedLong(n));
      long recall =
          new Pora()
              .recallPosition(
                  F.minerId.toArrayUnsafe(),
                  nonce.toArrayUnsafe(),
                  F.digest.toArrayUnsafe(),
                  0,
                  80);
      if (recall == 16L * u) {
        return new Answer(
            F.digest,
            F.minerId,
            nonce,
            0,
            80,
            recall,
            F.sealContext,
            F.unitTree.leafHash(u),
            Bytes.wrap(F.sealed, u * 4096, 4096).copy(),
            F.unitTree.inclusionProof(u).siblings());
      }
    }
  }

  private static Answer withUnit(Answer a, Bytes32 root, Bytes sealed) {
    return new Answer(
        a.contextDigest(),
        a.minerId(),
        a.nonce(),
        a.rangeStart(),
        a.rangeLength(),
        a.recallPosition(),
        a.sealContextDigest(),
        root,
        sealed,
        a.proof());
  }

  private static Answer withProof(Answer a, List<Bytes32> proof) {
    return new Answer(
        a.contextDigest(),
        a.minerId(),
        a.nonce(),
        a.rangeStart(),
        a.rangeLength(),
        a.recallPosition(),
        a.sealContextDigest(),
        a.unitRoot(),
        a.sealedData(),
        proof);
  }

  @Property(tries = 100)
  void anyBitFlipInTheProofIsAWrongProof(@ForAll @IntRange(min = 0, max = 3 * 256 - 1) int bit) {
    List<Bytes32> proof = new ArrayList<>(A.proof());
    MutableBytes w = proof.get(bit / 256).mutableCopy();
    w.set(bit % 256 / 8, (byte) (w.get(bit % 256 / 8) ^ (1 << (bit % 8))));
    proof.set(bit / 256, Bytes32.wrap(w));
    assertThat(reason(verify(withProof(A, proof)))).isEqualTo(Rejection.WRONG_PROOF);
  }

  @Property(tries = 100)
  void anyBitFlipInTheUnitRootIsAWrongProof(@ForAll @IntRange(min = 0, max = 255) int bit) {
    MutableBytes w = A.unitRoot().mutableCopy();
    w.set(bit / 8, (byte) (w.get(bit / 8) ^ (1 << (bit % 8))));
    assertThat(reason(verify(withUnit(A, Bytes32.wrap(w), A.sealedData()))))
        .isEqualTo(Rejection.WRONG_PROOF);
  }

  @Property(tries = 200)
  void anyBitFlipInTheSealIsAWrongSeal(@ForAll @IntRange(min = 0, max = 4096 * 8 - 1) int bit) {
    MutableBytes s = A.sealedData().mutableCopy();
    s.set(bit / 8, (byte) (s.get(bit / 8) ^ (1 << (bit % 8))));
    assertThat(reason(verify(withUnit(A, A.unitRoot(), s)))).isEqualTo(Rejection.WRONG_SEAL);
  }

  @Property(tries = 256)
  void anyBitFlipInTheNonceIsRefused(@ForAll @IntRange(min = 0, max = 255) int bit) {
    MutableBytes n = A.nonce().mutableCopy();
    n.set(bit / 8, (byte) (n.get(bit / 8) ^ (1 << (bit % 8))));
    Rejection r =
        reason(verify(with(A, Bytes32.wrap(n), 0, 80, A.recallPosition(), A.sealContextDigest())));
    assertThat(r).isIn(Rejection.WRONG_RECALL_POSITION, Rejection.QUALITY_ABOVE_TARGET);
  }
}
