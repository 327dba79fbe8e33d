package io.axivon.common.store;

/**
 * The single write transaction of the store: reads see its own uncommitted writes; everything is
 * committed atomically when the lambda returns and discarded if it throws.
 */
public interface WriteTx extends ReadTx {

  /** Inserts or replaces. Keys are 1 to 511 bytes once serialized. */
  <K, V> void put(Table<K, V> table, K key, V value);

  /** Removes the key; returns whether it was present. */
  <K, V> boolean delete(Table<K, V> table, K key);

  /** Removes every entry of the table. */
  void clear(Table<?, ?> table);
}
