package io.axivon.common.merkle;

import java.util.List;
import org.apache.tuweni.bytes.Bytes32;

/** Recomputes a root from a range of leaves and the boundary siblings, level by level. */
final class ProofMath {
  private static final int H = MerkleHasher.HASH_SIZE;

  private ProofMath() {}

  /**
   * The root given by {@code leaves} at {@code from} in a tree of {@code count} leaves, or null if
   * the range does not fit the tree or the sibling count is not exactly what the shape needs.
   */
  static Bytes32 root(long from, long count, List<Bytes32> leaves, List<Bytes32> siblings) {
    int k = leaves.size();
    if (k == 0 || from < 0 || count <= 0 || from > count - k) {
      return null;
    }
    MerkleHasher hasher = new MerkleHasher();
    byte[] nodes = new byte[k * H]; // the known nodes lo..hi of the current level
    for (int i = 0; i < k; i++) {
      System.arraycopy(leaves.get(i).toArrayUnsafe(), 0, nodes, i * H, H);
    }
    byte[] sib = new byte[H];
    long lo = from;
    long hi = from + k - 1;
    long n = count;
    int used = 0;
    while (n > 1) {
      // pair (p, p+1) for p = even positions from lo rounded down to hi; parents go to nodes[j]
      int j = 0;
      for (long p = lo & ~1L; p <= hi; p += 2, j++) {
        boolean leftKnown = p >= lo;
        boolean rightKnown = p + 1 <= hi;
        if (!leftKnown) { // lo is a right child: its left sibling comes from the proof
          if (used == siblings.size()) {
            return null;
          }
          System.arraycopy(siblings.get(used++).toArrayUnsafe(), 0, sib, 0, H);
          hasher.node(sib, 0, nodes, 0, nodes, j * H);
        } else if (rightKnown) {
          int l = (int) (p - lo) * H;
          hasher.node(nodes, l, nodes, l + H, nodes, j * H);
        } else if (p + 1 < n) { // hi is a left child with a partner outside the range
          if (used == siblings.size()) {
            return null;
          }
          System.arraycopy(siblings.get(used++).toArrayUnsafe(), 0, sib, 0, H);
          hasher.node(nodes, (int) (p - lo) * H, sib, 0, nodes, j * H);
        } else { // hi is the unpaired last node: it moves up unchanged
          System.arraycopy(nodes, (int) (p - lo) * H, nodes, j * H, H);
        }
      }
      lo /= 2;
      hi /= 2;
      n = (n + 1) / 2;
    }
    if (used != siblings.size()) {
      return null;
    }
    return Bytes32.wrap(java.util.Arrays.copyOf(nodes, H));
  }
}
