package io.axivon.kv.node;

import io.axivon.common.crypto.secp256k1.Address;
import io.axivon.sdk.storage.FlowSubmission;
import io.axivon.sdk.storage.layout.Layout;
import io.axivon.sdk.storage.layout.Submission;
import io.axivon.storage.node.FlowView;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.apache.tuweni.bytes.Bytes32;

/** A flow for tests: submissions appended in order, each with its sender. */
final class TestFlow implements FlowView {
  private final List<FlowSubmission> subs = new ArrayList<>();
  private long log;

  synchronized FlowSubmission submit(Submission s, Address sender) {
    FlowSubmission sub = new FlowSubmission(subs.size(), log, s, sender, subs.size() + 1L);
    subs.add(sub);
    log +=
        (s.sectors() + Layout.SEGMENT_SECTORS - 1)
            / Layout.SEGMENT_SECTORS
            * Layout.SEGMENT_SECTORS;
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
    return new SyncPoint(subs.size(), Bytes32.ZERO);
  }
}
