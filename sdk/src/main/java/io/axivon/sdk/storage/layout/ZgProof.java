package io.axivon.sdk.storage.layout;

import io.axivon.common.InvalidInputException;
import io.axivon.common.merkle.InclusionProof;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.apache.tuweni.bytes.Bytes32;

/**
 * A Merkle proof in 0G's JSON shape ({@code {lemma, path}}, shared/reference/0g-rpc.md §2.4):
 * {@code lemma} is the leaf, the siblings bottom up, then the root; {@code path[i]} is true when
 * the path node at level i is a left child (its sibling {@code lemma[i+1]} is on the right). Levels
 * where the path node is unpaired and moves up have no entry. A one-leaf tree has {@code lemma =
 * [root]} and {@code path = []}.
 */
public record ZgProof(List<Bytes32> lemma, List<Boolean> path) {
  public ZgProof {
    lemma = List.copyOf(lemma);
    path = List.copyOf(path);
  }

  /** The 0G form of {@code proof} for {@code leaf} in the tree with this {@code root}. */
  public static ZgProof of(InclusionProof proof, Bytes32 leaf, Bytes32 root) {
    List<Boolean> path = path(proof.leafIndex(), proof.leafCount());
    if (path.size() != proof.siblings().size()) {
      throw new IllegalArgumentException("proof does not match its tree shape");
    }
    if (path.isEmpty()) {
      return new ZgProof(List.of(root), List.of());
    }
    List<Bytes32> lemma = new ArrayList<>(path.size() + 2);
    lemma.add(leaf);
    lemma.addAll(proof.siblings());
    lemma.add(root);
    return new ZgProof(lemma, path);
  }

  /**
   * The path flags for leaf {@code index} of a tree of {@code count} leaves (the tree rule of
   * 0g-file-root.md §4): one per level where the path node has a sibling, bottom up.
   */
  public static List<Boolean> path(long index, long count) {
    if (count <= 0 || index < 0 || index >= count) {
      throw new IllegalArgumentException("leaf " + index + " outside [0, " + count + ")");
    }
    List<Boolean> out = new ArrayList<>();
    for (long p = index, n = count; n > 1; p /= 2, n = (n + 1) / 2) {
      if ((p & 1) == 1) {
        out.add(false); // right child: sibling on the left
      } else if (p + 1 < n) {
        out.add(true); // left child with a partner on the right
      } // else unpaired: moves up, no sibling
    }
    return out;
  }

  /**
   * Checks that this proves {@code leaf} to be leaf {@code index} of a tree of {@code count} leaves
   * with root {@code root}.
   *
   * @throws InvalidInputException saying what does not match
   */
  public void verify(Bytes32 leaf, Bytes32 root, long index, long count) {
    Objects.requireNonNull(leaf, "leaf");
    Objects.requireNonNull(root, "root");
    if (index < 0 || index >= count) {
      throw new InvalidInputException("proof index " + index + " outside [0, " + count + ")");
    }
    List<Boolean> expected = path(index, count);
    if (!path.equals(expected)) {
      throw new InvalidInputException(
          "proof path "
              + path
              + " does not lead to index "
              + index
              + " of "
              + count
              + " (expected "
              + expected
              + ")");
    }
    if (expected.isEmpty()) {
      if (lemma.size() != 1 || !lemma.getFirst().equals(root) || !leaf.equals(root)) {
        throw new InvalidInputException("a one-leaf proof must be [root] and the leaf the root");
      }
      return;
    }
    if (lemma.size() != expected.size() + 2) {
      throw new InvalidInputException(
          "proof lemma has " + lemma.size() + " hashes, expected " + (expected.size() + 2));
    }
    if (!lemma.getFirst().equals(leaf)) {
      throw new InvalidInputException(
          "proof lemma[0] " + lemma.getFirst() + " is not the segment root " + leaf);
    }
    if (!lemma.getLast().equals(root)) {
      throw new InvalidInputException(
          "proof ends at " + lemma.getLast() + ", not at the file root " + root);
    }
    InclusionProof inclusion = new InclusionProof(index, count, lemma.subList(1, lemma.size() - 1));
    if (!inclusion.verify(root, leaf)) {
      throw new InvalidInputException("proof does not hash up to the file root " + root);
    }
  }
}
