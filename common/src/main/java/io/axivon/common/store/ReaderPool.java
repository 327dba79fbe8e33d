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
 * one cursor per table for single seeks. Idle readers hold no snapshot, so they pin no pages and
 * never hide a committed write: every borrow renews.
 *
 * <p>Not thread-safe on its own: {@link Store} calls borrow/giveBack under the shared side of its
 * gate (synchronized here), and drain under the exclusive side.
 */
final class ReaderPool {
  private final int maxIdle;
  private final NativeLmdb lmdb; // null: every call through lmdbjava
  private final Deque<Reader> idle = new ArrayDeque<>();

  ReaderPool(int maxIdle, NativeLmdb lmdb) {
    this.maxIdle = maxIdle;
    this.lmdb = lmdb;
  }

  /** An idle reader renewed to the newest snapshot, or a fresh one from {@code begin}. */
  Reader borrow(Supplier<Txn<byte[]>> begin) {
    Reader reader;
    synchronized (idle) {
      reader = idle.pollFirst();
    }
    if (reader == null) {
      return new Reader(begin.get(), lmdb);
    }
    try {
      reader.renew();
    } catch (RuntimeException e) {
      reader.close();
      return new Reader(begin.get(), lmdb);
    }
    return reader;
  }

  /**
   * Ends the reader's snapshot and keeps it for the next call, or closes it (pool full, failed).
   */
  void giveBack(Reader reader, boolean reusable) {
    if (reusable) {
      try {
        reader.reset();
        synchronized (idle) {
          if (idle.size() < maxIdle) {
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
      if (lmdb != null) {
        lmdb.txnReset(txnPtr);
      } else {
        txn.reset();
      }
    }

    /** lmdbjava only aborts a txn on close when it is live, so a reset one is renewed first. */
    void renewForClose() {
      renewTxn();
    }

    private void renewTxn() {
      if (lmdb != null) {
        lmdb.txnRenew(txnPtr);
      } else {
        txn.renew();
      }
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
