package io.axivon.storage.node;

import io.axivon.sdk.storage.FlowSubmission;
import java.util.List;
import java.util.Optional;
import org.apache.tuweni.bytes.Bytes32;

/**
 * What a storage node knows of the flow on chain: the submissions synced so far. A node accepts
 * segments only for files listed here. Implementations: {@link
 * io.axivon.storage.flow.ChainFlowView}, which follows the flow module's events over JSON-RPC, and
 * small in-memory ones in tests. Must be thread-safe.
 */
public interface FlowView {
  /** The submission with this sequence number, once synced. */
  Optional<FlowSubmission> byTxSeq(long txSeq);

  /** Every synced submission with this root, in tx seq order (roots may repeat). */
  List<FlowSubmission> byRoot(Bytes32 root);

  /** The sequence number the next submission will get (the number synced so far). */
  long nextTxSeq();

  /** The chain block the view is synced to. */
  SyncPoint syncPoint();

  /** A block height and its hash. */
  record SyncPoint(long height, Bytes32 blockHash) {}
}
