package io.axivon.consensus.execution.evm;

import io.axivon.consensus.execution.system.SystemModules;
import io.horizen.evm.BlockHashCallback;
import io.horizen.evm.LevelDBDatabase;
import java.util.ArrayDeque;
import java.util.function.Function;
import org.apache.tuweni.bytes.Bytes32;

/**
 * Read-only {@link LibEvmView}s of a {@link LibEvmExecutor}'s database, for readers on any thread
 * (JSON-RPC). Views of the head's state are kept for reuse, a few per concurrent reader, so a call
 * costs no StateDB opening and finds the accounts it read before already loaded; a new root retires
 * them. Views of other (past) roots are opened per use. A view is reopened after {@link #MAX_USES}
 * uses, which bounds what libevm caches in one.
 */
public final class LibEvmViews implements AutoCloseable {
  static final int MAX_USES = 10_000;
  private static final int MAX_IDLE = 8;

  private final LevelDBDatabase db;
  private final BlockHashCallback blockHashes;
  private final SystemModules modules;
  // Guarded by this; the views themselves are used outside the lock, one thread each.
  private final ArrayDeque<LibEvmView> idle = new ArrayDeque<>();
  private Bytes32 kept;
  private long keptHeight = -1;
  private boolean closed;

  LibEvmViews(LevelDBDatabase db, BlockHashCallback blockHashes, SystemModules modules) {
    this.db = db;
    this.blockHashes = blockHashes;
    this.modules = modules;
    LibEvmJson.shareBuffers(); // views serve calls on virtual threads
  }

  /**
   * Runs {@code body} on a view of the committed state {@code root}, from any thread; the view is
   * the body's alone until it returns. The body may read and speculate, never commit.
   *
   * @param head the height of the chain's head when {@code root} is its state (views of the highest
   *     such root are kept for reuse), or -1 for a past state (a view of its own)
   */
  public <T> T at(Bytes32 root, long head, Function<Executor, T> body) {
    LibEvmView v = take(root, head);
    boolean ok = false;
    try {
      T out = body.apply(v);
      ok = true;
      return out;
    } finally {
      // After a failure inside libevm the view's state is unknown: never reuse it.
      give(v, ok);
    }
  }

  private LibEvmView take(Bytes32 root, long head) {
    synchronized (this) {
      if (closed) {
        throw new IllegalStateException("the state database is closed");
      }
      if (head > keptHeight) { // a new head: the views of the old one go
        keptHeight = head;
        kept = root;
        closeAll();
      } else if (root.equals(kept) && !idle.isEmpty()) {
        return idle.pop();
      }
    }
    return new LibEvmView(db, root, blockHashes, modules);
  }

  private void give(LibEvmView v, boolean reusable) {
    v.uses++;
    synchronized (this) {
      if (reusable
          && !closed
          && v.root().equals(kept)
          && v.uses < MAX_USES
          && idle.size() < MAX_IDLE) {
        idle.push(v);
        return;
      }
    }
    v.close();
  }

  // Under the lock: closing a StateDB is one quick libevm call.
  private void closeAll() {
    LibEvmView v;
    while ((v = idle.poll()) != null) {
      v.close();
    }
  }

  /** How many views wait for reuse (tests). */
  synchronized int idle() {
    return idle.size();
  }

  /** Closes the idle views; views in use close when their body returns. */
  @Override
  public synchronized void close() {
    closed = true;
    closeAll();
  }
}
