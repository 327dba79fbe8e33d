package io.axivon.consensus.rpc;

import io.axivon.consensus.app.Application;
import io.axivon.consensus.app.FinalizeResult;
import io.axivon.consensus.app.ForwardingApplication;
import io.axivon.consensus.app.ProposalBody;
import io.axivon.consensus.app.TxCheck;
import io.axivon.consensus.types.Block;
import java.util.List;
import org.apache.tuweni.bytes.Bytes;

/**
 * An {@link Application} whose calls on the executor go through a {@link ChainGuard} shared with
 * the node, because the EVM executor is one thread at a time and a proposal's optimistic execution
 * runs on a thread of its own. Transaction checks are forwarded without it: the EVM application
 * checks against the committed head without the executor.
 */
public final class GuardedApplication extends ForwardingApplication {
  private final ChainGuard guard;

  public GuardedApplication(Application app, ChainGuard guard) {
    super(app);
    this.guard = guard;
  }

  // Each check of transactions prepares them (sender recovery) before it takes the lock: the
  // expensive, stateless part runs in parallel with other RPC calls and with block execution.

  // prepareTransactions and txHash are stateless: forwarded without the lock.

  // Checks take no lock either: the EVM application checks against the committed head without
  // the executor (EvmApplication#checkTx), and a check that waited for a block's execution held up
  // every submission and gossiped transaction for as long as it ran.

  @Override
  public TxCheck checkTx(Bytes tx) {
    delegate().prepareTransactions(List.of(tx));
    return delegate().checkTx(tx);
  }

  /** One preparation for the whole batch. */
  @Override
  public List<TxCheck> checkTxs(List<Bytes> txs) {
    delegate().prepareTransactions(txs);
    return delegate().checkTxs(txs);
  }

  @Override
  public ProposalBody prepareProposal(long height, long maxBytes) {
    return guard.app(() -> delegate().prepareProposal(height, maxBytes));
  }

  // A block's transactions are not prepared here: the checker of the gossip that brought them
  // already recovered their senders, and the application recovers any that are new on every core
  // as it decodes the block (SenderCache.decodeAll), where preparing first cost a second lookup of
  // each transaction.

  @Override
  public boolean processProposal(Block block) {
    return guard.app(() -> delegate().processProposal(block));
  }

  @Override
  public FinalizeResult finalizeBlock(Block block) {
    return guard.execute(() -> delegate().finalizeBlock(block));
  }

  @Override
  public void commit() {
    guard.committed(delegate()::commit);
  }

  /** Reopens the state to readers, as a commit does: it is the committed state again. */
  @Override
  public void discardBlock() {
    guard.committed(delegate()::discardBlock);
  }

  @Override
  public long committedHeight() {
    return guard.app(delegate()::committedHeight);
  }
}
