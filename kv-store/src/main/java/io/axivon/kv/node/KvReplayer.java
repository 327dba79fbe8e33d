package io.axivon.kv.node;

import io.axivon.kv.replay.TxResult;
import io.axivon.kv.store.KvStore;
import io.axivon.kv.tx.KvTags;
import io.axivon.sdk.storage.FlowSubmission;
import io.axivon.storage.node.FlowView;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.apache.tuweni.bytes.Bytes;
import org.apache.tuweni.bytes.Bytes32;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Feeds the flow's submissions to the {@link KvStore} in tx seq order, from its cursor on
 * (specs/kv.md section 3), many submissions per LMDB write transaction. Not thread-safe: one thread
 * drives it.
 */
public final class KvReplayer {
  private static final Logger LOG = LoggerFactory.getLogger(KvReplayer.class);

  /** Largest KV transaction replayed; a larger file is recorded as failed, unread. */
  public static final long MAX_TX_BYTES = 256L << 20;

  private final FlowView flow;
  private final DataSource data;
  private final KvStore store;
  private final StreamFilter held;
  private final KvMetrics metrics;

  public KvReplayer(FlowView flow, DataSource data, KvStore store, StreamFilter held) {
    this(flow, data, store, held, KvMetrics.unregistered());
  }

  public KvReplayer(
      FlowView flow, DataSource data, KvStore store, StreamFilter held, KvMetrics metrics) {
    this.flow = Objects.requireNonNull(flow, "flow");
    this.data = Objects.requireNonNull(data, "data");
    this.store = Objects.requireNonNull(store, "store");
    this.held = Objects.requireNonNull(held, "held");
    this.metrics = Objects.requireNonNull(metrics, "metrics");
  }

  /** Most submissions handled in one LMDB write transaction. */
  static final int MAX_BATCH = 512;

  /** Most downloaded bytes held for one batch. */
  static final long MAX_BATCH_BYTES = 64L << 20;

  /**
   * Handles every submission from the cursor on that it can, up to the flow's head or the first one
   * of ours whose data no storage node serves yet, committing a batch at a time.
   *
   * @return the submissions handled (replayed, failed or passed over)
   */
  public int replayAvailable() throws IOException {
    int total = 0;
    while (true) {
      long seq = store.nextTxSeq();
      List<KvStore.Step> batch = new ArrayList<>();
      long bytes = 0;
      boolean blocked = false;
      while (batch.size() < MAX_BATCH && bytes < MAX_BATCH_BYTES) {
        Optional<KvStore.Step> step = plan(seq);
        if (step.isEmpty()) {
          blocked = true;
          break;
        }
        batch.add(step.get());
        if (step.get() instanceof KvStore.Step.Apply a) {
          bytes += a.data().size();
        }
        seq++;
      }
      if (!batch.isEmpty()) {
        List<TxResult> results = store.replay(batch, held);
        int skipped = 0;
        for (int i = 0; i < batch.size(); i++) {
          if (results.get(i) != null) {
            LOG.debug("KV transaction {}: {}", batch.get(i).txSeq(), results.get(i).text());
            metrics.replayed(results.get(i));
          } else {
            skipped++;
          }
        }
        metrics.skipped(skipped);
        total += batch.size();
      }
      if (blocked) {
        metrics.progress(seq, flow.nextTxSeq());
        return total;
      }
    }
  }

  /**
   * Whether the next submission to replay is on the flow already, so replay waits for its data (an
   * upload that follows the submission) rather than for the chain.
   */
  public boolean waitingForData() {
    return flow.byTxSeq(store.nextTxSeq()).isPresent();
  }

  /** What to do with submission {@code seq}; empty if it is not there yet, or its data is not. */
  private Optional<KvStore.Step> plan(long seq) throws IOException {
    Optional<FlowSubmission> next = flow.byTxSeq(seq);
    if (next.isEmpty()) {
      return Optional.empty();
    }
    FlowSubmission sub = next.get();
    Optional<List<Bytes32>> streams = KvTags.decode(sub.submission().tags());
    if (streams.isEmpty() || !held.anyHeld(streams.get())) {
      return Optional.of(new KvStore.Step.Skip(seq));
    }
    if (sub.size() > MAX_TX_BYTES) {
      // never downloaded: recorded like any malformed data
      return Optional.of(
          new KvStore.Step.Fail(
              seq,
              new TxResult.DataParseError(
                  "KV transaction of "
                      + sub.size()
                      + " bytes exceeds this node's limit of "
                      + MAX_TX_BYTES)));
    }
    Optional<Bytes> fetched = data.fetch(sub);
    if (fetched.isEmpty()) {
      return Optional.empty();
    }
    Bytes bytes = fetched.get();
    if (bytes.size() != sub.size()) {
      throw new IOException(
          "data source returned "
              + bytes.size()
              + " bytes for submission "
              + seq
              + " of "
              + sub.size()
              + " bytes");
    }
    return Optional.of(new KvStore.Step.Apply(seq, sub.sender(), streams.get(), bytes));
  }
}
