package io.axivon.common.codec;

import java.util.function.BiConsumer;
import java.util.function.Function;

/**
 * How one type maps to exactly one RLP item. Every protocol object has one codec, usually a
 * constant next to its record:
 *
 * <pre>{@code
 * record Transfer(Bytes to, long nonce, BigInteger amount) {
 *   static final RlpCodec<Transfer> CODEC = RlpCodec.struct(
 *       (w, t) -> w.writeBytes(t.to()).writeUInt64(t.nonce()).writeUInt256(t.amount()),
 *       r -> new Transfer(r.readFixedBytes(20), r.readUInt64(), r.readUInt256()));
 * }
 * }</pre>
 *
 * A reader may throw {@link IllegalArgumentException} (for example from a record's constructor);
 * decoding reports it as {@link io.axivon.common.InvalidInputException} with the item's offset.
 */
public interface RlpCodec<T> {
  /** Writes {@code value} as exactly one item. */
  void write(StrictRlpWriter w, T value);

  /** Reads exactly one item. */
  T read(StrictRlpReader r);

  /** A codec from two lambdas. */
  static <T> RlpCodec<T> of(
      BiConsumer<StrictRlpWriter, T> write, Function<StrictRlpReader, T> read) {
    return new RlpCodec<>() {
      @Override
      public void write(StrictRlpWriter w, T value) {
        write.accept(w, value);
      }

      @Override
      public T read(StrictRlpReader r) {
        return read.apply(r);
      }
    };
  }

  /**
   * A record-like object as one RLP list of its fields, in order: {@code fields} writes the fields,
   * {@code read} reads them in the same order. The reader rejects a list with fields left over.
   */
  static <T> RlpCodec<T> struct(
      BiConsumer<StrictRlpWriter, T> fields, Function<StrictRlpReader, T> read) {
    return of((w, v) -> w.writeList(list -> fields.accept(list, v)), r -> r.readList(read));
  }
}
