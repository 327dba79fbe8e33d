package io.axivon.consensus.mempool;

import org.apache.tuweni.bytes.Bytes32;

/** What {@link Mempool#add} did with a transaction. */
public sealed interface AddResult {
  /**
   * Held now; {@code executable} when it continues its sender's run from the committed next nonce
   * without a gap (so it can be proposed), otherwise it waits in the sender's future queue.
   */
  record Added(Bytes32 hash, boolean executable) implements AddResult {}

  /** Already held. */
  record Duplicate(Bytes32 hash) implements AddResult {}

  /** Refused, with the reason for the submitter (the checker's own reasons pass through). */
  record Rejected(String reason) implements AddResult {}
}
