package io.axivon.sdk.mining;

import java.math.BigInteger;
import java.util.Optional;
import org.apache.tuweni.bytes.Bytes32;

/**
 * The miner's inner loop (specs/pora.md section 6): tries consecutive nonces against one context
 * and range until a quality meets the effective target. Pure: sealed units come from a {@link
 * Units} the caller backs with its store. Not thread-safe: one per search thread.
 */
public final class PoraSearch {
  /** Where the search reads sealed units. */
  public interface Units {
    /**
     * Copies the sealed unit {@code unit} into {@code out[0..4096)}.
     *
     * @return false when the unit is not held (the nonce is skipped)
     */
    boolean read(long unit, byte[] out);
  }

  /** A nonce that meets the target. */
  public record Hit(Bytes32 nonce, long recallPosition, Bytes32 quality) {}

  private final Pora pora = new Pora();
  private final byte[] minerId;
  private final byte[] context;
  private final long rangeStart;
  private final long rangeLength;
  private final long shardId;
  private final long numShard;
  private final long heldUnits;
  private final byte[] target32;
  private final byte[] unit = new byte[Pora.UNIT_BYTES];
  private final byte[] quality = new byte[32];
  private long hashes;

  public PoraSearch(
      Bytes32 minerId,
      Bytes32 contextDigest,
      long flowLength,
      long rangeStart,
      long rangeLength,
      BigInteger target) {
    this(minerId, contextDigest, flowLength, rangeStart, rangeLength, 0, 1, target);
  }

  /**
   * A search for a sharded miner: recall positions are drawn from the shard's units of the range
   * only, against the target scaled to the sectors the shard holds there.
   *
   * @throws IllegalArgumentException when the shard is not valid for the range
   */
  public PoraSearch(
      Bytes32 minerId,
      Bytes32 contextDigest,
      long flowLength,
      long rangeStart,
      long rangeLength,
      long shardId,
      long numShard,
      BigInteger target) {
    String bad = Pora.shardError(rangeStart, rangeLength, shardId, numShard);
    if (bad != null) {
      throw new IllegalArgumentException(bad);
    }
    this.minerId = minerId.toArray();
    this.context = contextDigest.toArray();
    this.rangeStart = rangeStart;
    this.rangeLength = rangeLength;
    this.shardId = shardId;
    this.numShard = numShard;
    this.heldUnits = Pora.shardUnits(rangeStart, rangeLength, shardId, numShard);
    this.target32 =
        Pora.targetBytes(Pora.effectiveTarget(target, heldUnits * Pora.UNIT_SECTORS, flowLength));
  }

  /** Quality hashes computed so far. */
  public long hashes() {
    return hashes;
  }

  /**
   * Tries {@code count} nonces: {@code prefix} with its last 8 bytes replaced by {@code first},
   * {@code first + 1}, …
   */
  public Optional<Hit> search(Bytes32 prefix, long first, long count, Units units) {
    byte[] nonce = prefix.toArray();
    for (long i = 0; i < count; i++) {
      long n = first + i;
      for (int b = 0; b < 8; b++) {
        nonce[31 - b] = (byte) (n >>> (8 * b));
      }
      long recall =
          pora.recallPosition(
              minerId, nonce, context, rangeStart, rangeLength, shardId, numShard, heldUnits);
      if (!units.read(recall / Pora.UNIT_SECTORS, unit)) {
        continue;
      }
      pora.quality(minerId, nonce, context, recall, unit, 0, quality);
      hashes++;
      if (java.util.Arrays.compareUnsigned(quality, target32) <= 0) {
        return Optional.of(
            new Hit(Bytes32.wrap(nonce.clone()), recall, Bytes32.wrap(quality.clone())));
      }
    }
    return Optional.empty();
  }
}
