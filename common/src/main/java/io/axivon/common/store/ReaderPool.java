package io.axivon.common.store;

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
  private final Deque<Reader> idle = new ArrayDeque<>();

  ReaderPool(int maxIdle) {
    this.maxIdle = maxIdle;
  }

  /** An idle reader renewed to the newest snapshot, or a fresh one from {@code begin}. */
  Reader borrow(Supplier<Txn<byte[]>> begin) {
    Reader reader;
    synchronized (idle) {
      reader = idle.pollFirst();
    }
    if (reader == null) {
      return new Reader(begin.get());
    }
    try {
      reader.renew();
    } catch (RuntimeException e) {
      reader.close();
      return new Reader(begin.get());
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

  int idleCount() {
    synchronized (idle) {
      return idle.size();
    }
  }

  /** One read transaction with its cursors, used by one {@link Store#read} call at a time. */
  static final class Reader {
    final Txn<byte[]> txn;
    private final Map<Dbi<byte[]>, CursorSlot> cursors = new IdentityHashMap<>();
    private int round;

    Reader(Txn<byte[]> txn) {
      this.txn = txn;
    }

    /** This reader's cursor on {@code dbi}, valid for the current snapshot. */
    Cursor<byte[]> cursor(Dbi<byte[]> dbi) {
      CursorSlot slot = cursors.get(dbi);
      if (slot == null) {
        slot = new CursorSlot(dbi.openCursor(txn));
        cursors.put(dbi, slot);
      } else if (slot.round != round) {
        slot.cursor.renew(txn); // cursors of a reset read txn must be renewed before use
      }
      slot.round = round;
      return slot.cursor;
    }

    void renew() {
      txn.renew();
      round++;
    }

    void reset() {
      txn.reset();
    }

    /** lmdbjava only aborts a txn on close when it is live, so a reset one is renewed first. */
    void renewForClose() {
      txn.renew();
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
    int round;

    CursorSlot(Cursor<byte[]> cursor) {
      this.cursor = cursor;
    }
  }
}
