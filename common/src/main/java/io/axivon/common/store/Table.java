package io.axivon.common.store;

import java.util.Objects;

/**
 * A named, typed table: one LMDB named database. Declare tables as constants next to the code that
 * owns them and pass them all to {@link Store#open}; the name is the on-disk identity, so never
 * rename one without a migration.
 */
public record Table<K, V>(String name, Serializer<K> keys, Serializer<V> values) {

  /** Names starting with this are the store's own (format version and the like). */
  static final String RESERVED_PREFIX = "__";

  public Table {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(keys, "keys");
    Objects.requireNonNull(values, "values");
    if (name.isEmpty() || name.length() > 100 || !name.matches("[A-Za-z0-9_.-]+")) {
      throw new IllegalArgumentException(
          "table name must be 1-100 characters of [A-Za-z0-9_.-], got '" + name + "'");
    }
  }

  public static <K, V> Table<K, V> of(String name, Serializer<K> keys, Serializer<V> values) {
    return new Table<>(name, keys, values);
  }

  @Override
  public String toString() {
    return "Table[" + name + "]";
  }
}
