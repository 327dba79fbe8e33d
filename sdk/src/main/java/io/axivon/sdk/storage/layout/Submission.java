package io.axivon.sdk.storage.layout;

import io.axivon.common.merkle.MerkleHasher;
import io.axivon.common.merkle.Subtree;
import java.util.List;
import java.util.Objects;
import org.apache.tuweni.bytes.Bytes;
import org.apache.tuweni.bytes.Bytes32;

/**
 * A file's flow submission (0G's {@code Submission}): its length in bytes, free-form tags, and the
 * perfect subtrees of the padded sector tree, largest first (at most four).
 *
 * @param length the file size in bytes, without padding
 * @param tags uploader's bytes, part of no root
 * @param nodes one node per 1-bit of the padded sector count, largest first
 */
public record Submission(long length, Bytes tags, List<Subtree> nodes) {
  public Submission {
    Objects.requireNonNull(tags, "tags");
    nodes = List.copyOf(nodes);
    if (length <= 0) {
      throw new IllegalArgumentException("length must be positive, got " + length);
    }
    if (nodes.isEmpty() || nodes.size() > 64) {
      throw new IllegalArgumentException("a submission has 1 to 64 nodes, got " + nodes.size());
    }
    for (int i = 1; i < nodes.size(); i++) {
      if (nodes.get(i).height() >= nodes.get(i - 1).height()) {
        throw new IllegalArgumentException("submission node heights must strictly decrease");
      }
    }
  }

  /** The padded sector count, Σ 2^height (what the storage fee is charged on). */
  public long sectors() {
    long total = 0;
    for (Subtree node : nodes) {
      total += node.leafCount();
    }
    return total;
  }

  /** The file root: the node roots folded from the right, {@code P(r1, P(r2, ...))}. */
  public Bytes32 root() {
    MerkleHasher hasher = new MerkleHasher();
    Bytes32 acc = nodes.getLast().root();
    for (int i = nodes.size() - 2; i >= 0; i--) {
      acc = hasher.node(nodes.get(i).root(), acc);
    }
    return acc;
  }

  /** The same submission with other tags. */
  public Submission withTags(Bytes newTags) {
    return new Submission(length, newTags, nodes);
  }
}
