package io.axivon.common.merkle;

import java.util.Objects;
import org.apache.tuweni.bytes.Bytes32;

/**
 * The root of a perfect subtree of {@code 2^height} consecutive leaves. A tree of n leaves is the
 * right fold of the subtrees for the 1-bits of n, largest first; 0G calls them the nodes of a flow
 * submission.
 */
public record Subtree(Bytes32 root, int height) {
  public Subtree {
    Objects.requireNonNull(root, "root");
    if (height < 0 || height > 63) {
      throw new IllegalArgumentException("height must be in [0, 63], got " + height);
    }
  }

  /** How many leaves it covers. */
  public long leafCount() {
    return 1L << height;
  }
}
