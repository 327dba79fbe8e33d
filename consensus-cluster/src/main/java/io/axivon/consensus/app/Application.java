package io.axivon.consensus.app;

import io.axivon.common.crypto.Hashes;
import io.axivon.consensus.types.Block;
import java.util.ArrayList;
import java.util.List;
import org.apache.tuweni.bytes.Bytes;
import org.apache.tuweni.bytes.Bytes32;

/**
 * The replicated application behind consensus, in the spirit of ABCI++. Consensus orders opaque
 * transactions; the application gives them meaning. Consensus calls come one at a time, in order
 * (from one thread, except that {@link OptimisticExecution} runs a proposal's {@link
 * #finalizeBlock} on a thread of its own, never alongside another consensus call), and must be
 * deterministic: every honest node runs the same calls on the same blocks.
 */
public interface Application {
  /**
   * The hash the mempool keys {@code tx} by: always Keccak-256 of the bytes. An application that
   * decodes transactions may answer from what it already holds, so that a transaction is hashed
   * once on its way to a block. Thread-safe: it may come from any thread, at the same time as the
   * other calls.
   */
  default Bytes32 txHash(Bytes tx) {
    return Hashes.keccak256(tx);
  }

  /** Whether {@code tx} may enter the mempool, checked against the last committed state. */
  TxCheck checkTx(Bytes tx);

  /**
   * The verdicts of {@link #checkTx} on each of {@code txs} in turn, in order, against the same
   * state: the mempool's re-check of everything it holds after a block. An application that reads
   * state per transaction answers a batch for less (one lock, each sender's account read once). The
   * default asks {@link #checkTx} for each.
   */
  default List<TxCheck> checkTxs(List<Bytes> txs) {
    List<TxCheck> out = new ArrayList<>(txs.size());
    for (Bytes tx : txs) {
      out.add(checkTx(tx));
    }
    return out;
  }

  /**
   * The mempool's re-check of everything it holds after a block: the verdicts of {@link #checkTxs}
   * on {@code txs}, given with {@code memos[i]}, the memo of {@code txs[i]}'s last accepted verdict
   * from this application ({@link TxCheck.Accepted#memo}, null where there was none). An
   * application that decodes transactions takes them from there instead of finding them again. The
   * default ignores the memos.
   */
  default List<TxCheck> recheckTxs(List<Bytes> txs, List<Object> memos) {
    return checkTxs(txs);
  }

  /**
   * The transactions (at most {@code maxBytes} in total) and the block time to propose at {@code
   * height}. The time must be later than the parent block's.
   */
  ProposalBody prepareProposal(long height, long maxBytes);

  /**
   * Whether a proposed block is acceptable (transactions and time); an honest node prevotes nil on
   * false.
   */
  boolean processProposal(Block block);

  /** Executes a decided block: the new app hash and validator updates for the next height. */
  FinalizeResult finalizeBlock(Block block);

  /**
   * Whether the state {@link #finalizeBlock} leaves can be dropped before {@link #commit} ({@link
   * #discardBlock}). An application that can lets its node execute a proposal while consensus
   * collects the votes on it ({@link OptimisticExecution}). The default: it cannot.
   */
  default boolean canDiscardBlock() {
    return false;
  }

  /**
   * Drops whatever the last {@link #finalizeBlock} (complete or failed part-way) did to the state,
   * back to the last committed state, as if it had never run: the block executed optimistically was
   * not the one decided. Only where {@link #canDiscardBlock}; a no-op when nothing runs above the
   * committed state.
   */
  default void discardBlock() {
    throw new UnsupportedOperationException("this application cannot drop an executed block");
  }

  /**
   * Makes the state after the last finalized block durable. The node calls it after it has stored
   * the block, never before.
   */
  void commit();

  /**
   * The height of the last block {@link #commit committed} durably, 0 for none. On start the node
   * replays its stored blocks above it, so an in-memory application (the default) is rebuilt.
   */
  default long committedHeight() {
    return 0;
  }
}
