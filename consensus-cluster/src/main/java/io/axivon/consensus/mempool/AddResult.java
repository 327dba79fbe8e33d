package io.axivon.consensus.mempool;

import org.apache.tuweni.bytes.Bytes32;

/** TEMPORARY stand-in until the store branch's mempool is merged. */
public sealed interface AddResult {
  record Added(Bytes32 hash, boolean executable) implements AddResult {}

  record Duplicate(Bytes32 hash) implements AddResult {}

  record Rejected(String reason) implements AddResult {}
}
