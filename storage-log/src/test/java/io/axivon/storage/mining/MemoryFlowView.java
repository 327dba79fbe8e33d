package io.axivon.storage.mining;

import io.axivon.sdk.storage.FlowSubmission;
import io.axivon.sdk.storage.layout.Submission;
import io.axivon.storage.node.FlowView;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.apache.tuweni.bytes.Bytes32;

/** A flow for tests: submissions appended in order, each first node aligned to its own size. */
final class MemoryFlowView implements FlowView {
  private final List<FlowSubmission> subs = new ArrayList<>();
  private long length;

  synchronized FlowSubmission submit(Submission submission) {
    long first = submission.nodes().getFirst().leafCount();
    long start = (length + first - 1) / first * first;
    FlowSubmission sub = new FlowSubmission(subs.size(), start, submission);
    subs.add(sub);
    length = start + submission.sectors();
    return sub;
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
    return new SyncPoint(1, Bytes32.ZERO);
  }
}
