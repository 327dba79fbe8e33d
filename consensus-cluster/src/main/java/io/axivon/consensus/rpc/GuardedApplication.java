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
 * An {@link Application} whose calls go through a {@link ChainGuard} shared with {@link
 * ChainBackend}, because the EVM executor is one thread at a time while RPC reads come from many:
 * RPC never runs during a call, nor sees the state of a block that is executed but not yet
 * committed and indexed.
 */
public final class GuardedApplication extends ForwardingApplication {
  private final ChainGuard guard;

  public GuardedApplication(Application app, ChainGuard guard) {
    super(app);
    this.guard = guard;
  }

  // Each call on transactions prepares them (sender recovery) before it takes the lock: the
  // expensive, stateless part runs in parallel with other RPC calls and with block execution.

  // prepareTransactions and txHash are stateless: forwarded without the lock.

  @Override
  public TxCheck checkTx(Bytes tx) {
    delegate().prepareTransactions(List.of(tx));
    return guard.app(() -> delegate().checkTx(tx));
  }

  /** One preparation for the whole batch, then one turn of the guard rather than one per tx. */
  @Override
  public List<TxCheck> checkTxs(List<Bytes> txs) {
    delegate().prepareTransactions(txs);
    return guard.app(() -> delegate().checkTxs(txs));
  }

  @Override
  public ProposalBody prepareProposal(long height, long maxBytes) {
    return guard.app(() -> delegate().prepareProposal(height, maxBytes));
  }

  @Override
  public boolean processProposal(Block block) {
    delegate().prepareTransactions(block.transactions());
    return guard.app(() -> delegate().processProposal(block));
  }

  @Override
  public FinalizeResult finalizeBlock(Block block) {
    delegate().prepareTransactions(block.transactions());
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
