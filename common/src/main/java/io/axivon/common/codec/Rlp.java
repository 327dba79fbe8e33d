package io.axivon.common.codec;

import io.axivon.common.InvalidInputException;
import io.axivon.common.crypto.Keccak256;
import java.math.BigInteger;
import java.util.List;
import java.util.Optional;
import org.apache.tuweni.bytes.Bytes;
import org.apache.tuweni.bytes.Bytes32;
import org.apache.tuweni.rlp.RLP;
import org.apache.tuweni.rlp.RLPException;

/**
 * The canonical binary encoding of every Axivon protocol object: Ethereum's RLP, decoded strictly
 * so that each value has exactly one accepted encoding. See {@code specs/encoding.md}.
 */
public final class Rlp {
  private Rlp() {}

  /** Unsigned 64-bit integer (Java {@code long} read as unsigned). */
  public static final RlpCodec<Long> UINT64 =
      RlpCodec.of(StrictRlpWriter::writeUInt64, StrictRlpReader::readUInt64);

  /** Unsigned integer below 2^256. */
  public static final RlpCodec<BigInteger> UINT256 =
      RlpCodec.of(StrictRlpWriter::writeUInt256, StrictRlpReader::readUInt256);

  /** Byte string of any length. */
  public static final RlpCodec<Bytes> BYTES =
      RlpCodec.of(StrictRlpWriter::writeBytes, StrictRlpReader::readBytes);

  /**
   * A byte string decoded into an array of its own, for values kept long or used as map keys (such
   * as transactions): {@link #BYTES} answers a slice of the message, which every {@code
   * toArrayUnsafe} copies again and which keeps the whole message alive while held.
   */
  public static final RlpCodec<Bytes> OWN_BYTES =
      RlpCodec.of(StrictRlpWriter::writeBytes, r -> Bytes.wrap(r.readBytes().toArray()));

  /** Byte string of exactly 32 bytes. */
  public static final RlpCodec<Bytes32> BYTES32 =
      RlpCodec.of(StrictRlpWriter::writeBytes, StrictRlpReader::readBytes32);

  /** Boolean as the integer 0 or 1. */
  public static final RlpCodec<Boolean> BOOLEAN =
      RlpCodec.of(StrictRlpWriter::writeBoolean, StrictRlpReader::readBoolean);

  /** Byte string of exactly {@code length} bytes (e.g. 20 for an address). */
  public static RlpCodec<Bytes> fixedBytes(int length) {
    if (length < 0) {
      throw new IllegalArgumentException("length must be >= 0, got " + length);
    }
    return RlpCodec.of(
        (w, v) -> {
          if (v.size() != length) {
            throw new IllegalArgumentException(
                "expected " + length + " bytes, got " + v.size() + ": " + v.toHexString());
          }
          w.writeBytes(v);
        },
        r -> r.readFixedBytes(length));
  }

  /** A list of values of one type. */
  public static <T> RlpCodec<List<T>> listOf(RlpCodec<T> element) {
    return RlpCodec.of((w, v) -> w.writeListOf(v, element), r -> r.readListOf(element));
  }

  /** An optional value as a list of zero or one item. */
  public static <T> RlpCodec<Optional<T>> optional(RlpCodec<T> element) {
    return RlpCodec.of((w, v) -> w.writeOptional(v, element), r -> r.readOptional(element));
  }

  /** The canonical encoding of {@code value}: exactly one RLP item. */
  public static <T> Bytes encode(RlpCodec<T> codec, T value) {
    StrictRlpWriter w = new StrictRlpWriter();
    w.write(codec, value);
    return Bytes.wrap(w.toBytes());
  }

  /**
   * Keccak-256 of {@code RLP([[s...], rest...])}: a list whose first item is the list of the byte
   * strings {@code strings} and whose other items are {@code encodedRest}, already RLP. The same as
   * hashing {@link #encode}'s answer, without building it: the strings go to the hash from their
   * own arrays (a block's transactions are megabytes).
   */
  public static Bytes32 keccak256OfList(List<Bytes> strings, Bytes encodedRest) {
    long payload = 0;
    for (Bytes s : strings) {
      payload += stringItemLength(s);
    }
    int inner = Math.toIntExact(payload);
    int outer = Math.toIntExact(StrictRlpWriter.headerLength(inner) + payload + encodedRest.size());
    Keccak256 k = new Keccak256();
    byte[] head = new byte[9];
    k.update(head, 0, StrictRlpWriter.putHeader(head, 0, 0xc0, outer));
    k.update(head, 0, StrictRlpWriter.putHeader(head, 0, 0xc0, inner));
    for (Bytes s : strings) {
      byte[] a = s.toArrayUnsafe(); // the array itself for whole-array Bytes; a copy for slices
      if (a.length == 1 && (a[0] & 0xff) < 0x80) {
        k.update(a, 0, 1); // a single byte below 0x80 is its own encoding
      } else {
        k.update(head, 0, StrictRlpWriter.putHeader(head, 0, 0x80, a.length));
        k.update(a, 0, a.length);
      }
    }
    byte[] rest = encodedRest.toArrayUnsafe();
    k.update(rest, 0, rest.length);
    return Bytes32.wrap(k.digest());
  }

  /** The length of {@code s}'s encoding as an RLP byte string, header included. */
  static long stringItemLength(Bytes s) {
    int n = s.size();
    if (n == 1 && (s.get(0) & 0xff) < 0x80) {
      return 1;
    }
    return StrictRlpWriter.headerLength(n) + (long) n;
  }

  /** Decodes with {@link RlpLimits#DEFAULT}; use the three-argument form for network input. */
  public static <T> T decode(RlpCodec<T> codec, Bytes input) {
    return decode(codec, input, RlpLimits.DEFAULT);
  }

  /**
   * Decodes exactly one item from the whole of {@code input}.
   *
   * @throws InvalidInputException if the input is not the canonical encoding of a value, exceeds
   *     {@code limits}, or has bytes after the item; the message names the byte offset
   */
  public static <T> T decode(RlpCodec<T> codec, Bytes input, RlpLimits limits) {
    if (input.isEmpty()) {
      throw new InvalidInputException("invalid RLP at byte 0: empty input, expected one item");
    }
    if (input.size() > limits.maxInputBytes()) {
      throw new InvalidInputException(
          "invalid RLP at byte 0: input of "
              + input.size()
              + " bytes exceeds the limit of "
              + limits.maxInputBytes());
    }
    // One private copy: decoded values are slices of it, so a caller reusing its buffer cannot
    // change them afterwards.
    Bytes own = Bytes.wrap(input.toArray());
    try {
      return RLP.decode(
          own,
          false,
          in -> {
            StrictRlpReader r = new StrictRlpReader(in, own, 0, 0, limits);
            T value = r.read(codec);
            if (r.hasNext()) {
              throw StrictRlpReader.fail(
                  r.offset(),
                  (own.size() - r.offset())
                      + " trailing bytes after the item; input must be exactly one item");
            }
            return value;
          });
    } catch (RLPException e) {
      // StrictRlpReader maps Tuweni's errors itself; this only guards against one slipping by.
      throw new InvalidInputException("invalid RLP: " + e.getMessage(), e);
    }
  }
}
