package io.axivon.common.store;

import java.util.Objects;
import java.util.function.Function;
import org.apache.tuweni.bytes.Bytes;

/**
 * Turns a table's keys or values into the bytes LMDB stores and back. Keys are compared as unsigned
 * bytes (memcmp), so a key serializer decides the iteration order of its table.
 *
 * <p>{@code fromBytes} must accept every array {@code toBytes} produces and must not keep the
 * array's contents mutable from outside (the store hands it a fresh copy each time).
 */
public interface Serializer<T> {

  byte[] toBytes(T value);

  T fromBytes(byte[] bytes);

  /** A serializer from two functions over {@code byte[]}. */
  static <T> Serializer<T> of(
      Function<? super T, byte[]> encoder, Function<byte[], ? extends T> decoder) {
    Objects.requireNonNull(encoder, "encoder");
    Objects.requireNonNull(decoder, "decoder");
    return new Serializer<>() {
      @Override
      public byte[] toBytes(T value) {
        return encoder.apply(value);
      }

      @Override
      public T fromBytes(byte[] bytes) {
        return decoder.apply(bytes);
      }
    };
  }

  /**
   * The hook for codecs written over Tuweni {@link Bytes}, such as the RLP codecs of the protocol
   * types: {@code Serializer.ofBytes(Block::encode, Block::decode)}.
   */
  static <T> Serializer<T> ofBytes(
      Function<? super T, ? extends Bytes> encoder, Function<Bytes, ? extends T> decoder) {
    Objects.requireNonNull(encoder, "encoder");
    Objects.requireNonNull(decoder, "decoder");
    return of(
        value -> encoder.apply(value).toArrayUnsafe(), bytes -> decoder.apply(Bytes.wrap(bytes)));
  }
}
