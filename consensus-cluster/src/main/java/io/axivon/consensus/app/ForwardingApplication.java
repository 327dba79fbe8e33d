package io.axivon.consensus.app;

import io.axivon.consensus.types.Block;
import java.util.List;
import java.util.Objects;
import org.apache.tuweni.bytes.Bytes;
import org.apache.tuweni.bytes.Bytes32;

/**
 * An {@link Application} that passes every call to another: the base of the decorators that change
 * a few calls (optimistic execution, the node's evidence checks) and must pass the rest, including
 * those added to the interface later, unchanged.
 */
public abstract class ForwardingApplication implements Application {
  private final Application app;

  protected ForwardingApplication(Application app) {
    this.app = Objects.requireNonNull(app, "app");
  }

  /** The application the calls go to. */
  protected final Application delegate() {
    return app;
  }

  @Override
  public Bytes32 txHash(Bytes tx) {
    return app.txHash(tx);
  }

  @Override
  public TxCheck checkTx(Bytes tx) {
    return app.checkTx(tx);
  }

  @Override
  public List<TxCheck> checkTxs(List<Bytes> txs) {
    return app.checkTxs(txs);
  }

  @Override
  public List<TxCheck> recheckTxs(List<Bytes> txs, List<Object> memos) {
    return app.recheckTxs(txs, memos);
  }

  @Override
  public ProposalBody prepareProposal(long height, long maxBytes) {
    return app.prepareProposal(height, maxBytes);
  }

  @Override
  public boolean processProposal(Block block) {
    return app.processProposal(block);
  }

  @Override
  public FinalizeResult finalizeBlock(Block block) {
    return app.finalizeBlock(block);
  }

  @Override
  public void commit() {
    app.commit();
  }

  @Override
  public long committedHeight() {
    return app.committedHeight();
  }

  @Override
  public boolean canDiscardBlock() {
    return app.canDiscardBlock();
  }

  @Override
  public void discardBlock() {
    app.discardBlock();
  }
}
