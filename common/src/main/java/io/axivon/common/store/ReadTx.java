package io.axivon.common.store;

import java.util.Optional;
import java.util.stream.Stream;
import org.apache.tuweni.bytes.Bytes;

/**
 * A consistent snapshot of every table, valid only inside the lambda given to {@link Store#read} or
 * {@link Store#write}; using it afterwards throws {@link IllegalStateException}. Not for use by
 * several threads at once.
 */
public interface ReadTx {

  <K, V> Optional<V> get(Table<K, V> table, K key);

  <K, V> boolean contains(Table<K, V> table, K key);

  /** The entry with the smallest key, if any. */
  <K, V> Optional<KeyValue<K, V>> first(Table<K, V> table);

  /** The entry with the largest key, if any. */
  <K, V> Optional<KeyValue<K, V>> last(Table<K, V> table);

  /**
   * The first entry of a key range in its walking order (the largest key for a reversed range): the
   * same as {@code scan(table, range).findFirst()}, one cursor seek without a stream.
   */
  <K, V> Optional<KeyValue<K, V>> firstIn(Table<K, V> table, KeyRange<K> range);

  /**
   * The first entry at or after {@code from} if its serialized key starts with the first {@code
   * prefixLength} bytes of {@code from}'s: one cursor seek, the prefix compared before anything is
   * copied out. For layouts where a prefix's keys are the prefix plus a suffix (versions), so the
   * entry is the nearest one of that prefix at or after the seek point.
   */
  <K, V> Optional<KeyValue<K, V>> firstWithPrefix(Table<K, V> table, K from, int prefixLength);

  /**
   * The entries in a key range, in key order (or reverse order). The stream is lazy and reads from
   * this snapshot: consume it inside the transaction. Its cursor is released when the stream is
   * closed or, at the latest, when the transaction ends.
   */
  <K, V> Stream<KeyValue<K, V>> scan(Table<K, V> table, KeyRange<K> range);

  /** The entries whose serialized key starts with {@code prefix}, in key order. */
  <K, V> Stream<KeyValue<K, V>> scanPrefix(Table<K, V> table, Bytes prefix);

  /** The number of entries in the table. */
  long count(Table<?, ?> table);
}
