package io.axivon.consensus.cluster;

import io.axivon.consensus.types.SetChange;
import java.util.List;

/**
 * Chain 0's validator-set changes that a proposer of chain i &gt; 0 puts into its next block,
 * oldest first. The application asks on its consensus thread, reading its own trusted height to
 * leave out what the chain already follows.
 */
@FunctionalInterface
public interface SetChangeSource {
  /** No changes: chain 0 itself, or a chain outside a cluster. */
  SetChangeSource NONE = trustedFromHeight -> List.of();

  /**
   * The changes that take effect above {@code trustedFromHeight} (the chain-0 height from which the
   * chain's trusted set signs), oldest first.
   */
  List<SetChange> after(long trustedFromHeight);
}
