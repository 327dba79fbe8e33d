package io.axivon.sdk.mining;

import io.axivon.common.crypto.KeccakBatch;
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

  private static final int SEED_BYTES = Pora.SEED_INPUT_BYTES;

  /** minerId ‖ nonce ‖ C ‖ u256(recall) ‖ sealed unit: the quality hash's input. */
  private static final int QUALITY_BYTES = Pora.QUALITY_HEAD_BYTES + Pora.UNIT_BYTES;

  private final KeccakBatch batch = new KeccakBatch();
  private final int lanes = batch.lanes();
  private final byte[] seedIn = new byte[lanes * SEED_BYTES];
  private final byte[] seeds = new byte[lanes * 32];
  private final byte[] qualityIn = new byte[lanes * QUALITY_BYTES];
  private final byte[] qualities = new byte[lanes * 32];
  private final long[] heldNonce = new long[lanes];
  private final long[] heldRecall = new long[lanes];
  private final byte[] minerId;
  private final byte[] context;
  private final long rangeStart;
  private final long rangeLength;
  private final long shardId;
  private final long numShard;
  private final long heldUnits;
  private final byte[] target32;
  private final byte[] unit = new byte[Pora.UNIT_BYTES];
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
   * {@code first + 1}, … in that order, and returns the first that meets the target. Nonces go
   * through in groups of {@link KeccakBatch#lanes()}: their seeds, then the quality hashes of those
   * whose unit is held, several per Keccak permutation; the first hit in nonce order wins, exactly
   * as one nonce at a time would find it.
   */
  public Optional<Hit> search(Bytes32 prefix, long first, long count, Units units) {
    byte[] nonce = prefix.toArray();
    for (long done = 0; done < count; ) {
      int group = (int) Math.min(lanes, count - done);
      for (int j = 0; j < group; j++) {
        setNonce(nonce, first + done + j);
        Pora.seedInput(seedIn, j * SEED_BYTES, minerId, nonce, context, rangeStart, rangeLength);
      }
      batch.hashAll(seedIn, 0, SEED_BYTES, group, seeds, 0);
      int held = 0;
      for (int j = 0; j < group; j++) {
        long tail = Pora.tail(seeds, j * 32);
        long recall =
            Pora.UNIT_SECTORS
                * Pora.shardUnit(
                    rangeStart, shardId, numShard, Long.remainderUnsigned(tail, heldUnits));
        if (!units.read(recall / Pora.UNIT_SECTORS, unit)) {
          continue; // the nonce is skipped
        }
        int at = held * QUALITY_BYTES;
        // the nonce is the one in lane j's seed input
        Pora.qualityHead(qualityIn, at, minerId, seedIn, j * SEED_BYTES + 32, context, recall);
        System.arraycopy(unit, 0, qualityIn, at + Pora.QUALITY_HEAD_BYTES, Pora.UNIT_BYTES);
        heldNonce[held] = first + done + j;
        heldRecall[held] = recall;
        held++;
      }
      batch.hashAll(qualityIn, 0, QUALITY_BYTES, held, qualities, 0);
      hashes += held;
      for (int h = 0; h < held; h++) {
        if (java.util.Arrays.compareUnsigned(qualities, h * 32, h * 32 + 32, target32, 0, 32)
            <= 0) {
          setNonce(nonce, heldNonce[h]);
          return Optional.of(
              new Hit(
                  Bytes32.wrap(nonce.clone()),
                  heldRecall[h],
                  Bytes32.wrap(java.util.Arrays.copyOfRange(qualities, h * 32, h * 32 + 32))));
        }
      }
      done += group;
    }
    return Optional.empty();
  }

  private static void setNonce(byte[] nonce, long n) {
    for (int b = 0; b < 8; b++) {
      nonce[31 - b] = (byte) (n >>> (8 * b));
    }
  }
}
