package io.axivon.consensus.rpc;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;

/**
 * Serializes access to an EVM chain shared by consensus and JSON-RPC. The executor is one thread at
 * a time, so every call holds the lock; and between a block's execution and its commit (which the
 * node may run on different threads) the working state is a block that is not yet indexed, so RPC
 * {@link #read reads} also wait for that window to close. The application side never waits for it
 * (the consensus thread itself must get to the commit).
 */
public final class ChainGuard {
  private final ReentrantLock lock = new ReentrantLock();
  private final Condition idle = lock.newCondition();
  private final long waitMillis;
  private boolean executing;

  /**
   * @param waitMillis how long a read waits for a block to finish before giving up with "busy"
   */
  public ChainGuard(long waitMillis) {
    this.waitMillis = waitMillis;
  }

  public ChainGuard() {
    this(30_000);
  }

  /** Runs an application call under the lock (no waiting for a commit). */
  <T> T app(Supplier<T> body) {
    lock.lock();
    try {
      return body.get();
    } finally {
      lock.unlock();
    }
  }

  /** Runs a block's execution: from its end until {@link #committed} reads wait. */
  <T> T execute(Supplier<T> body) {
    lock.lock();
    try {
      T out = body.get();
      executing = true;
      return out;
    } finally {
      lock.unlock();
    }
  }

  /** Runs the commit and reopens the state to readers. */
  void committed(Runnable commit) {
    lock.lock();
    try {
      commit.run();
      executing = false;
      idle.signalAll();
    } finally {
      lock.unlock();
    }
  }

  /**
   * Runs an RPC read of committed state under the lock, once no block is between execution and
   * commit.
   *
   * @throws RpcException (internal) "execution state busy" after the wait limit
   */
  public <T> T read(Supplier<T> body) {
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(waitMillis);
    try {
      if (!lock.tryLock(waitMillis, TimeUnit.MILLISECONDS)) {
        throw busy();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new RpcException(RpcException.INTERNAL, "interrupted");
    }
    try {
      while (executing) {
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          throw busy();
        }
        idle.awaitNanos(left);
      }
      return body.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new RpcException(RpcException.INTERNAL, "interrupted");
    } finally {
      lock.unlock();
    }
  }

  private static RpcException busy() {
    return new RpcException(RpcException.INTERNAL, "execution state busy, try again");
  }
}
