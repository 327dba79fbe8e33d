package io.axivon.sdk.mining;

import io.axivon.common.crypto.Keccak256;
import java.math.BigInteger;

/**
 * PoRA's constants and search functions (specs/pora.md sections 1, 4, 6, 7), on byte arrays: the
 * miner calls them once per nonce, so nothing here allocates beyond the caller's buffers. Not
 * thread-safe (it reuses one {@link Keccak256}): one per search thread.
 */
public final class Pora {
  public static final int SECTOR = 256;
  public static final int UNIT_SECTORS = 16;
  public static final int UNIT_BYTES = SECTOR * UNIT_SECTORS;
  public static final int UNIT_WORDS = UNIT_BYTES / 32;
  public static final long PRICING_CHUNK_SECTORS = 1L << 25;
  public static final long MAX_RANGE = 1L << 28;
  public static final int MAX_PROOF = 58;

  /** A storage segment (1,024 sectors, 256 KiB): the unit of sharding (specs/storage.md). */
  public static final long SEGMENT_SECTORS = 1024;

  public static final int SEGMENT_UNITS = (int) (SEGMENT_SECTORS / UNIT_SECTORS);

  /** The most shards an answer may name. */
  public static final long MAX_SHARDS = 1L << 32;

  /** Flow positions and lengths stay below this (specs/flow.md). */
  public static final long MAX_POSITION = 1L << 62;

  /**
   * {@code minerId ‖ nonce ‖ C ‖ u256(rangeStart) ‖ u256(rangeLength)}: the recall seed's input.
   */
  static final int SEED_INPUT_BYTES = 5 * 32;

  /**
   * {@code minerId ‖ nonce ‖ C ‖ u256(recall)}: the quality hash's input before the sealed unit.
   */
  static final int QUALITY_HEAD_BYTES = 4 * 32;

  /** {@code minerId ‖ S ‖ u256(unit)}: the seal key's input. */
  static final int SEAL_KEY_INPUT_BYTES = 3 * 32;

  private final Keccak256 k = new Keccak256();
  private final byte[] input = new byte[SEED_INPUT_BYTES];
  private final byte[] seed = new byte[32];

  /** The longest range an answer may name under a context of {@code flowLength} sectors. */
  public static long maxRange(long flowLength) {
    return Math.min(MAX_RANGE, flowLength / UNIT_SECTORS * UNIT_SECTORS);
  }

  /**
   * The sector where the recalled unit starts, for a nonce: {@code rangeStart + 16 · (uint64(seed
   * tail) mod units)}.
   */
  public long recallPosition(
      byte[] minerId, byte[] nonce, byte[] context, long rangeStart, long rangeLength) {
    long tail = seedTail(minerId, nonce, context, rangeStart, rangeLength);
    long units = rangeLength / UNIT_SECTORS;
    return rangeStart + UNIT_SECTORS * Long.remainderUnsigned(tail, units);
  }

  /**
   * The recall position of a sharded answer (section 4): the seed's tail picks one of the {@code
   * heldUnits = shardUnits(…)} units the shard holds in the range. Assumes a valid shard ({@link
   * #shardError} empty) and {@code heldUnits > 0}.
   */
  public long recallPosition(
      byte[] minerId,
      byte[] nonce,
      byte[] context,
      long rangeStart,
      long rangeLength,
      long shardId,
      long numShard,
      long heldUnits) {
    long tail = seedTail(minerId, nonce, context, rangeStart, rangeLength);
    return UNIT_SECTORS
        * shardUnit(rangeStart, shardId, numShard, Long.remainderUnsigned(tail, heldUnits));
  }

  /**
   * {@code uint64(seed[24..32])}, {@code seed = H(minerId ‖ nonce ‖ C ‖ u256(start) ‖ u256(len))}.
   */
  public long seedTail(
      byte[] minerId, byte[] nonce, byte[] context, long rangeStart, long rangeLength) {
    seedInput(input, 0, minerId, nonce, context, rangeStart, rangeLength);
    k.update(input, 0, SEED_INPUT_BYTES).doFinal(seed, 0);
    return tail(seed, 0);
  }

  /**
   * Why a shard is invalid for a range (section 4), or null when it is valid: {@code numShard} a
   * power of two at most {@link #MAX_SHARDS}, {@code shardId < numShard}, and a sharded range made
   * of whole segments. The range itself is checked before.
   */
  public static String shardError(long rangeStart, long rangeLength, long shardId, long numShard) {
    if (numShard < 1 || numShard > MAX_SHARDS || Long.bitCount(numShard) != 1) {
      return "numShard " + numShard + " is not a power of two in [1, 2^32]";
    }
    if (shardId >= numShard) {
      return "shardId " + shardId + " is not below numShard " + numShard;
    }
    if (numShard > 1 && (rangeStart % SEGMENT_SECTORS != 0 || rangeLength % SEGMENT_SECTORS != 0)) {
      return "a sharded range must start and end on a segment boundary (1024 sectors), range ["
          + rangeStart
          + ", "
          + (rangeStart + rangeLength)
          + ")";
    }
    if (shardUnits(rangeStart, rangeLength, shardId, numShard) == 0) {
      return "range ["
          + rangeStart
          + ", "
          + (rangeStart + rangeLength)
          + ") holds no segment of shard "
          + shardId
          + "/"
          + numShard;
    }
    return null;
  }

  /**
   * The units of the range that shard {@code shardId} of {@code numShard} holds: those of the
   * segments {@code g} with {@code g mod numShard = shardId}; the whole range when {@code numShard
   * = 1}. Assumes a valid shard.
   */
  public static long shardUnits(long rangeStart, long rangeLength, long shardId, long numShard) {
    if (numShard == 1) {
      return rangeLength / UNIT_SECTORS;
    }
    long seg0 = rangeStart / SEGMENT_SECTORS;
    long end = seg0 + rangeLength / SEGMENT_SECTORS;
    long first = seg0 + Math.floorMod(shardId - seg0, numShard);
    return first >= end ? 0 : ((end - 1 - first) / numShard + 1) * SEGMENT_UNITS;
  }

  /** The unit of index {@code i} (from 0) among the shard's units of the range, in flow order. */
  public static long shardUnit(long rangeStart, long shardId, long numShard, long i) {
    if (numShard == 1) {
      return rangeStart / UNIT_SECTORS + i;
    }
    long seg0 = rangeStart / SEGMENT_SECTORS;
    long first = seg0 + Math.floorMod(shardId - seg0, numShard);
    return (first + (i / SEGMENT_UNITS) * numShard) * SEGMENT_UNITS + i % SEGMENT_UNITS;
  }

  /** Whether flow sector {@code position} lies in a segment of the shard. */
  public static boolean inShard(long position, long shardId, long numShard) {
    return Math.floorMod(position / SEGMENT_SECTORS, numShard) == shardId;
  }

  /** Writes {@code H(minerId ‖ nonce ‖ context ‖ u256(recall) ‖ sealed)} to {@code out[0..32)}. */
  public void quality(
      byte[] minerId,
      byte[] nonce,
      byte[] context,
      long recall,
      byte[] sealed,
      int sealedOff,
      byte[] out) {
    qualityHead(input, 0, minerId, nonce, 0, context, recall);
    k.update(input, 0, QUALITY_HEAD_BYTES).update(sealed, sealedOff, UNIT_BYTES).doFinal(out, 0);
  }

  /**
   * {@code target · heldSectors / maxRange(flowLength)}: {@code heldSectors} is the range's length,
   * or for a sharded answer the sectors of the shard's units in the range.
   */
  public static BigInteger effectiveTarget(BigInteger target, long heldSectors, long flowLength) {
    return target
        .multiply(BigInteger.valueOf(heldSectors))
        .divide(BigInteger.valueOf(maxRange(flowLength)));
  }

  /** Whether a 32-byte big-endian quality is at most {@code target}. */
  public static boolean meets(byte[] quality, BigInteger target) {
    return new BigInteger(1, quality).compareTo(target) <= 0;
  }

  /** A target as 32 big-endian bytes (at most {@code 2^256 − 1}), to compare qualities bytewise. */
  public static byte[] targetBytes(BigInteger target) {
    BigInteger t = target.min(Difficulty.MAX_TARGET);
    byte[] raw = t.toByteArray();
    byte[] out = new byte[32];
    int n = Math.min(raw.length, 32);
    System.arraycopy(raw, raw.length - n, out, 32 - n, n);
    return out;
  }

  // The byte layouts of the hash inputs (sections 5 to 7), shared by this class, PoraSearch's
  // batched lanes and Seal: pure writes into the caller's buffer, so each keeps its own buffers.

  /** {@code v} as a 32-byte big-endian word at {@code out[off..off+32)}. */
  static void u256(byte[] out, int off, long v) {
    java.util.Arrays.fill(out, off, off + 24, (byte) 0);
    for (int i = 0; i < 8; i++) {
      out[off + 31 - i] = (byte) (v >>> (8 * i));
    }
  }

  /** {@code uint64(hash[off+24..off+32))}: the big-endian tail of a 32-byte hash. */
  static long tail(byte[] hash, int off) {
    long tail = 0;
    for (int i = 24; i < 32; i++) {
      tail = (tail << 8) | (hash[off + i] & 0xff);
    }
    return tail;
  }

  /**
   * Writes the recall seed's input {@code minerId ‖ nonce ‖ C ‖ u256(rangeStart) ‖
   * u256(rangeLength)} to {@code out[off..off+160)}.
   */
  static void seedInput(
      byte[] out,
      int off,
      byte[] minerId,
      byte[] nonce,
      byte[] context,
      long rangeStart,
      long rangeLength) {
    System.arraycopy(minerId, 0, out, off, 32);
    System.arraycopy(nonce, 0, out, off + 32, 32);
    System.arraycopy(context, 0, out, off + 64, 32);
    u256(out, off + 96, rangeStart);
    u256(out, off + 128, rangeLength);
  }

  /**
   * Writes the quality hash's input up to the sealed unit, {@code minerId ‖ nonce ‖ C ‖
   * u256(recall)}, to {@code out[off..off+128)}; the nonce is {@code nonce[nonceOff..+32)}.
   */
  static void qualityHead(
      byte[] out,
      int off,
      byte[] minerId,
      byte[] nonce,
      int nonceOff,
      byte[] context,
      long recall) {
    System.arraycopy(minerId, 0, out, off, 32);
    System.arraycopy(nonce, nonceOff, out, off + 32, 32);
    System.arraycopy(context, 0, out, off + 64, 32);
    u256(out, off + 96, recall);
  }

  /** Writes the seal key's input {@code minerId ‖ S ‖ u256(unit)} to {@code out[off..off+96)}. */
  static void sealKeyInput(byte[] out, int off, byte[] minerId, byte[] sealContext, long unit) {
    System.arraycopy(minerId, 0, out, off, 32);
    System.arraycopy(sealContext, 0, out, off + 32, 32);
    u256(out, off + 64, unit);
  }
}
