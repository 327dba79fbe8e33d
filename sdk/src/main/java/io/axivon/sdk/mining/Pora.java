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

  /** Flow positions and lengths stay below this (specs/flow.md). */
  public static final long MAX_POSITION = 1L << 62;

  private final Keccak256 k = new Keccak256();
  private final byte[] word = new byte[32];
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
    k.update(minerId, 0, 32).update(nonce, 0, 32).update(context, 0, 32);
    u256(rangeStart);
    u256(rangeLength);
    k.doFinal(seed, 0);
    long tail = 0;
    for (int i = 24; i < 32; i++) {
      tail = (tail << 8) | (seed[i] & 0xff);
    }
    long units = rangeLength / UNIT_SECTORS;
    return rangeStart + UNIT_SECTORS * Long.remainderUnsigned(tail, units);
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
    k.update(minerId, 0, 32).update(nonce, 0, 32).update(context, 0, 32);
    u256(recall);
    k.update(sealed, sealedOff, UNIT_BYTES);
    k.doFinal(out, 0);
  }

  /** {@code target · rangeLength / maxRange(flowLength)}. */
  public static BigInteger effectiveTarget(BigInteger target, long rangeLength, long flowLength) {
    return target
        .multiply(BigInteger.valueOf(rangeLength))
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

  private void u256(long v) {
    java.util.Arrays.fill(word, 0, 24, (byte) 0);
    for (int i = 0; i < 8; i++) {
      word[31 - i] = (byte) (v >>> (8 * i));
    }
    k.update(word, 0, 32);
  }
}
