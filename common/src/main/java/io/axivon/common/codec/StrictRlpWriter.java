package io.axivon.common.codec;

import java.math.BigInteger;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;
import org.apache.tuweni.bytes.Bytes;
import org.apache.tuweni.rlp.RLPWriter;

/**
 * Writes RLP items through Tuweni's {@link RLPWriter}, with typed methods that can only produce
 * canonical encodings. It exists because Tuweni's own {@code writeLong}/{@code writeBigInteger}
 * sign-extend: {@code writeLong(-1)} gives {@code 0xff}, not the 8-byte uint64 {@code
 * 0x88ffffffffffffffff}.
 */
public final class StrictRlpWriter {
  private static final BigInteger UINT256_LIMIT = BigInteger.ONE.shiftLeft(256);

  private final RLPWriter out;
  private int items;

  StrictRlpWriter(RLPWriter out) {
    this.out = out;
  }

  /** A byte string of any length (an empty one is {@code 0x80}). */
  public StrictRlpWriter writeBytes(Bytes value) {
    Objects.requireNonNull(value, "value");
    out.writeValue(value);
    items++;
    return this;
  }

  /** An unsigned 64-bit integer: {@code value} is read as unsigned, so -1 is 2^64-1. */
  public StrictRlpWriter writeUInt64(long value) {
    return writeBytes(Bytes.ofUnsignedLong(value).trimLeadingZeros());
  }

  /** An unsigned integer below 2^256. */
  public StrictRlpWriter writeUInt256(BigInteger value) {
    Objects.requireNonNull(value, "value");
    if (value.signum() < 0 || value.compareTo(UINT256_LIMIT) >= 0) {
      throw new IllegalArgumentException("uint256 out of range [0, 2^256): " + value);
    }
    return writeBytes(Bytes.wrap(value.toByteArray()).trimLeadingZeros());
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

  /** A list whose items {@code body} writes. */
  public StrictRlpWriter writeList(Consumer<StrictRlpWriter> body) {
    out.writeList(inner -> body.accept(new StrictRlpWriter(inner)));
    items++;
    return this;
  }

  /** A list of values of one type. */
  public <T> StrictRlpWriter writeListOf(List<T> values, RlpCodec<T> codec) {
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
}
