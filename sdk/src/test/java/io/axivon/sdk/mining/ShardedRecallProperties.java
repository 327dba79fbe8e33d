package io.axivon.sdk.mining;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.Set;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;

/** Recall positions of sharded answers (specs/pora.md section 4). */
class ShardedRecallProperties {
  private static final long SEG = Pora.SEGMENT_SECTORS;

  @Property(tries = 500)
  void derivedPositionsAlwaysFallInTheShardAndTheRange(
      @ForAll @IntRange(min = 0, max = 8) int log2Shards,
      @ForAll @LongRange(min = 0, max = 1 << 20) long shardSeed,
      @ForAll @LongRange(min = 0, max = 1 << 18) long startSegment,
      @ForAll @LongRange(min = 1, max = 1 << 10) long segments,
      @ForAll long nonceSeed) {
    long n = 1L << log2Shards;
    long shard = shardSeed % n;
    long start = startSegment * SEG;
    long length = segments * SEG;
    if (Pora.shardError(start, length, shard, n) != null) {
      // only a range too short to reach the shard is refused here
      assertThat(Pora.shardUnits(start, length, shard, n)).isZero();
      assertThat(segments).isLessThan(n);
      return;
    }
    long held = Pora.shardUnits(start, length, shard, n);
    Pora pora = new Pora();
    byte[] id = Bytes32Util.of(nonceSeed, 1);
    byte[] ctx = Bytes32Util.of(nonceSeed, 2);
    for (int i = 0; i < 20; i++) {
      byte[] nonce = Bytes32Util.of(nonceSeed + i, 3);
      long recall = pora.recallPosition(id, nonce, ctx, start, length, shard, n, held);
      assertThat(recall % Pora.UNIT_SECTORS).isZero();
      assertThat(recall).isBetween(start, start + length - Pora.UNIT_SECTORS);
      assertThat(Pora.inShard(recall, shard, n)).isTrue();
    }
  }

  @Property(tries = 200)
  void theShardsUnitsAreNumberedOneToOneInFlowOrder(
      @ForAll @IntRange(min = 0, max = 4) int log2Shards,
      @ForAll @LongRange(min = 0, max = 64) long shardSeed,
      @ForAll @LongRange(min = 0, max = 100) long startSegment,
      @ForAll @LongRange(min = 1, max = 40) long segments) {
    long n = 1L << log2Shards;
    long shard = shardSeed % n;
    long start = startSegment * SEG;
    long length = segments * SEG;
    // the naive count: every unit of the range whose segment is the shard's
    Set<Long> expected = new HashSet<>();
    for (long u = start / Pora.UNIT_SECTORS; u < (start + length) / Pora.UNIT_SECTORS; u++) {
      if ((u / Pora.SEGMENT_UNITS) % n == shard) {
        expected.add(u);
      }
    }
    long held = Pora.shardUnits(start, length, shard, n);
    assertThat(held).isEqualTo(expected.size());
    Set<Long> got = new HashSet<>();
    long previous = -1;
    for (long i = 0; i < held; i++) {
      long u = Pora.shardUnit(start, shard, n, i);
      assertThat(u).isGreaterThan(previous);
      previous = u;
      got.add(u);
    }
    assertThat(got).isEqualTo(expected);
  }

  @Property(tries = 200)
  void oneShardIsTheUnshardedRecall(
      @ForAll @LongRange(min = 0, max = 1 << 20) long startUnit,
      @ForAll @LongRange(min = 1, max = 1 << 20) long units,
      @ForAll long seed) {
    Pora pora = new Pora();
    byte[] id = Bytes32Util.of(seed, 1);
    byte[] ctx = Bytes32Util.of(seed, 2);
    byte[] nonce = Bytes32Util.of(seed, 3);
    long start = startUnit * Pora.UNIT_SECTORS;
    long length = units * Pora.UNIT_SECTORS;
    assertThat(Pora.shardError(start, length, 0, 1)).isNull();
    assertThat(pora.recallPosition(id, nonce, ctx, start, length, 0, 1, units))
        .isEqualTo(pora.recallPosition(id, nonce, ctx, start, length));
  }

  /** Deterministic 32-byte values. */
  static final class Bytes32Util {
    static byte[] of(long seed, int salt) {
      return io.axivon.common.crypto.Hashes.keccak256(
              org.apache.tuweni.bytes.Bytes.concatenate(
                  org.apache.tuweni.bytes.Bytes.ofUnsignedLong(seed),
                  org.apache.tuweni.bytes.Bytes.of(salt)))
          .toArray();
    }
  }
}
