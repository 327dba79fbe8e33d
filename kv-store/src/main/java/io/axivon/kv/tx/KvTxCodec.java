package io.axivon.kv.tx;

import io.axivon.common.InvalidInputException;
import io.axivon.common.crypto.secp256k1.Address;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.apache.tuweni.bytes.Bytes;
import org.apache.tuweni.bytes.Bytes32;

/**
 * Encodes and strictly decodes KV stream data, byte for byte as 0G's SDK Batcher writes it
 * (big-endian; specs/kv.md section 1). The decoder accepts exactly one encoding per transaction: it
 * rejects truncation, trailing bytes, zero-length or over-long keys, over-long counts and unknown
 * op codes.
 */
public final class KvTxCodec {
  private KvTxCodec() {}

  /** The stream data for {@code tx}: what the Batcher uploads as the file. */
  public static Bytes encode(KvTransaction tx) {
    Objects.requireNonNull(tx, "tx");
    long size = 8 + 4 + 4 + 4;
    for (StreamRead r : tx.reads()) {
      size += 32 + 3 + r.key().size();
    }
    for (StreamWrite w : tx.writes()) {
      size += 32 + 3 + w.key().size() + 8 + w.value().size();
    }
    for (AccessControl c : tx.controls()) {
      size +=
          1 + 32 + c.key().map(k -> 3L + k.size()).orElse(0L) + (c.account().isPresent() ? 20 : 0);
    }
    if (size > Integer.MAX_VALUE - 8) {
      throw new IllegalArgumentException(
          "transaction of " + size + " bytes is too large to encode");
    }
    ByteBuffer out = ByteBuffer.allocate((int) size);
    out.putLong(tx.version());
    out.putInt(tx.reads().size());
    for (StreamRead r : tx.reads()) {
      out.put(r.streamId().toArrayUnsafe());
      putKey(out, r.key());
    }
    out.putInt(tx.writes().size());
    for (StreamWrite w : tx.writes()) {
      out.put(w.streamId().toArrayUnsafe());
      putKey(out, w.key());
      out.putLong(w.value().size());
    }
    for (StreamWrite w : tx.writes()) {
      out.put(w.value().toArrayUnsafe());
    }
    out.putInt(tx.controls().size());
    for (AccessControl c : tx.controls()) {
      out.put((byte) c.op().code());
      out.put(c.streamId().toArrayUnsafe());
      c.key().ifPresent(k -> putKey(out, k));
      c.account().ifPresent(a -> out.put(a.bytes().toArrayUnsafe()));
    }
    return Bytes.wrap(out.array());
  }

  /**
   * Where each write's value starts in {@code encode(tx)}: after the version, the reads and every
   * write header, the values follow one another in header order.
   */
  public static long[] valueOffsets(KvTransaction tx) {
    long at = 8 + 4;
    for (StreamRead r : tx.reads()) {
      at += 32 + 3 + r.key().size();
    }
    at += 4;
    for (StreamWrite w : tx.writes()) {
      at += 32 + 3 + w.key().size() + 8;
    }
    long[] out = new long[tx.writes().size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = at;
      at += tx.writes().get(i).value().size();
    }
    return out;
  }

  private static void putKey(ByteBuffer out, Bytes key) {
    int n = key.size();
    out.put((byte) (n >>> 16)).put((byte) (n >>> 8)).put((byte) n);
    out.put(key.toArrayUnsafe());
  }

  /**
   * Decodes stream data.
   *
   * @throws InvalidInputException saying what is wrong and at which byte offset
   */
  public static KvTransaction decode(Bytes data) {
    Objects.requireNonNull(data, "data");
    Reader in = new Reader(data.toArrayUnsafe());
    long version = in.u64("version");
    int readCount = in.count("read count");
    List<StreamRead> reads = new ArrayList<>(Math.min(readCount, 1024));
    for (int i = 0; i < readCount; i++) {
      Bytes32 stream = in.bytes32("stream id of read " + i);
      reads.add(new StreamRead(stream, in.key("key of read " + i)));
    }
    int writeCount = in.count("write count");
    List<Bytes32> streams = new ArrayList<>(Math.min(writeCount, 1024));
    List<Bytes> keys = new ArrayList<>(Math.min(writeCount, 1024));
    long[] lengths = new long[writeCount];
    long total = 0;
    for (int i = 0; i < writeCount; i++) {
      streams.add(in.bytes32("stream id of write " + i));
      keys.add(in.key("key of write " + i));
      int at = in.pos;
      long length = in.u64("value length of write " + i);
      // unsigned compare: a length with the top bit set is also over-long
      if (Long.compareUnsigned(length, in.remaining()) > 0
          || Long.compareUnsigned(total + length, in.remaining()) > 0) {
        throw new InvalidInputException(
            "KV transaction: value length "
                + Long.toUnsignedString(length)
                + " of write "
                + i
                + " at byte "
                + at
                + " exceeds the "
                + in.remaining()
                + " bytes left for values");
      }
      lengths[i] = length;
      total += length;
    }
    List<StreamWrite> writes = new ArrayList<>(writeCount);
    for (int i = 0; i < writeCount; i++) {
      Bytes value = in.take((int) lengths[i], "value of write " + i);
      writes.add(new StreamWrite(streams.get(i), keys.get(i), value));
    }
    int controlCount = in.count("control count");
    List<AccessControl> controls = new ArrayList<>(Math.min(controlCount, 1024));
    for (int n = 0; n < controlCount; n++) {
      final int i = n;
      int at = in.pos;
      int code = in.u8("op type of control " + i);
      AccessControl.Op op =
          AccessControl.Op.ofCode(code)
              .orElseThrow(
                  () ->
                      new InvalidInputException(
                          "KV transaction: unknown access-control op type 0x"
                              + String.format("%02x", code)
                              + " of control "
                              + i
                              + " at byte "
                              + at));
      Bytes32 stream = in.bytes32("stream id of control " + i);
      Optional<Bytes> key =
          op.hasKey() ? Optional.of(in.key("key of control " + i)) : Optional.empty();
      Optional<Address> account =
          op.hasAccount()
              ? Optional.of(new Address(in.take(Address.SIZE, "account of control " + i)))
              : Optional.empty();
      controls.add(new AccessControl(op, stream, key, account));
    }
    if (in.remaining() != 0) {
      throw new InvalidInputException(
          "KV transaction: "
              + in.remaining()
              + " trailing bytes after the last field (at byte "
              + in.pos
              + " of "
              + data.size()
              + ")");
    }
    return new KvTransaction(version, reads, writes, controls);
  }

  /** A bounds-checked cursor; every failure names the field and its offset. */
  private static final class Reader {
    private final byte[] bytes;
    private int pos;

    Reader(byte[] bytes) {
      this.bytes = bytes;
    }

    int remaining() {
      return bytes.length - pos;
    }

    private void need(int n, String field) {
      if (remaining() < n) {
        throw new InvalidInputException(
            "KV transaction truncated: "
                + field
                + " needs "
                + n
                + " bytes at byte "
                + pos
                + " but only "
                + remaining()
                + " remain");
      }
    }

    int u8(String field) {
      need(1, field);
      return bytes[pos++] & 0xFF;
    }

    long u64(String field) {
      need(8, field);
      long v = 0;
      for (int i = 0; i < 8; i++) {
        v = (v << 8) | (bytes[pos++] & 0xFF);
      }
      return v;
    }

    int count(String field) {
      need(4, field);
      int at = pos;
      long v = 0;
      for (int i = 0; i < 4; i++) {
        v = (v << 8) | (bytes[pos++] & 0xFF);
      }
      if (v > KvTransaction.MAX_ENTRIES) {
        throw new InvalidInputException(
            "KV transaction: "
                + field
                + " "
                + v
                + " at byte "
                + at
                + " exceeds the limit of "
                + KvTransaction.MAX_ENTRIES);
      }
      return (int) v;
    }

    Bytes32 bytes32(String field) {
      return Bytes32.wrap(take(32, field));
    }

    Bytes key(String field) {
      need(3, field + " length");
      int at = pos;
      int n =
          ((bytes[pos] & 0xFF) << 16) | ((bytes[pos + 1] & 0xFF) << 8) | (bytes[pos + 2] & 0xFF);
      pos += 3;
      if (n == 0) {
        throw new InvalidInputException(
            "KV transaction: " + field + " at byte " + at + " is empty");
      }
      return take(n, field);
    }

    Bytes take(int n, String field) {
      need(n, field);
      // copyOfRange, not Bytes.wrap(bytes, pos, n): wrap refuses an empty slice at the very end
      Bytes out = Bytes.wrap(java.util.Arrays.copyOfRange(bytes, pos, pos + n));
      pos += n;
      return out;
    }
  }
}
