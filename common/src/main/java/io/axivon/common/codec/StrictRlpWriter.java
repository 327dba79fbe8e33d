package io.axivon.common.codec;

import java.math.BigInteger;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;
import org.apache.tuweni.bytes.Bytes;

/**
 * Writes RLP with typed methods that can only produce canonical encodings (Tuweni's {@code
 * writeLong}/{@code writeBigInteger} sign-extend: {@code writeLong(-1)} gives {@code 0xff}, not the
 * 8-byte uint64).
 *
 * <p>Our own encoder rather than Tuweni's {@code RLPWriter}: Tuweni keeps every item as an array of
 * its own in a deque per list and concatenates them at each list's end, which made encoding a block
 * of thousands of transactions and receipts (stored by every validator, sent in proposals and
 * gossip batches) a tenth of a loaded node's CPU. Here items go straight into one growing array; a
 * list's header, whose length is only known once the list ends, is recorded with where it goes and
 * inserted in one pass at the end ({@link #toBytes}). Tests compare it with Tuweni's encoder.
 */
public final class StrictRlpWriter {
  private static final BigInteger UINT256_LIMIT = BigInteger.ONE.shiftLeft(256);

  /** Item bytes without list headers. */
  private byte[] raw = new byte[64];

  private int size;

  /** By list, in the order lists were opened (so by position, a list before those it holds). */
  private int[] listAt = new int[8]; // offset in raw of the list's first item

  private int[] listPayload = new int[8]; // payload length, nested headers included

  private int lists;

  /** Open lists: each one's index and the header bytes of the lists closed inside it so far. */
  private int[] open = new int[4];

  private int[] openNestedHeaders = new int[4];
  private int depth;
  private int topHeaders; // header bytes of the lists at the top level
  private int items; // items at the current level, for {@link #write}'s check

  StrictRlpWriter() {}

  /** A byte string of any length (an empty one is {@code 0x80}). */
  public StrictRlpWriter writeBytes(Bytes value) {
    Objects.requireNonNull(value, "value");
    int n = value.size();
    if (n == 1 && (value.get(0) & 0xff) < 0x80) {
      ensure(1);
      raw[size++] = value.get(0);
    } else {
      header(0x80, n, n);
      // the array itself for whole-array Bytes (most values here); a copy for slices
      System.arraycopy(value.toArrayUnsafe(), 0, raw, size, n);
      size += n;
    }
    items++;
    return this;
  }

  /** An unsigned 64-bit integer: {@code value} is read as unsigned, so -1 is 2^64-1. */
  public StrictRlpWriter writeUInt64(long value) {
    if (value > 0 && value < 0x80) {
      ensure(1);
      raw[size++] = (byte) value;
    } else {
      int n = 8 - Long.numberOfLeadingZeros(value) / 8; // 0 for 0, 8 for "negative"
      ensure(1 + n);
      raw[size++] = (byte) (0x80 + n);
      for (int i = n - 1; i >= 0; i--) {
        raw[size++] = (byte) (value >>> (8 * i));
      }
    }
    items++;
    return this;
  }

  /** An unsigned integer below 2^256. */
  public StrictRlpWriter writeUInt256(BigInteger value) {
    Objects.requireNonNull(value, "value");
    if (value.signum() < 0 || value.compareTo(UINT256_LIMIT) >= 0) {
      throw new IllegalArgumentException("uint256 out of range [0, 2^256): " + value);
    }
    if (value.bitLength() < 64) {
      return writeUInt64(value.longValue());
    }
    byte[] b = value.toByteArray(); // big-endian with a sign byte when the top bit is set
    int from = b[0] == 0 ? 1 : 0;
    return writeBytes(Bytes.wrap(b, from, b.length - from));
  }

  /** Ethereum's convention: false is the integer 0 ({@code 0x80}), true is 1 ({@code 0x01}). */
  public StrictRlpWriter writeBoolean(boolean value) {
    return writeUInt64(value ? 1 : 0);
  }

  /** One value through its codec, which must write exactly one item. */
  public <T> StrictRlpWriter write(RlpCodec<T> codec, T value) {
    int before = items;
    codec.write(this, value);
    if (items != before + 1) {
      throw new IllegalStateException(
          "codec " + codec + " wrote " + (items - before) + " items; a codec writes exactly one");
    }
    return this;
  }

  /** A list whose items {@code body} writes (to the writer it is given). */
  public StrictRlpWriter writeList(Consumer<StrictRlpWriter> body) {
    if (lists == listAt.length) {
      listAt = Arrays.copyOf(listAt, lists * 2);
      listPayload = Arrays.copyOf(listPayload, lists * 2);
    }
    int list = lists++;
    listAt[list] = size;
    if (depth == open.length) {
      open = Arrays.copyOf(open, depth * 2);
      openNestedHeaders = Arrays.copyOf(openNestedHeaders, depth * 2);
    }
    open[depth] = list;
    openNestedHeaders[depth] = 0;
    depth++;
    int outerItems = items;
    items = 0;
    body.accept(this);
    depth--;
    int nested = openNestedHeaders[depth];
    int payload = size - listAt[list] + nested;
    listPayload[list] = payload;
    int headers = nested + headerLength(payload);
    if (depth > 0) {
      openNestedHeaders[depth - 1] += headers;
    } else {
      topHeaders += headers;
    }
    items = outerItems + 1;
    return this;
  }

  /** A list of values of one type. */
  public <T> StrictRlpWriter writeListOf(List<T> values, RlpCodec<T> codec) {
    if (codec == Rlp.BYTES || codec == Rlp.OWN_BYTES) {
      // room for all of them at once: a block's thousands of transactions would otherwise grow
      // the array (and copy what it holds) a dozen times
      long room = 0;
      for (T v : values) {
        room += Rlp.stringItemLength((Bytes) v);
      }
      ensure((int) Math.min(Integer.MAX_VALUE - 16, room));
    }
    return writeList(
        w -> {
          for (T v : values) {
            w.write(codec, v);
          }
        });
  }

  /**
   * An optional value as a list of zero or one item: {@code 0xc0} when absent. Unlike "absent =
   * empty string", this never confuses an absent value with a present empty or zero one.
   */
  public <T> StrictRlpWriter writeOptional(Optional<T> value, RlpCodec<T> codec) {
    return writeList(w -> value.ifPresent(v -> w.write(codec, v)));
  }

  /** Everything written, with the list headers in place. */
  byte[] toBytes() {
    if (depth != 0) {
      throw new IllegalStateException("a list is still open");
    }
    byte[] out = new byte[size + topHeaders];
    int from = 0;
    int to = 0;
    for (int i = 0; i < lists; i++) {
      int at = listAt[i];
      System.arraycopy(raw, from, out, to, at - from);
      to += at - from;
      from = at;
      to = putHeader(out, to, 0xc0, listPayload[i]);
    }
    System.arraycopy(raw, from, out, to, size - from);
    return out;
  }

  /** A string header for {@code length} bytes, with room for {@code extra} bytes after it. */
  private void header(int base, int length, int extra) {
    ensure(headerLength(length) + extra);
    size = putHeader(raw, size, base, length);
  }

  static int headerLength(int payload) {
    return payload <= 55 ? 1 : 1 + lengthOfLength(payload);
  }

  private static int lengthOfLength(int payload) {
    return 4 - Integer.numberOfLeadingZeros(payload) / 8;
  }

  /** Writes the header of a string (base 0x80) or list (0xc0) payload at {@code at}. */
  static int putHeader(byte[] out, int at, int base, int payload) {
    if (payload <= 55) {
      out[at++] = (byte) (base + payload);
      return at;
    }
    int n = lengthOfLength(payload);
    out[at++] = (byte) (base + 55 + n);
    for (int i = n - 1; i >= 0; i--) {
      out[at++] = (byte) (payload >>> (8 * i));
    }
    return at;
  }

  private void ensure(int more) {
    if (size + more > raw.length) {
      raw = Arrays.copyOf(raw, Math.max(raw.length * 2, size + more));
    }
  }
}
