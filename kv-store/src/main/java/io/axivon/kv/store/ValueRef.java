package io.axivon.kv.store;

import java.nio.ByteBuffer;
import java.util.Objects;
import org.apache.tuweni.bytes.Bytes;
import org.apache.tuweni.bytes.Bytes32;

/**
 * Where a large value lies: bytes {@code [offset, offset + length)} of the stream data of KV
 * transaction {@code txSeq} ({@code txSize} bytes), whose keccak256 is {@code keccak}. Stored in
 * kv.values as {@code 01 ‖ txSeq ‖ txSize ‖ offset ‖ length ‖ keccak} (u64s big-endian): the state
 * digest covers the value's hash, never a path.
 */
record ValueRef(long txSeq, long txSize, long offset, long length, Bytes32 keccak) {
  static final int SIZE = 1 + 4 * 8 + 32;

  ValueRef {
    Objects.requireNonNull(keccak, "keccak");
    if (offset < 0 || length < 0 || offset + length > txSize) {
      throw new IllegalArgumentException(
          "value [" + offset + ", +" + length + ") outside a transaction of " + txSize + " bytes");
    }
  }

  Bytes encode() {
    ByteBuffer b = ByteBuffer.allocate(SIZE);
    b.put(KvStore.REF).putLong(txSeq).putLong(txSize).putLong(offset).putLong(length);
    b.put(keccak.toArrayUnsafe());
    return Bytes.wrap(b.array());
  }

  /** Decodes what {@link #encode} wrote; the state is ours, so a bad entry is a broken store. */
  static ValueRef decode(Bytes stored) {
    if (stored.size() != SIZE || stored.get(0) != KvStore.REF) {
      throw new IllegalStateException("kv.values entry is not a value reference: " + stored);
    }
    return new ValueRef(
        stored.getLong(1),
        stored.getLong(9),
        stored.getLong(17),
        stored.getLong(25),
        Bytes32.wrap(stored.slice(33, 32)));
  }
}
