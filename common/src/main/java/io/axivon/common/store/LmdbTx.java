package io.axivon.common.store;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.Optional;
import java.util.Spliterator;
import java.util.Spliterators;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;
import org.apache.tuweni.bytes.Bytes;
import org.lmdbjava.Cursor;
import org.lmdbjava.Dbi;
import org.lmdbjava.Env;
import org.lmdbjava.GetOp;
import org.lmdbjava.Txn;

/** A read or write transaction over one LMDB txn; lives only while its lambda runs. */
final class LmdbTx implements WriteTx {
  private final Store store;
  private final Txn<byte[]> txn;
  private final boolean writable;
  private final ReaderPool.Reader reader; // null for a write txn
  private final NativeLmdb lmdb; // the reader's FFM binding, or null: lmdbjava
  private List<Cursor<byte[]>> cursors; // of open scans; made on the first
  private boolean finished;
  private boolean mapFull;

  LmdbTx(Store store, Txn<byte[]> txn, boolean writable, ReaderPool.Reader reader) {
    this.store = store;
    this.txn = txn;
    this.writable = writable;
    this.reader = reader;
    this.lmdb = reader == null ? null : reader.lmdb;
  }

  @Override
  public <K, V> Optional<V> get(Table<K, V> table, K key) {
    checkUsable();
    byte[] value = rawGet(table, key);
    return value == null ? Optional.empty() : Optional.of(table.values().fromBytes(value));
  }

  @Override
  public <K, V> boolean contains(Table<K, V> table, K key) {
    checkUsable();
    return rawGet(table, key) != null;
  }

  private <K, V> byte[] rawGet(Table<K, V> table, K key) {
    byte[] k = encodeKey(table, key);
    Dbi<byte[]> dbi = store.dbi(table);
    if (lmdb == null) {
      return dbi.get(txn, k);
    }
    NativeLmdb.in(k, reader.scratch, reader.key);
    return lmdb.get(reader.txnPtr, lmdb.dbi(dbi), reader.key, reader.data)
        ? lmdb.out(reader.data)
        : null;
  }

  @Override
  public <K, V> Optional<KeyValue<K, V>> first(Table<K, V> table) {
    return edge(table, false);
  }

  @Override
  public <K, V> Optional<KeyValue<K, V>> last(Table<K, V> table) {
    return edge(table, true);
  }

  private <K, V> Optional<KeyValue<K, V>> edge(Table<K, V> table, boolean last) {
    checkUsable();
    try (Cursor<byte[]> cursor = store.dbi(table).openCursor(txn)) {
      boolean found = last ? cursor.last() : cursor.first();
      return found ? Optional.of(decode(table, cursor)) : Optional.empty();
    }
  }

  @Override
  public <K, V> Optional<KeyValue<K, V>> firstIn(Table<K, V> table, KeyRange<K> range) {
    Objects.requireNonNull(range, "range");
    checkUsable();
    byte[] from = range.from().map(k -> encodeKey(table, k)).orElse(null);
    byte[] to = range.to().map(k -> encodeKey(table, k)).orElse(null);
    boolean reverse = range.isReverse();
    Dbi<byte[]> dbi = store.dbi(table);
    if (lmdb != null) {
      long cursor = reader.nativeCursor(dbi);
      boolean found =
          reverse
              ? nativeBeforeEnd(cursor, to, reader.key, reader.data)
              : nativeAtStart(cursor, from, reader.key, reader.data);
      if (!found) {
        return Optional.empty();
      }
      byte[] k = lmdb.out(reader.key);
      return inRange(k, from, to, reverse)
          ? Optional.of(decode(table, k, lmdb.out(reader.data)))
          : Optional.empty();
    }
    if (reader != null) {
      // a read txn's cached cursor: no cursor open/close per seek
      return firstAt(table, reader.cursor(dbi), from, to, reverse);
    }
    try (Cursor<byte[]> cursor = dbi.openCursor(txn)) {
      return firstAt(table, cursor, from, to, reverse);
    }
  }

  @Override
  public <K, V> Optional<KeyValue<K, V>> firstWithPrefix(
      Table<K, V> table, K from, int prefixLength) {
    checkUsable();
    byte[] k = encodeKey(table, from);
    Objects.checkIndex(prefixLength, k.length + 1);
    Dbi<byte[]> dbi = store.dbi(table);
    if (lmdb != null) {
      long cursor = reader.nativeCursor(dbi);
      NativeLmdb.in(k, reader.scratch, reader.key);
      if (!lmdb.cursorGet(cursor, reader.key, reader.data, NativeLmdb.MDB_SET_RANGE)
          || !NativeLmdb.startsWith(reader.key, reader.scratch, prefixLength)) {
        return Optional.empty();
      }
      return Optional.of(decode(table, lmdb.out(reader.key), lmdb.out(reader.data)));
    }
    if (reader != null) {
      return firstWithPrefixAt(table, reader.cursor(dbi), k, prefixLength);
    }
    try (Cursor<byte[]> cursor = dbi.openCursor(txn)) {
      return firstWithPrefixAt(table, cursor, k, prefixLength);
    }
  }

  private static <K, V> Optional<KeyValue<K, V>> firstWithPrefixAt(
      Table<K, V> table, Cursor<byte[]> cursor, byte[] from, int prefixLength) {
    if (!cursor.get(from, GetOp.MDB_SET_RANGE)) {
      return Optional.empty();
    }
    byte[] key = cursor.key();
    return key.length >= prefixLength && Arrays.equals(key, 0, prefixLength, from, 0, prefixLength)
        ? Optional.of(decode(table, key, cursor.val()))
        : Optional.empty();
  }

  private static <K, V> Optional<KeyValue<K, V>> firstAt(
      Table<K, V> table, Cursor<byte[]> cursor, byte[] from, byte[] to, boolean reverse) {
    boolean found = reverse ? positionBeforeEnd(cursor, to) : positionAtStart(cursor, from);
    return found && inRange(cursor.key(), from, to, reverse)
        ? Optional.of(decode(table, cursor))
        : Optional.empty();
  }

  private static boolean positionAtStart(Cursor<byte[]> cursor, byte[] from) {
    return from == null ? cursor.first() : cursor.get(from, GetOp.MDB_SET_RANGE);
  }

  private static boolean positionBeforeEnd(Cursor<byte[]> cursor, byte[] to) {
    if (to == null) {
      return cursor.last();
    }
    // first key >= to, then one back; no such key means every key is below 'to'
    return cursor.get(to, GetOp.MDB_SET_RANGE) ? cursor.prev() : cursor.last();
  }

  private boolean nativeAtStart(long cursor, byte[] from, long[] key, long[] data) {
    if (from == null) {
      return lmdb.cursorGet(cursor, key, data, NativeLmdb.MDB_FIRST);
    }
    NativeLmdb.in(from, reader.scratch, key);
    return lmdb.cursorGet(cursor, key, data, NativeLmdb.MDB_SET_RANGE);
  }

  private boolean nativeBeforeEnd(long cursor, byte[] to, long[] key, long[] data) {
    if (to == null) {
      return lmdb.cursorGet(cursor, key, data, NativeLmdb.MDB_LAST);
    }
    NativeLmdb.in(to, reader.scratch, key);
    return lmdb.cursorGet(cursor, key, data, NativeLmdb.MDB_SET_RANGE)
        ? lmdb.cursorGet(cursor, key, data, NativeLmdb.MDB_PREV)
        : lmdb.cursorGet(cursor, key, data, NativeLmdb.MDB_LAST);
  }

  private static boolean inRange(byte[] key, byte[] from, byte[] to, boolean reverse) {
    return reverse
        ? from == null || Arrays.compareUnsigned(key, from) >= 0
        : to == null || Arrays.compareUnsigned(key, to) < 0;
  }

  @Override
  public <K, V> Stream<KeyValue<K, V>> scan(Table<K, V> table, KeyRange<K> range) {
    Objects.requireNonNull(range, "range");
    byte[] from = range.from().map(k -> encodeKey(table, k)).orElse(null);
    byte[] to = range.to().map(k -> encodeKey(table, k)).orElse(null);
    return rawScan(table, from, to, range.isReverse());
  }

  @Override
  public <K, V> Stream<KeyValue<K, V>> scanPrefix(Table<K, V> table, Bytes prefix) {
    Objects.requireNonNull(prefix, "prefix");
    byte[] from = prefix.toArray();
    return rawScan(table, from.length == 0 ? null : from, nextPrefix(from), false);
  }

  /**
   * The smallest key greater than every key starting with {@code prefix}, or null when there is
   * none (empty or all-0xFF prefix).
   */
  static byte[] nextPrefix(byte[] prefix) {
    int i = prefix.length - 1;
    while (i >= 0 && prefix[i] == (byte) 0xFF) {
      i--;
    }
    if (i < 0) {
      return null;
    }
    byte[] next = Arrays.copyOf(prefix, i + 1);
    next[i]++;
    return next;
  }

  /**
   * Walks {@code [from, to)} with a raw cursor. Written here rather than with lmdbjava's
   * CursorIterable because its backward ranges use different bound semantics and a Java-side
   * comparator; a cursor with SET_RANGE/next/prev is simple and follows LMDB's own memcmp order.
   */
  private <K, V> Stream<KeyValue<K, V>> rawScan(
      Table<K, V> table, byte[] from, byte[] to, boolean reverse) {
    checkUsable();
    Dbi<byte[]> dbi = store.dbi(table);
    Cursor<byte[]> cursor = dbi.openCursor(txn);
    if (cursors == null) {
      cursors = new ArrayList<>(2);
    }
    cursors.add(cursor);
    NativeScan<K, V> nativeScan =
        lmdb != null ? new NativeScan<>(table, lmdb.cursor(cursor), from, to, reverse) : null;
    Iterator<KeyValue<K, V>> iterator =
        nativeScan != null ? nativeScan : lmdbjavaIterator(table, cursor, from, to, reverse);
    return StreamSupport.stream(
            Spliterators.spliteratorUnknownSize(
                iterator, Spliterator.ORDERED | Spliterator.NONNULL | Spliterator.DISTINCT),
            false)
        .onClose(
            () -> {
              if (nativeScan != null) {
                nativeScan.closed = true; // its cursor pointer is freed below
              }
              closeCursor(cursor);
            });
  }

  /**
   * A scan's walk over {@code [from, to)}: the first position, then one step at a time, ending at
   * the first key out of range. The cursor calls themselves are the binding's ({@link NativeScan}
   * through FFM, {@link #lmdbjavaIterator} through lmdbjava).
   */
  private abstract class CursorWalk<K, V> implements Iterator<KeyValue<K, V>> {
    final Table<K, V> table;
    final byte[] from;
    final byte[] to;
    final boolean reverse;
    private boolean started;
    private boolean done;
    private KeyValue<K, V> next;

    CursorWalk(Table<K, V> table, byte[] from, byte[] to, boolean reverse) {
      this.table = table;
      this.from = from;
      this.to = to;
      this.reverse = reverse;
    }

    /** Positions at the first entry of the range (or past it); whether there is an entry. */
    abstract boolean first();

    /** Moves one entry on in the scan's direction; whether there is an entry. */
    abstract boolean step();

    /** The current entry's key and value. */
    abstract byte[] key();

    abstract byte[] value();

    @Override
    public boolean hasNext() {
      if (next == null && !done) {
        advance();
      }
      return next != null;
    }

    @Override
    public KeyValue<K, V> next() {
      if (!hasNext()) {
        throw new NoSuchElementException();
      }
      KeyValue<K, V> out = next;
      next = null;
      return out;
    }

    void advance() {
      checkUsable();
      boolean found = started ? step() : first();
      started = true;
      byte[] k = found ? key() : null;
      if (found && inRange(k, from, to, reverse)) {
        next = decode(table, k, value());
      } else {
        done = true;
      }
    }
  }

  /** A scan's walk through the FFM binding, with MDB_val structs of its own. */
  private final class NativeScan<K, V> extends CursorWalk<K, V> {
    private final long cursor;
    private final long[] key = new long[2];
    private final long[] data = new long[2];
    private boolean closed;

    NativeScan(Table<K, V> table, long cursor, byte[] from, byte[] to, boolean reverse) {
      super(table, from, to, reverse);
      this.cursor = cursor;
    }

    @Override
    void advance() {
      if (closed) {
        throw new IllegalStateException("the scan's stream is closed");
      }
      super.advance();
    }

    @Override
    boolean first() {
      return reverse
          ? nativeBeforeEnd(cursor, to, key, data)
          : nativeAtStart(cursor, from, key, data);
    }

    @Override
    boolean step() {
      return lmdb.cursorGet(cursor, key, data, reverse ? NativeLmdb.MDB_PREV : NativeLmdb.MDB_NEXT);
    }

    @Override
    byte[] key() {
      return lmdb.out(key);
    }

    @Override
    byte[] value() {
      return lmdb.out(data);
    }
  }

  private <K, V> Iterator<KeyValue<K, V>> lmdbjavaIterator(
      Table<K, V> table, Cursor<byte[]> cursor, byte[] from, byte[] to, boolean reverse) {
    return new CursorWalk<>(table, from, to, reverse) {
      @Override
      boolean first() {
        return reverse ? positionBeforeEnd(cursor, to) : positionAtStart(cursor, from);
      }

      @Override
      boolean step() {
        return reverse ? cursor.prev() : cursor.next();
      }

      @Override
      byte[] key() {
        return cursor.key();
      }

      @Override
      byte[] value() {
        return cursor.val();
      }
    };
  }

  @Override
  public long count(Table<?, ?> table) {
    checkUsable();
    return store.dbi(table).stat(txn).entries;
  }

  @Override
  public <K, V> void put(Table<K, V> table, K key, V value) {
    checkWritable();
    Objects.requireNonNull(value, "value");
    byte[] k = encodeKey(table, key);
    byte[] v = Objects.requireNonNull(table.values().toBytes(value), "serialized value");
    Dbi<byte[]> dbi = store.dbi(table);
    try {
      dbi.put(txn, k, v);
    } catch (Env.MapFullException e) {
      mapFull = true;
      throw new Store.MapFullSignal();
    }
  }

  @Override
  public <K, V> boolean delete(Table<K, V> table, K key) {
    checkWritable();
    byte[] k = encodeKey(table, key);
    Dbi<byte[]> dbi = store.dbi(table);
    try {
      return dbi.delete(txn, k);
    } catch (Env.MapFullException e) {
      // deleting copies pages too, so it can also run out of room
      mapFull = true;
      throw new Store.MapFullSignal();
    }
  }

  @Override
  public void clear(Table<?, ?> table) {
    checkWritable();
    Dbi<byte[]> dbi = store.dbi(table);
    try {
      dbi.drop(txn, false);
    } catch (Env.MapFullException e) {
      mapFull = true;
      throw new Store.MapFullSignal();
    }
  }

  boolean hitMapFull() {
    return mapFull;
  }

  /** Releases the cursors and makes every later call fail; the owner then ends the txn. */
  void finish() {
    if (finished) {
      return;
    }
    finished = true;
    if (cursors != null) {
      for (Cursor<byte[]> cursor : cursors) {
        cursor.close();
      }
      cursors.clear();
    }
  }

  private void closeCursor(Cursor<byte[]> cursor) {
    if (!finished && cursors != null && cursors.remove(cursor)) {
      cursor.close();
    }
  }

  private <K, V> byte[] encodeKey(Table<K, V> table, K key) {
    Objects.requireNonNull(table, "table");
    Objects.requireNonNull(key, "key");
    byte[] bytes = Objects.requireNonNull(table.keys().toBytes(key), "serialized key");
    if (bytes.length == 0 || bytes.length > store.maxKeySize()) {
      throw new IllegalArgumentException(
          "key of table '"
              + table.name()
              + "' is "
              + bytes.length
              + " bytes; keys must be 1 to "
              + store.maxKeySize()
              + " bytes");
    }
    return bytes;
  }

  private static <K, V> KeyValue<K, V> decode(Table<K, V> table, Cursor<byte[]> cursor) {
    return decode(table, cursor.key(), cursor.val());
  }

  private static <K, V> KeyValue<K, V> decode(Table<K, V> table, byte[] key, byte[] value) {
    return new KeyValue<>(table.keys().fromBytes(key), table.values().fromBytes(value));
  }

  private void checkUsable() {
    if (finished) {
      throw new IllegalStateException(
          "transaction has ended: use a ReadTx/WriteTx only inside its lambda");
    }
    if (mapFull) {
      throw new Store.MapFullSignal();
    }
  }

  private void checkWritable() {
    checkUsable();
    if (!writable) {
      throw new IllegalStateException("read transaction cannot write");
    }
  }
}
