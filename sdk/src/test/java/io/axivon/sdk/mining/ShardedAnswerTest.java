package io.axivon.sdk.mining;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigInteger;
import org.junit.jupiter.api.Test;

/** Sharded answers against the chain's checks (specs/pora.md sections 4 and 9). */
class ShardedAnswerTest {
  // 4 segments (1 MiB): shard 1/2 holds segments 1 and 3
  private static final FlowFixture F = new FlowFixture(21, 4 * Pora.SEGMENT_SECTORS);
  private static final BigInteger TARGET = FlowFixture.oneIn(512);
  private static final Answer A = F.answer(TARGET, 0, 4096, 1, 2);

  private static Verdict verify(Answer a) {
    return AnswerVerifier.verify(a, F.ctx, F.digest, TARGET, F.ledger());
  }

  private static String refusal(Answer a) {
    Verdict v = verify(a);
    assertThat(v).isInstanceOf(Verdict.Rejected.class);
    return ((Verdict.Rejected) v).message();
  }

  private static Answer with(Answer a, long start, long length, long shard, long n, long recall) {
    return new Answer(
        a.contextDigest(),
        a.minerId(),
        a.nonce(),
        start,
        length,
        shard,
        n,
        recall,
        a.sealContextDigest(),
        a.unitRoot(),
        a.sealedData(),
        a.proof());
  }

  @Test
  void aShardedAnswerIsAcceptedWithATargetScaledToTheDataHeld() {
    assertThat(Pora.inShard(A.recallPosition(), 1, 2)).isTrue();
    Verdict v = verify(A);
    assertThat(v).isInstanceOf(Verdict.Accepted.class);
    // half of the range held: half of the target, so splitting the data gains nothing
    assertThat(((Verdict.Accepted) v).effectiveTarget()).isEqualTo(TARGET.shiftRight(1));
    // a codec round trip keeps the shard
    assertThat(AnswerCodec.decodeArgs(AnswerCodec.encodeArgs(A))).isEqualTo(A);
  }

  @Test
  void aQuarterShardOfAShorterRangeIsAccepted() {
    Answer q = F.answer(TARGET, 1024, 3072, 3, 4); // segments 1..3; shard 3/4 holds segment 3
    assertThat(q.recallPosition()).isBetween(3072L, 4096L - 16);
    Verdict v = verify(q);
    assertThat(((Verdict.Accepted) v).effectiveTarget())
        .isEqualTo(TARGET.multiply(BigInteger.valueOf(1024)).divide(BigInteger.valueOf(4096)));
  }

  @Test
  void badShardConfigurationsAreRefused() {
    long r = A.recallPosition();
    assertThat(refusal(with(A, 0, 4096, 1, 3)))
        .isEqualTo("bad shard: numShard 3 is not a power of two in [1, 2^32]");
    assertThat(refusal(with(A, 0, 4096, 0, 0)))
        .isEqualTo("bad shard: numShard 0 is not a power of two in [1, 2^32]");
    assertThat(refusal(with(A, 0, 4096, 1, 1L << 33)))
        .isEqualTo("bad shard: numShard 8589934592 is not a power of two in [1, 2^32]");
    assertThat(refusal(with(A, 0, 4096, 2, 2)))
        .isEqualTo("bad shard: shardId 2 is not below numShard 2");
    assertThat(refusal(with(A, 16, 2048, 1, 2)))
        .isEqualTo(
            "bad shard: a sharded range must start and end on a segment boundary (1024 sectors),"
                + " range [16, 2064)");
    assertThat(refusal(with(A, 0, 1024, 1, 2)))
        .isEqualTo("bad shard: range [0, 1024) holds no segment of shard 1/2");
    assertThat(refusal(with(A, 0, 4096, 5, 8)))
        .isEqualTo("bad shard: range [0, 4096) holds no segment of shard 5/8");
    // the checks of the range come first
    assertThat(refusal(with(A, 0, 8192, 1, 2))).startsWith("bad range: ");
    assertThat(r).isPositive();
  }

  @Test
  void aForgedPositionOutsideTheShardIsRefused() {
    // segment 0 belongs to shard 0/2
    assertThat(refusal(with(A, 0, 4096, 1, 2, 16)))
        .isEqualTo("recall outside shard: position 16 is in segment 0, not of shard 1/2");
    assertThat(refusal(with(A, 0, 2048, 1, 2, 3072)))
        .isEqualTo("recall outside shard: position 3072 is outside the range [0, 2048)");
    // claiming another shard for the same nonce moves the derived position
    long other = A.recallPosition() ^ Pora.SEGMENT_SECTORS; // the neighbour segment, shard 0
    Verdict v = verify(with(A, 0, 4096, 0, 2, other));
    assertThat(v).isInstanceOf(Verdict.Rejected.class);
    assertThat(((Verdict.Rejected) v).reason())
        .isIn(Rejection.WRONG_RECALL_POSITION, Rejection.WRONG_PROOF);
  }

  @Test
  void anInShardPositionTheNonceDoesNotGiveIsRefused() {
    long seg = A.recallPosition() / Pora.SEGMENT_SECTORS;
    long other = seg * Pora.SEGMENT_SECTORS + (A.recallPosition() + 16) % Pora.SEGMENT_SECTORS;
    assertThat(refusal(with(A, 0, 4096, 1, 2, other)))
        .isEqualTo(
            "wrong recall position: nonce gives " + A.recallPosition() + ", answer says " + other);
  }

  private static Answer with(Answer a, long start, long length, long shard, long n) {
    return with(a, start, length, shard, n, a.recallPosition());
  }
}
