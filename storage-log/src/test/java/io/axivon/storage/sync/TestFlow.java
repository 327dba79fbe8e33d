package io.axivon.storage.sync;

import io.axivon.sdk.storage.FlowSubmission;
import io.axivon.sdk.storage.layout.Submission;
import io.axivon.storage.node.FlowView;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.apache.tuweni.bytes.Bytes32;

/** A flow for sync tests, shared by several nodes: submissions appended in order, aligned. */
final class TestFlow implements FlowView {
  private final List<FlowSubmission> subs = new ArrayList<>();
  private long logLength; // sectors

  synchronized FlowSubmission submit(Submission submission) {
    long first = submission.nodes().getFirst().leafCount();
    long start = (logLength + first - 1) / first * first; // the contract aligns the first node
    FlowSubmission sub = new FlowSubmission(subs.size(), start, submission);
    subs.add(sub);
    logLength = start + submission.sectors();
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
