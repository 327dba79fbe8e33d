package io.axivon.sdk.mining;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigInteger;
import java.util.Arrays;
import java.util.Optional;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.apache.tuweni.bytes.Bytes32;

/** The batched search finds exactly what trying one nonce at a time with {@link Pora} finds. */
class PoraSearchProperties {

  /** The reference: specs/pora.md section 6, one nonce at a time. */
  private static Optional<PoraSearch.Hit> oneAtATime(
      Bytes32 minerId,
      Bytes32 context,
      long flowLength,
      long start,
      long length,
      long shardId,
      long numShard,
      BigInteger target,
      Bytes32 prefix,
      long first,
      long count,
      PoraSearch.Units units) {
    Pora pora = new Pora();
    long held = Pora.shardUnits(start, length, shardId, numShard);
    byte[] target32 =
        Pora.targetBytes(Pora.effectiveTarget(target, held * Pora.UNIT_SECTORS, flowLength));
    byte[] nonce = prefix.toArray();
    byte[] unit = new byte[Pora.UNIT_BYTES];
    byte[] quality = new byte[32];
    for (long n = first; n < first + count; n++) {
      for (int b = 0; b < 8; b++) {
        nonce[31 - b] = (byte) (n >>> (8 * b));
      }
      long recall =
          pora.recallPosition(
              minerId.toArray(), nonce, context.toArray(), start, length, shardId, numShard, held);
      if (!units.read(recall / Pora.UNIT_SECTORS, unit)) {
        continue;
      }
      pora.quality(minerId.toArray(), nonce, context.toArray(), recall, unit, 0, quality);
      if (Arrays.compareUnsigned(quality, target32) <= 0) {
        return Optional.of(
            new PoraSearch.Hit(Bytes32.wrap(nonce.clone()), recall, Bytes32.wrap(quality)));
      }
    }
    return Optional.empty();
  }

  @Property(tries = 60)
  void batchedSearchFindsTheSameFirstHit(
      @ForAll long seed,
      @ForAll @IntRange(min = 0, max = 2) int shardBits,
      @ForAll @IntRange(min = 1, max = 40) int count,
      @ForAll @IntRange(min = 1, max = 12) int oneIn,
      @ForAll @IntRange(min = 0, max = 3) int missingEvery) {
    Random random = new Random(seed);
    long numShard = 1L << shardBits;
    long shardId = random.nextInt((int) numShard);
    long segments = 4;
    long length = segments * Pora.SEGMENT_SECTORS;
    long flowLength = length;
    Bytes32 minerId = Bytes32.random(random);
    Bytes32 context = Bytes32.random(random);
    Bytes32 prefix = Bytes32.random(random);
    long first = random.nextInt(1_000_000);
    BigInteger target = FlowFixture.oneIn(oneIn);
    // unit u holds bytes from its index; every missingEvery-th unit is not held
    PoraSearch.Units units =
        (u, out) -> {
          if (missingEvery > 0 && u % (missingEvery + 1) == 0) {
            return false;
          }
          Arrays.fill(out, (byte) (u * 31 + 7));
          out[0] = (byte) (u >>> 8);
          return true;
        };
    PoraSearch search =
        new PoraSearch(minerId, context, flowLength, 0, length, shardId, numShard, target);
    Optional<PoraSearch.Hit> batched = search.search(prefix, first, count, units);
    assertThat(batched)
        .isEqualTo(
            oneAtATime(
                minerId,
                context,
                flowLength,
                0,
                length,
                shardId,
                numShard,
                target,
                prefix,
                first,
                count,
                units));
    assertThat(search.hashes()).isLessThanOrEqualTo(count);
  }
}
