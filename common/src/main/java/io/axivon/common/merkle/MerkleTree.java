package io.axivon.common.merkle;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import org.apache.tuweni.bytes.Bytes32;

/**
 * A binary Keccak-256 Merkle tree that keeps every level, for proofs. The rule (specs/merkle.md,
 * the same as 0G Storage's): pair neighbours left to right, parent = keccak256(left ‖ right); an
 * unpaired last node moves up to the next level unchanged; one leaf is its own root.
 *
 * <p>Memory is about 64 bytes per leaf. For a root alone, use {@link MerkleAccumulator}, which
 * needs O(log n) memory and gives the same root. Immutable once built.
 */
public final class MerkleTree {
  private static final int H = MerkleHasher.HASH_SIZE;

  private final byte[][] levels; // levels[0]: leaf hashes; last level: the root
  private final int leafCount;

  private MerkleTree(byte[][] levels, int leafCount) {
    this.levels = levels;
    this.leafCount = leafCount;
  }

  /** A tree over these leaf hashes, in order. */
  public static MerkleTree ofLeafHashes(List<Bytes32> leafHashes) {
    byte[] flat = new byte[Math.multiplyExact(leafHashes.size(), H)];
    for (int i = 0; i < leafHashes.size(); i++) {
      System.arraycopy(leafHashes.get(i).toArrayUnsafe(), 0, flat, i * H, H);
    }
    return ofLeafHashes(flat, leafHashes.size());
  }

  /**
   * A tree over {@code count} leaf hashes stored back to back in {@code flat} (taken, not copied).
   */
  static MerkleTree ofLeafHashes(byte[] flat, int count) {
    if (count <= 0) {
      throw new IllegalArgumentException("a Merkle tree needs at least one leaf");
    }
    if (flat.length != count * H) {
      throw new IllegalArgumentException("expected " + count * H + " bytes of hashes");
    }
    MerkleHasher hasher = new MerkleHasher();
    List<byte[]> levels = new ArrayList<>();
    levels.add(flat);
    for (int n = count; n > 1; n = (n + 1) / 2) {
      byte[] below = levels.getLast();
      byte[] above = new byte[((n + 1) / 2) * H];
      for (int i = 0; i + 1 < n; i += 2) {
        hasher.node(below, i * H, below, (i + 1) * H, above, (i / 2) * H);
      }
      if ((n & 1) == 1) { // unpaired last node moves up unchanged
        System.arraycopy(below, (n - 1) * H, above, (n / 2) * H, H);
      }
      levels.add(above);
    }
    return new MerkleTree(levels.toArray(byte[][]::new), count);
  }

  /**
   * A tree over {@code data} cut into leaves of {@code leafSize} bytes, the last one zero-filled.
   */
  public static MerkleTree ofData(byte[] data, int leafSize) {
    MerkleAccumulator acc = MerkleAccumulator.ofData(leafSize, true);
    acc.update(data);
    return acc.toTree();
  }

  public Bytes32 root() {
    return Bytes32.wrap(Arrays.copyOf(levels[levels.length - 1], H));
  }

  public int leafCount() {
    return leafCount;
  }

  /** Number of levels above the leaves (0 for a single leaf). */
  public int height() {
    return levels.length - 1;
  }

  public Bytes32 leafHash(int index) {
    Objects.checkIndex(index, leafCount);
    return Bytes32.wrap(Arrays.copyOfRange(levels[0], index * H, (index + 1) * H));
  }

  /** A proof that leaf {@code index} is in this tree. */
  public InclusionProof inclusionProof(int index) {
    Objects.checkIndex(index, leafCount);
    return new InclusionProof(index, leafCount, siblings(index, index));
  }

  /** A proof for the leaves {@code from} (inclusive) to {@code to} (exclusive). */
  public RangeProof rangeProof(int from, int to) {
    Objects.checkFromToIndex(from, to, leafCount);
    if (from == to) {
      throw new IllegalArgumentException("empty range");
    }
    return new RangeProof(from, leafCount, siblings(from, to - 1));
  }

  // The boundary siblings of the range [lo, hi], level by level, in the order RangeProof consumes
  // them: at each level the left neighbour of lo (if lo is a right child), then the right
  // neighbour of hi (if hi is a left child that has a partner).
  private List<Bytes32> siblings(long lo, long hi) {
    List<Bytes32> out = new ArrayList<>();
    long n = leafCount;
    for (int level = 0; n > 1; level++, n = (n + 1) / 2, lo /= 2, hi /= 2) {
      if ((lo & 1) == 1) {
        out.add(node(level, lo - 1));
      }
      if ((hi & 1) == 0 && hi + 1 < n) {
        out.add(node(level, hi + 1));
      }
    }
    return out;
  }

  private Bytes32 node(int level, long index) {
    int at = Math.toIntExact(index * H);
    return Bytes32.wrap(Arrays.copyOfRange(levels[level], at, at + H));
  }
}
