package io.axivon.storage.node;

import io.axivon.sdk.storage.FlowSubmission;
import io.axivon.sdk.storage.layout.Layout;
import io.axivon.sdk.storage.layout.Submission;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.apache.tuweni.bytes.Bytes32;

/**
 * A flow for tests, which several nodes may share: submissions appended in order, each node aligned
 * to its own size, at a fixed sync point.
 */
public final class InMemoryFlowView implements FlowView {
  private final List<FlowSubmission> subs = new ArrayList<>();
  private final SyncPoint syncPoint;
  private long logLength; // sectors

  /** At sync point 42, block hash {@code 0xabab…}. */
  public InMemoryFlowView() {
    this(new SyncPoint(42, Bytes32.fromHexString("0x" + "ab".repeat(32))));
  }

  public InMemoryFlowView(SyncPoint syncPoint) {
    this.syncPoint = syncPoint;
  }

  public synchronized FlowSubmission submit(Submission submission) {
    long first = submission.nodes().getFirst().leafCount();
    long start = (logLength + first - 1) / first * first; // the contract pads to align the node
    FlowSubmission sub = new FlowSubmission(subs.size(), start, submission);
    subs.add(sub);
    logLength = start + submission.sectors();
    return sub;
  }

  /** Moves the log on so the next file starts at {@code sectors}, for shard tests. */
  synchronized void skipTo(long sectors) {
    logLength = Math.max(logLength, sectors);
  }

  @Override
  public synchronized Optional<FlowSubmission> byTxSeq(long txSeq) {
    return txSeq < subs.size() ? Optional.of(subs.get((int) txSeq)) : Optional.empty();
  }

  @Override
  public synchronized List<FlowSubmission> byRoot(Bytes32 root) {
    return subs.stream().filter(s -> s.root().equals(root)).toList();
  }

  @Override
  public synchronized long nextTxSeq() {
    return subs.size();
  }

  @Override
  public SyncPoint syncPoint() {
    return syncPoint;
  }

  static long segmentsOf(long sectors) {
    return (sectors + Layout.SEGMENT_SECTORS - 1) / Layout.SEGMENT_SECTORS;
  }
}
