package io.axivon.consensus.execution.flow;

import io.axivon.common.crypto.Hashes;
import org.apache.tuweni.bytes.Bytes;
import org.apache.tuweni.bytes.Bytes32;

/**
 * The flow's append-only Merkle accumulator (specs/flow.md), pure and storage-agnostic: the flow is
 * an unbounded row of 256-byte sectors, all zero until written; a submission node of height {@code
 * h} (the root of a perfect tree over {@code 2^h} sector leaves) is placed at the next position
 * aligned to {@code 2^h}, after zero padding. The root covers the smallest perfect tree of at least
 * {@code max(length, 1)} sectors, unwritten sectors hashing as zero sectors ({@code Z_k} subtrees),
 * paired as in the 0G file root ({@code keccak256(left || right)}, no prefixes).
 *
 * <p>Only a frontier is kept: at level {@code i} the root of the complete left subtree that bit
 * {@code i} of the length stands for (valid only while that bit is set). An append touches at most
 * one frontier entry per level, and the root folds the frontier with zero subtrees: O(log n) either
 * way.
 */
public final class FlowAccumulator {
  /** Levels of the frontier; the flow stays below {@code 2^MAX_LEVEL} sectors. */
  public static final int MAX_LEVEL = 62;

  /** Sector size in bytes. */
  public static final int SECTOR = 256;

  private static final Bytes32[] ZEROS = zeros();

  /** Where the frontier lives (module storage on chain, an array in memory). */
  public interface Frontier {
    Bytes32 get(int level);

    void set(int level, Bytes32 value);
  }

  /** An in-memory frontier. */
  public static final class MemoryFrontier implements Frontier {
    private final Bytes32[] levels = new Bytes32[MAX_LEVEL + 1];

    @Override
    public Bytes32 get(int level) {
      Bytes32 v = levels[level];
      return v == null ? Bytes32.ZERO : v;
    }

    @Override
    public void set(int level, Bytes32 value) {
      levels[level] = value;
    }
  }

  private FlowAccumulator() {}

  private static Bytes32[] zeros() {
    Bytes32[] z = new Bytes32[MAX_LEVEL + 1];
    z[0] = Hashes.keccak256(Bytes.wrap(new byte[SECTOR]));
    for (int i = 1; i <= MAX_LEVEL; i++) {
      z[i] = parent(z[i - 1], z[i - 1]);
    }
    return z;
  }

  /** {@code Z_k}: the root of a perfect tree of {@code 2^k} zero sectors. */
  public static Bytes32 zero(int level) {
    return ZEROS[level];
  }

  public static Bytes32 parent(Bytes32 left, Bytes32 right) {
    return Hashes.keccak256(Bytes.concatenate(left, right));
  }

  /** The position a node of {@code height} takes after a flow of {@code length} sectors. */
  public static long startOf(long length, int height) {
    long size = 1L << height;
    return (length + size - 1) & -size;
  }

  /**
   * Appends a node of {@code height} with subtree root {@code root}, zero padding in front up to
   * its aligned position.
   *
   * @return the new length (the node's start is {@link #startOf})
   * @throws IllegalArgumentException if the height or resulting length is out of range
   */
  public static long append(Frontier f, long length, Bytes32 root, int height) {
    if (height < 0 || height >= MAX_LEVEL) {
      throw new IllegalArgumentException("height " + height + " out of range");
    }
    long start = startOf(length, height);
    if (length < 0 || start < length || start + (1L << height) > 1L << MAX_LEVEL) {
      throw new IllegalArgumentException("flow would exceed 2^" + MAX_LEVEL + " sectors");
    }
    while (length != start) {
      int pad = Long.numberOfTrailingZeros(length); // the largest aligned zero run that fits
      length = put(f, length, ZEROS[pad], pad);
    }
    return put(f, length, root, height);
  }

  // Adds a complete subtree at level h where length is a multiple of 2^h: carries like a counter.
  private static long put(Frontier f, long length, Bytes32 node, int height) {
    Bytes32 cur = node;
    int level = height;
    while (((length >>> level) & 1) != 0) {
      cur = parent(f.get(level), cur);
      level++;
    }
    f.set(level, cur);
    return length + (1L << height);
  }

  /** The root of a flow of {@code length} sectors whose frontier is {@code f}. */
  public static Bytes32 root(Frontier f, long length) {
    if (length < 0 || length > 1L << MAX_LEVEL) {
      throw new IllegalArgumentException("length " + length + " out of range");
    }
    if (length <= 1) {
      return length == 1 ? f.get(0) : ZEROS[0];
    }
    int top = 64 - Long.numberOfLeadingZeros(length - 1); // 2^top >= length > 2^(top-1)
    if (length == 1L << top) {
      return f.get(top);
    }
    Bytes32 cur = null; // null: the subtree right of here is all zero
    for (int i = 0; i < top; i++) {
      if (((length >>> i) & 1) != 0) {
        cur = parent(f.get(i), cur == null ? ZEROS[i] : cur);
      } else if (cur != null) {
        cur = parent(cur, ZEROS[i]);
      }
    }
    return cur;
  }
}
