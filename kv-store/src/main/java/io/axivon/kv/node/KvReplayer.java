package io.axivon.kv.node;

import io.axivon.kv.replay.TxResult;
import io.axivon.kv.store.KvStore;
import io.axivon.kv.tx.KvTags;
import io.axivon.sdk.storage.FlowSubmission;
import io.axivon.storage.node.FlowView;
import java.io.IOException;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.apache.tuweni.bytes.Bytes;
import org.apache.tuweni.bytes.Bytes32;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Feeds the flow's submissions to the {@link KvStore} in tx seq order, from its cursor on
 * (specs/kv.md section 3). Not thread-safe: one thread drives it.
 */
public final class KvReplayer {
  private static final Logger LOG = LoggerFactory.getLogger(KvReplayer.class);

  /** Largest KV transaction replayed; a larger file is recorded as failed, unread. */
  public static final long MAX_TX_BYTES = 256L << 20;

  private final FlowView flow;
  private final DataSource data;
  private final KvStore store;
  private final StreamFilter held;

  public KvReplayer(FlowView flow, DataSource data, KvStore store, StreamFilter held) {
    this.flow = Objects.requireNonNull(flow, "flow");
    this.data = Objects.requireNonNull(data, "data");
    this.store = Objects.requireNonNull(store, "store");
    this.held = Objects.requireNonNull(held, "held");
  }

  /** What one step did. */
  public enum Step {
    /** A KV transaction of a held stream was replayed. */
    REPLAYED,
    /** A submission that is not for this node was passed over. */
    SKIPPED,
    /** The flow has no next submission yet. */
    AT_HEAD,
    /** The next submission is ours but no storage node serves its data yet. */
    WAITING_FOR_DATA
  }

  /** Handles the submission at the cursor, if it can. */
  public Step step() throws IOException {
    long seq = store.nextTxSeq();
    Optional<FlowSubmission> next = flow.byTxSeq(seq);
    if (next.isEmpty()) {
      return Step.AT_HEAD;
    }
    FlowSubmission sub = next.get();
    Optional<List<Bytes32>> streams = KvTags.decode(sub.submission().tags());
    if (streams.isEmpty() || !held.anyHeld(streams.get())) {
      store.skip(seq);
      return Step.SKIPPED;
    }
    Bytes bytes;
    if (sub.size() > MAX_TX_BYTES) {
      // never downloaded: the failure reason is recorded like any malformed data
      bytes = null;
    } else {
      Optional<Bytes> fetched = data.fetch(sub);
      if (fetched.isEmpty()) {
        return Step.WAITING_FOR_DATA;
      }
      bytes = fetched.get();
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
    }
    TxResult result =
        bytes == null
            ? store.fail(
                seq,
                new TxResult.DataParseError(
                    "KV transaction of "
                        + sub.size()
                        + " bytes exceeds this node's limit of "
                        + MAX_TX_BYTES))
            : store.apply(seq, sub.sender(), streams.get(), bytes, held);
    LOG.debug("replayed KV transaction {}: {}", seq, result.text());
    return Step.REPLAYED;
  }

  /** Steps until the flow's head or a submission whose data is not there yet; the steps taken. */
  public int replayAvailable() throws IOException {
    int n = 0;
    while (true) {
      Step s = step();
      if (s == Step.AT_HEAD || s == Step.WAITING_FOR_DATA) {
        return n;
      }
      n++;
    }
  }
}
