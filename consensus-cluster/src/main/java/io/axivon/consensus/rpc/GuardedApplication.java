package io.axivon.consensus.rpc;

import io.axivon.consensus.app.Application;
import io.axivon.consensus.app.FinalizeResult;
import io.axivon.consensus.app.ProposalBody;
import io.axivon.consensus.app.TxCheck;
import io.axivon.consensus.types.Block;
import java.util.concurrent.locks.ReentrantLock;
import org.apache.tuweni.bytes.Bytes;

/**
 * An {@link Application} whose calls hold a lock shared with {@link ChainBackend}, because the EVM
 * executor is one thread at a time while RPC reads come from many. The lock is taken at {@link
 * #finalizeBlock} and released at {@link #commit} (both on the consensus thread), so RPC never sees
 * the state of a block that is executed but not yet committed and indexed.
 */
public final class GuardedApplication implements Application {
  private final Application app;
  private final ReentrantLock lock;

  public GuardedApplication(Application app, ReentrantLock lock) {
    this.app = app;
    this.lock = lock;
  }

  @Override
  public TxCheck checkTx(Bytes tx) {
    lock.lock();
    try {
      return app.checkTx(tx);
    } finally {
      lock.unlock();
    }
  }

  @Override
  public ProposalBody prepareProposal(long height, long maxBytes) {
    lock.lock();
    try {
      return app.prepareProposal(height, maxBytes);
    } finally {
      lock.unlock();
    }
  }

  @Override
  public boolean processProposal(Block block) {
    lock.lock();
    try {
      return app.processProposal(block);
    } finally {
      lock.unlock();
    }
  }

  @Override
  public FinalizeResult finalizeBlock(Block block) {
    boolean took = !lock.isHeldByCurrentThread();
    if (took) {
      lock.lock();
    }
    try {
      return app.finalizeBlock(block); // still held on success: released by commit
    } catch (RuntimeException | Error e) {
      if (took) {
        lock.unlock();
      }
      throw e;
    }
  }

  @Override
  public void commit() {
    if (!lock.isHeldByCurrentThread()) {
      lock.lock();
    }
    try {
      app.commit();
    } finally {
      while (lock.isHeldByCurrentThread()) {
        lock.unlock();
      }
    }
  }

  @Override
  public long committedHeight() {
    lock.lock();
    try {
      return app.committedHeight();
    } finally {
      lock.unlock();
    }
  }
}
