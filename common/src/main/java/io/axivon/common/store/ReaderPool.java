package io.axivon.common.store;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.function.Supplier;
import org.lmdbjava.Cursor;
import org.lmdbjava.Dbi;
import org.lmdbjava.Txn;

/**
 * Read transactions kept between {@link Store#read} calls. Beginning an LMDB read transaction
 * claims a reader slot under a process-shared mutex and allocates; a reset one keeps its slot and
 * is renewed (a fresh snapshot) for the next call, which costs a fraction of that. Each also keeps
 * one cursor per table for single seeks.
 *
 * <p>An idle reader whose snapshot is still the newest stays live: the next call uses it as it is,
 * with no renew of the txn or its cursors (on a read-mostly store that is a third of a point read).
 * It never hides a committed write and never pins pages a writer could reuse: {@link #committed}
 * advances the pool's generation after every commit and resets the idle live readers at once, and a
 * reader given back after a commit is reset before it goes idle. While a commit is in flight
 * ({@link #committing} to {@link #committed}) no reader is reused live: LMDB may already serve the
 * new snapshot to a renewed reader, and a live one holding the old snapshot must not answer after
 * that (a thread would see a write and then lose it). Generation, in-flight flag and idle list
 * share one lock.
 *
 * <p>Not thread-safe on its own: {@link Store} calls borrow/giveBack/committed under the shared
 * side of its gate (synchronized here), and drain under the exclusive side.
 */
final class ReaderPool {
  private final int maxIdle;
  private final NativeLmdb lmdb; // null: every call through lmdbjava
  private final Deque<Reader> idle = new ArrayDeque<>();

  /** Commits so far; a live reader's snapshot is current while its generation equals this. */
  private long generation;

  /** Between {@link #committing} and {@link #committed}: snapshots may be newer than generation. */
  private boolean commitInFlight;

  ReaderPool(int maxIdle, NativeLmdb lmdb) {
    this.maxIdle = maxIdle;
    this.lmdb = lmdb;
  }

  /**
   * An idle reader on the newest snapshot: as it is if still live and current, else renewed; or a
   * fresh one from {@code begin}.
   */
  Reader borrow(Supplier<Txn<byte[]>> begin) {
    Reader reader;
    long current; // read before the snapshot is taken: never newer than it
    boolean reuseLive;
    synchronized (idle) {
      reader = idle.pollFirst();
      current = generation;
      reuseLive = !commitInFlight;
    }
    if (reader == null) {
      return fresh(begin, current);
    }
    if (reuseLive && reader.live && reader.generation == current) {
      return reader;
    }
    try {
      if (reader.live) {
        reader.reset();
      }
      reader.renew();
      reader.generation = current;
    } catch (RuntimeException e) {
      reader.close();
      return fresh(begin, current);
    }
    return reader;
  }

  private Reader fresh(Supplier<Txn<byte[]>> begin, long generation) {
    Reader reader = new Reader(begin.get(), lmdb);
    reader.generation = generation;
    return reader;
  }

  /**
   * Keeps the reader for the next call, live if its snapshot is still the newest, else reset; or
   * closes it (pool full, failed).
   */
  void giveBack(Reader reader, boolean reusable) {
    if (reusable) {
      try {
        synchronized (idle) {
          if (idle.size() < maxIdle) {
            if (reader.live && (reader.generation != generation || commitInFlight)) {
              reader.reset(); // a commit came after its snapshot, or may have: pin nothing idle
            }
            idle.addFirst(reader); // last in, first out: warm caches
            return;
          }
        }
        reader.renewForClose();
      } catch (RuntimeException e) {
        // fall through and close whatever state it is in
      }
    }
    reader.close();
  }

  /**
   * Called by the store just before a commit: from now until {@link #committed} no reader is used
   * live, since a renewed one may already see the new snapshot.
   */
  void committing() {
    synchronized (idle) {
      commitInFlight = true; // one writer at a time: the store's writer lock
      resetIdle();
    }
  }

  /**
   * Called by the store after each commit attempt, before the write returns: advances the
   * generation and resets the idle live readers, whose snapshots may now be old.
   */
  void committed() {
    synchronized (idle) {
      generation++;
      commitInFlight = false;
      resetIdle();
    }
  }

  private void resetIdle() {
    for (Reader reader : idle) {
      if (reader.live) {
        reader.reset();
      }
    }
  }

  /** Closes every idle reader; the caller holds the store's exclusive gate. */
  void drain() {
    synchronized (idle) {
      for (Reader reader : idle) {
        try {
          reader.renewForClose();
        } finally {
          reader.close();
        }
      }
      idle.clear();
    }
  }

  /** Idle readers still holding a snapshot; for tests. */
  int liveIdleCount() {
    synchronized (idle) {
      return (int) idle.stream().filter(r -> r.live).count();
    }
  }

  boolean nativeReads() {
    return lmdb != null;
  }

  int idleCount() {
    synchronized (idle) {
      return idle.size();
    }
  }

  /**
   * One read transaction with its cursors, used by one {@link Store#read} call at a time. With the
   * FFM binding ({@link #lmdb} not null) renew and reset go through it, so lmdbjava's view of the
   * txn stays "ready" throughout; lmdbjava then only opens cursors on it and closes it.
   */
  static final class Reader {
    final Txn<byte[]> txn;
    final NativeLmdb lmdb;
    final long txnPtr;

    /** Native copy of a key going into an FFM call (LMDB keys are at most 511 bytes). */
    final MemorySegment scratch;

    /** MDB_val structs for single gets and seeks. */
    final long[] key = new long[2];

    final long[] data = new long[2];
    private final Map<Dbi<byte[]>, CursorSlot> cursors = new IdentityHashMap<>();
    private int round;

    /** Whether the txn holds a snapshot (begun or renewed, not reset). */
    boolean live = true;

    /** The pool's generation when the snapshot was taken. */
    long generation;

    Reader(Txn<byte[]> txn, NativeLmdb lmdb) {
      this.txn = txn;
      this.lmdb = lmdb;
      this.txnPtr = lmdb == null ? 0 : lmdb.txn(txn);
      this.scratch = lmdb == null ? null : Arena.ofAuto().allocate(512, 8);
    }

    /** This reader's cursor on {@code dbi}, valid for the current snapshot. */
    Cursor<byte[]> cursor(Dbi<byte[]> dbi) {
      return slot(dbi).cursor;
    }

    /** The native pointer of this reader's cursor on {@code dbi}; only with the FFM binding. */
    long nativeCursor(Dbi<byte[]> dbi) {
      return slot(dbi).ptr;
    }

    private CursorSlot slot(Dbi<byte[]> dbi) {
      CursorSlot slot = cursors.get(dbi);
      if (slot == null) {
        Cursor<byte[]> cursor = dbi.openCursor(txn);
        slot = new CursorSlot(cursor, lmdb == null ? 0 : lmdb.cursor(cursor));
        cursors.put(dbi, slot);
      } else if (slot.round != round) {
        // cursors of a reset read txn must be renewed before use
        if (lmdb != null) {
          lmdb.cursorRenew(txnPtr, slot.ptr);
        } else {
          slot.cursor.renew(txn);
        }
      }
      slot.round = round;
      return slot;
    }

    void renew() {
      renewTxn();
      round++;
    }

    void reset() {
      live = false;
      if (lmdb != null) {
        lmdb.txnReset(txnPtr);
      } else {
        txn.reset();
      }
    }

    /** lmdbjava only aborts a txn on close when it is live, so a reset one is renewed first. */
    void renewForClose() {
      if (!live) {
        renewTxn();
      }
    }

    private void renewTxn() {
      if (lmdb != null) {
        lmdb.txnRenew(txnPtr);
      } else {
        txn.renew();
      }
      live = true;
    }

    void close() {
      for (CursorSlot slot : cursors.values()) {
        slot.cursor.close();
      }
      cursors.clear();
      txn.close();
    }
  }

  private static final class CursorSlot {
    final Cursor<byte[]> cursor;
    final long ptr; // 0 without the FFM binding
    int round;

    CursorSlot(Cursor<byte[]> cursor, long ptr) {
      this.cursor = cursor;
      this.ptr = ptr;
    }
  }
}
