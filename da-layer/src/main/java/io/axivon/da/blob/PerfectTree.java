package io.axivon.da.blob;

import io.axivon.common.merkle.MerkleHasher;
import java.util.ArrayList;
import java.util.List;
import org.apache.tuweni.bytes.Bytes32;

/**
 * Roots and sibling paths of perfect Merkle trees (a power-of-two leaf count) over leaf hashes
 * packed in a byte array, without allocating per node: the common tree rule of specs/merkle.md,
 * where a power-of-two count never leaves a node unpaired.
 */
final class PerfectTree {
  private static final int H = MerkleHasher.HASH_SIZE;

  private PerfectTree() {}

  /**
   * Reduces {@code n} (a power of two) hashes at the start of {@code scratch} to the root, in
   * place.
   */
  static void reduce(MerkleHasher hasher, byte[] scratch, int n, byte[] out, int outOff) {
    hasher.reducePerfect(scratch, n);
    System.arraycopy(scratch, 0, out, outOff, H);
  }

  /** The siblings, bottom up, of leaf {@code index} among the {@code n} packed leaf hashes. */
  static List<Bytes32> siblings(byte[] leaves, int n, int index) {
    MerkleHasher hasher = new MerkleHasher();
    byte[] level = leaves.clone();
    List<Bytes32> out = new ArrayList<>();
    int i = index;
    for (int width = n; width > 1; width /= 2) {
      byte[] sib = new byte[H];
      System.arraycopy(level, (i ^ 1) * H, sib, 0, H);
      out.add(Bytes32.wrap(sib));
      for (int p = 0; p < width / 2; p++) {
        hasher.node(level, 2 * p * H, level, (2 * p + 1) * H, level, p * H);
      }
      i /= 2;
    }
    return out;
  }

  /** The packed form of a list of hashes. */
  static byte[] pack(List<Bytes32> hashes) {
    byte[] out = new byte[hashes.size() * H];
    for (int i = 0; i < hashes.size(); i++) {
      System.arraycopy(hashes.get(i).toArrayUnsafe(), 0, out, i * H, H);
    }
    return out;
  }

  static int log2(int powerOfTwo) {
    return Integer.numberOfTrailingZeros(powerOfTwo);
  }
}
