package io.axivon.consensus.execution.mining;

import static io.axivon.consensus.execution.mining.MiningHarness.BOB;
import static org.assertj.core.api.Assertions.assertThat;

import io.axivon.consensus.execution.system.Abi;
import io.axivon.consensus.execution.system.ModuleResult;
import io.axivon.sdk.mining.Answer;
import io.axivon.sdk.mining.AnswerCodec;
import io.axivon.sdk.mining.Pora;
import java.math.BigInteger;
import java.util.List;
import org.apache.tuweni.bytes.Bytes;
import org.apache.tuweni.bytes.Bytes32;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Sharded answers on chain (specs/pora.md sections 4 and 9) and the per-miner totals. */
class ShardedMiningTest {
  static final BigInteger EASY = BigInteger.ONE.shiftLeft(256 - 6);
  static final long SEG = Pora.SEGMENT_SECTORS;

  MiningHarness h;
  Bytes32 bobId;
  MiningHarness.Miner miner;

  @BeforeEach
  void setUp() {
    h = new MiningHarness(new MiningConfig(EASY, 1, 100_000));
    h.upload(4 * 256 * 1024); // 4 segments at 0
    h.nextEpoch();
    bobId = h.register(BOB, Bytes32.fromHexString("0x5a18"));
    miner = h.new Miner(bobId, h.context().digest());
  }

  String refusal(Answer a) {
    ModuleResult r = h.call(BOB, AnswerCodec.encodeCall(a));
    assertThat(r.success()).isFalse();
    return MiningHarness.reason(r);
  }

  @Test
  void aShardedAnswerIsAcceptedAndCounted() {
    assertThat(h.context().flowLength()).isEqualTo(4 * SEG);
    Answer a = miner.answer(h.target(), 4 * SEG, 3, 4); // holds segment 3 only
    assertThat(a.recallPosition() / SEG).isEqualTo(3);
    ModuleResult r = h.call(BOB, AnswerCodec.encodeCall(a));
    assertThat(r.success()).as(() -> MiningHarness.reason(r)).isTrue();
    BigInteger reward = r.returnData().toUnsignedBigInteger();
    assertThat(r.gasUsed()).isLessThan(300_000);
    Bytes stats = h.view(Abi.call(MiningModule.MINER_STATS, List.of(MiningHarness.b32(bobId))));
    assertThat(stats.size()).isEqualTo(128);
    assertThat(stats.slice(0, 32).toUnsignedBigInteger()).isEqualTo(BigInteger.ONE);
    assertThat(stats.slice(32, 32).toUnsignedBigInteger()).isEqualTo(reward);
    assertThat(stats.slice(64, 32).toLong()).isEqualTo(h.context().epoch());
    assertThat(stats.slice(96, 32)).isEqualTo(a.contextDigest());

    // a second epoch: totals add up
    h.nextEpoch();
    MiningHarness.Miner next = h.new Miner(bobId, miner.sealContext);
    Answer b = next.answer(h.target(), 4 * SEG, 0, 1);
    ModuleResult r2 = h.call(BOB, AnswerCodec.encodeCall(b));
    assertThat(r2.success()).as(() -> MiningHarness.reason(r2)).isTrue();
    BigInteger reward2 = r2.returnData().toUnsignedBigInteger();
    Bytes after = h.view(Abi.call(MiningModule.MINER_STATS, List.of(MiningHarness.b32(bobId))));
    assertThat(after.slice(0, 32).toUnsignedBigInteger()).isEqualTo(BigInteger.TWO);
    assertThat(after.slice(32, 32).toUnsignedBigInteger()).isEqualTo(reward.add(reward2));
    assertThat(after.slice(96, 32)).isEqualTo(b.contextDigest());
    // a miner without answers reads zeros
    Bytes none =
        h.view(Abi.call(MiningModule.MINER_STATS, List.of(MiningHarness.b32(Bytes32.ZERO))));
    assertThat(none).isEqualTo(Bytes.wrap(new byte[128]));
  }

  @Test
  void aForgedPositionOutsideTheShardIsRefusedAndChangesNothing() {
    Answer a = miner.answer(h.target(), 4 * SEG, 1, 2); // segments 1 and 3
    long forged = a.recallPosition() - SEG; // segment 0 or 2: shard 0's
    Answer f = miner.answerFor(a.nonce(), forged, 4 * SEG, 1, 2);
    assertThat(refusal(f))
        .isEqualTo(
            "recall outside shard: position "
                + forged
                + " is in segment "
                + forged / SEG
                + ", not of shard 1/2");
    assertThat(refusal(miner.answerFor(a.nonce(), a.recallPosition(), 4 * SEG, 1, 3)))
        .isEqualTo("bad shard: numShard 3 is not a power of two in [1, 2^32]");
    assertThat(refusal(miner.answerFor(a.nonce(), a.recallPosition(), 4 * SEG - 16, 1, 2)))
        .startsWith("bad shard: a sharded range must start and end on a segment boundary");
    Bytes stats = h.view(Abi.call(MiningModule.MINER_STATS, List.of(MiningHarness.b32(bobId))));
    assertThat(stats).isEqualTo(Bytes.wrap(new byte[128]));
    // the genuine one still goes through
    assertThat(h.call(BOB, AnswerCodec.encodeCall(a)).success()).isTrue();
  }
}
