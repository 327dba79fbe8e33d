package io.axivon.common.codec;

import io.axivon.common.InvalidInputException;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import org.apache.tuweni.bytes.Bytes;
import org.apache.tuweni.bytes.Bytes32;
import org.apache.tuweni.rlp.RLPException;
import org.apache.tuweni.rlp.RLPReader;

/**
 * Reads RLP items strictly, on top of Tuweni's reader in non-lenient mode.
 *
 * <p>Tuweni's strict mode already rejects: a length beyond the input, a long-form length where the
 * short form fits, leading zero bytes in a length, a single byte below 0x80 written as {@code
 * 0x81xx}, and lengths above 2^31-1. This class adds what it lets through: bytes left over in a
 * list or after the top-level item, the caller's length and depth limits, integers with leading
 * zeros or of more than 8 (uint64) or 32 (uint256) bytes, fixed-size fields of the wrong size, and
 * the byte offset in every error. Every failure is an {@link InvalidInputException}.
 *
 * <p>Values returned share memory with the decoder's private copy of the input, never with the
 * caller's buffer.
 */
public final class StrictRlpReader {
  private final RLPReader in;
  private final Bytes input; // the whole input, to read list headers (Tuweni does not expose them)
  private final int base; // offset in input where in's content starts
  private final int depth;
  private final RlpLimits limits;

  StrictRlpReader(RLPReader in, Bytes input, int base, int depth, RlpLimits limits) {
    this.in = in;
    this.input = input;
    this.base = base;
    this.depth = depth;
    this.limits = limits;
  }

  /** Offset in the whole input of the next item. */
  public int offset() {
    return base + in.position();
  }

  /** How many lists enclose the items this reader reads (0 at the top level). */
  public int depth() {
    return depth;
  }

  /** Whether another item follows in this list (or at the top level). */
  public boolean hasNext() {
    return !in.isComplete();
  }

  /** Whether the next item is a list; fails if there is no next item. */
  public boolean nextIsList() {
    requireNext(offset(), "an item");
    return in.nextIsList();
  }

  /** A byte string of any length within the limits. */
  public Bytes readBytes() {
    return readString("a byte string");
  }

  /** A byte string of at most {@code maxLength} bytes. */
  public Bytes readBytes(int maxLength) {
    int at = offset();
    Bytes v = readString("a byte string");
    if (v.size() > maxLength) {
      throw fail(
          at, "byte string of " + v.size() + " bytes, this field allows at most " + maxLength);
    }
    return v;
  }

  /** A byte string of exactly {@code length} bytes. */
  public Bytes readFixedBytes(int length) {
    int at = offset();
    Bytes v = readString("a " + length + "-byte string");
    if (v.size() != length) {
      throw fail(at, "expected a " + length + "-byte string, found " + v.size() + " bytes");
    }
    return v;
  }

  /** A byte string of exactly 32 bytes (a hash). */
  public Bytes32 readBytes32() {
    return Bytes32.wrap(readFixedBytes(32));
  }

  /** An unsigned integer of at most 8 bytes; values of 2^63 and above come back negative. */
  public long readUInt64() {
    Bytes v = readInteger("a uint64", 8);
    long r = 0;
    for (int i = 0; i < v.size(); i++) {
      r = (r << 8) | (v.get(i) & 0xff);
    }
    return r;
  }

  /** An unsigned integer that must fit a non-negative {@code int}, for counts and indices. */
  public int readInt() {
    int at = offset();
    long v = readUInt64();
    if (v < 0 || v > Integer.MAX_VALUE) {
      throw fail(at, "integer " + Long.toUnsignedString(v) + " exceeds 2^31-1");
    }
    return (int) v;
  }

  /** An unsigned integer of at most 32 bytes. */
  public BigInteger readUInt256() {
    Bytes v = readInteger("a uint256", 32);
    return v.isEmpty() ? BigInteger.ZERO : new BigInteger(1, v.toArrayUnsafe());
  }

  /** Ethereum's boolean: {@code 0x80} is false, {@code 0x01} is true, anything else is an error. */
  public boolean readBoolean() {
    int at = offset();
    long v = readUInt64();
    if (v != 0 && v != 1) {
      throw fail(at, "expected a boolean (0x80 or 0x01), found the integer " + v);
    }
    return v == 1;
  }

  /**
   * One item through its codec. An {@link IllegalArgumentException} from the codec (say, a record's
   * constructor refusing a value) becomes an {@link InvalidInputException} at this item's offset.
   */
  public <T> T read(RlpCodec<T> codec) {
    int at = offset();
    try {
      return codec.read(this);
    } catch (IllegalArgumentException e) {
      throw fail(at, "invalid value: " + e.getMessage(), e);
    }
  }

  /**
   * A list: {@code body} reads its items from a reader over the list's payload and must read all of
   * them.
   */
  public <T> T readList(Function<StrictRlpReader, T> body) {
    int at = offset();
    requireNext(at, "a list");
    if (!in.nextIsList()) {
      throw fail(at, "expected a list, found a byte string");
    }
    if (depth + 1 > limits.maxDepth()) {
      throw fail(at, "list nested deeper than the limit of " + limits.maxDepth());
    }
    try {
      return in.readList(
          false,
          inner -> {
            // Tuweni has checked the header and moved past the whole list; its remaining() counts
            // items, not bytes, so the payload's bounds come from the header byte and our offset.
            int first = input.get(at) & 0xff;
            int start = at + (first <= 0xf7 ? 1 : 1 + first - 0xf7);
            int end = offset();
            if (end - start > limits.maxLength()) {
              throw fail(
                  at,
                  "list of " + (end - start) + " bytes exceeds the limit of " + limits.maxLength());
            }
            StrictRlpReader child = new StrictRlpReader(inner, input, start, depth + 1, limits);
            T value = body.apply(child);
            if (child.hasNext()) {
              throw fail(
                  child.offset(),
                  (end - child.offset())
                      + " unread bytes at the end of the list that starts at byte "
                      + at);
            }
            return value;
          });
    } catch (RLPException e) {
      throw fail(at, "malformed list: " + e.getMessage(), e);
    } catch (IllegalArgumentException e) {
      throw fail(at, "invalid value in list: " + e.getMessage(), e);
    }
  }

  /** A list of items of one type. */
  public <T> List<T> readListOf(RlpCodec<T> element) {
    return readList(
        r -> {
          List<T> values = new ArrayList<>();
          while (r.hasNext()) {
            values.add(r.read(element));
          }
          return List.copyOf(values);
        });
  }

  /** An optional value written by {@link StrictRlpWriter#writeOptional}: a list of 0 or 1 item. */
  public <T> Optional<T> readOptional(RlpCodec<T> codec) {
    int at = offset();
    return readList(
        r -> {
          if (!r.hasNext()) {
            return Optional.empty();
          }
          T value = r.read(codec);
          if (r.hasNext()) {
            throw fail(at, "an optional value is a list of at most one item, found more");
          }
          return Optional.of(value);
        });
  }

  private Bytes readString(String what) {
    int at = offset();
    requireNext(at, what);
    if (in.nextIsList()) {
      throw fail(at, "expected " + what + ", found a list");
    }
    Bytes v;
    try {
      v = in.readValue(false);
    } catch (RLPException e) {
      throw fail(at, "malformed byte string: " + e.getMessage(), e);
    }
    if (v.size() > limits.maxLength()) {
      throw fail(
          at, "byte string of " + v.size() + " bytes exceeds the limit of " + limits.maxLength());
    }
    return v;
  }

  // Integer rules are checked here rather than by Tuweni's readLong/readBigInteger so the message
  // can say which rule failed and where; the framing underneath is still Tuweni's strict reader.
  private Bytes readInteger(String what, int maxBytes) {
    int at = offset();
    Bytes v = readString(what);
    if (v.size() > maxBytes) {
      throw fail(at, what + " has " + v.size() + " bytes, at most " + maxBytes + " allowed");
    }
    if (!v.isEmpty() && v.get(0) == 0) {
      throw fail(
          at,
          what
              + " has a leading zero byte (non-canonical; zero is the empty string 0x80): "
              + v.toHexString());
    }
    return v;
  }

  private void requireNext(int at, String what) {
    if (in.isComplete()) {
      throw fail(
          at,
          "expected "
              + what
              + " but "
              + (depth == 0 ? "the input ends" : "the enclosing list ends")
              + " here");
    }
  }

  static InvalidInputException fail(int offset, String message) {
    return new InvalidInputException("invalid RLP at byte " + offset + ": " + message);
  }

  static InvalidInputException fail(int offset, String message, Throwable cause) {
    return new InvalidInputException("invalid RLP at byte " + offset + ": " + message, cause);
  }
}
