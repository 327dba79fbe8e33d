package io.axivon.consensus.app;

import io.axivon.consensus.types.Block;
import org.apache.tuweni.bytes.Bytes;

/**
 * Runs every call of an application that is not thread-safe under one lock: the consensus thread
 * executes blocks while network and RPC threads check transactions for the mempool, and a check
 * must never read a block's half-written state.
 */
public final class SerializedApplication implements Application {
  private final Application app;

  public SerializedApplication(Application app) {
    this.app = app;
  }

  @Override
  public synchronized TxCheck checkTx(Bytes tx) {
    return app.checkTx(tx);
  }

  @Override
  public synchronized ProposalBody prepareProposal(long height, long maxBytes) {
    return app.prepareProposal(height, maxBytes);
  }

  @Override
  public synchronized boolean processProposal(Block block) {
    return app.processProposal(block);
  }

  @Override
  public synchronized FinalizeResult finalizeBlock(Block block) {
    return app.finalizeBlock(block);
  }

  @Override
  public synchronized void commit() {
    app.commit();
  }

  @Override
  public synchronized long committedHeight() {
    return app.committedHeight();
  }
}
