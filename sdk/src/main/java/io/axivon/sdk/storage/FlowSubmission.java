package io.axivon.sdk.storage;

import io.axivon.sdk.storage.layout.FileLayout;
import io.axivon.sdk.storage.layout.Layout;
import io.axivon.sdk.storage.layout.Submission;
import java.util.Objects;
import org.apache.tuweni.bytes.Bytes32;

/**
 * A file submitted to the flow, as a storage node learns it from the chain's Submit event.
 *
 * @param txSeq the submission index ({@code submissionIndex})
 * @param startEntryIndex the flow position, in sectors, where its first node starts ({@code
 *     startPos})
 * @param submission the submission itself (length, tags, nodes)
 */
public record FlowSubmission(long txSeq, long startEntryIndex, Submission submission) {
  public FlowSubmission {
    Objects.requireNonNull(submission, "submission");
    if (txSeq < 0 || startEntryIndex < 0) {
      throw new IllegalArgumentException("txSeq and startEntryIndex must be non-negative");
    }
  }

  /** The file root, folded from the submission's nodes as the 0G node does. */
  public Bytes32 root() {
    return submission.root();
  }

  /** The file size in bytes. */
  public long size() {
    return submission.length();
  }

  public FileLayout layout() {
    return new FileLayout(submission.length());
  }

  /** The global (flow-wide) number of the file's segment {@code index}, which sharding uses. */
  public long globalSegment(long index) {
    return startEntryIndex / Layout.SEGMENT_SECTORS + index;
  }
}
