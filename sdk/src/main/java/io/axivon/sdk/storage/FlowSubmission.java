package io.axivon.sdk.storage;

import io.axivon.common.crypto.secp256k1.Address;
import io.axivon.sdk.storage.layout.FileLayout;
import io.axivon.sdk.storage.layout.Layout;
import io.axivon.sdk.storage.layout.Submission;
import java.util.Objects;
import org.apache.tuweni.bytes.Bytes;
import org.apache.tuweni.bytes.Bytes32;

/**
 * A file submitted to the flow, as a storage node learns it from the chain's Submit event.
 *
 * @param txSeq the submission index ({@code submissionIndex})
 * @param startEntryIndex the flow position, in sectors, where its first node starts ({@code
 *     startPos})
 * @param submission the submission itself (length, tags, nodes)
 * @param sender who submitted it ({@link #UNKNOWN_SENDER} where no chain event is behind it)
 * @param blockNumber the chain block of the Submit event (0 where none)
 */
public record FlowSubmission(
    long txSeq, long startEntryIndex, Submission submission, Address sender, long blockNumber) {
  /** The zero address, for submissions not read from the chain (tests, tools). */
  public static final Address UNKNOWN_SENDER = new Address(Bytes.wrap(new byte[Address.SIZE]));

  public FlowSubmission {
    Objects.requireNonNull(submission, "submission");
    Objects.requireNonNull(sender, "sender");
    if (txSeq < 0 || startEntryIndex < 0 || blockNumber < 0) {
      throw new IllegalArgumentException(
          "txSeq, startEntryIndex and blockNumber must be non-negative");
    }
  }

  /** A submission with no chain event behind it (unknown sender, block 0). */
  public FlowSubmission(long txSeq, long startEntryIndex, Submission submission) {
    this(txSeq, startEntryIndex, submission, UNKNOWN_SENDER, 0);
  }

  /** The file root, folded from the submission's nodes as the 0G node does. */
  public Bytes32 root() {
    return submission.root();
  }

  /** The file size in bytes. */
  public long size() {
    return submission.length();
  }

  /** The padded sector count the flow charged and appended (Σ 2^height). */
  public long sectors() {
    return submission.sectors();
  }

  public FileLayout layout() {
    return new FileLayout(submission.length());
  }

  /** The global (flow-wide) number of the file's segment {@code index}, which sharding uses. */
  public long globalSegment(long index) {
    return startEntryIndex / Layout.SEGMENT_SECTORS + index;
  }
}
