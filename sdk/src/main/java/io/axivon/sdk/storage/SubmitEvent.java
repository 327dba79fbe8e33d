package io.axivon.sdk.storage;

import io.axivon.common.crypto.secp256k1.Address;
import io.axivon.sdk.storage.layout.Submission;
import java.util.Objects;
import org.apache.tuweni.bytes.Bytes32;

/**
 * One decoded {@code Submit} event of the flow.
 *
 * @param sender the submitting account (indexed)
 * @param identity keccak256 of the node roots (indexed)
 * @param submissionIndex the tx seq
 * @param startPos the flow sector index of the first node
 * @param length the padded sector count, Σ 2^height
 * @param submission the submitted tuple
 * @param blockNumber the block of the event
 * @param transactionHash the transaction that emitted it
 * @param logIndex the log's index in its block
 */
public record SubmitEvent(
    Address sender,
    Bytes32 identity,
    long submissionIndex,
    long startPos,
    long length,
    Submission submission,
    long blockNumber,
    Bytes32 transactionHash,
    long logIndex) {
  public SubmitEvent {
    Objects.requireNonNull(sender, "sender");
    Objects.requireNonNull(identity, "identity");
    Objects.requireNonNull(submission, "submission");
    Objects.requireNonNull(transactionHash, "transactionHash");
  }

  /** The file root recomputed from the nodes. */
  public Bytes32 root() {
    return submission.root();
  }

  /** The submission as a storage node keeps it. */
  public FlowSubmission toFlowSubmission() {
    return new FlowSubmission(submissionIndex, startPos, submission, sender, blockNumber);
  }
}
