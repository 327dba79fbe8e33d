package io.axivon.common.store;

/** One entry read from a table. */
public record KeyValue<K, V>(K key, V value) {}
