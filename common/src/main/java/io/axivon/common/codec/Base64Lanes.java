package io.axivon.common.codec;

import static jdk.incubator.vector.VectorOperators.EQ;
import static jdk.incubator.vector.VectorOperators.GE;
import static jdk.incubator.vector.VectorOperators.LSHL;
import static jdk.incubator.vector.VectorOperators.LSHR;
import static jdk.incubator.vector.VectorOperators.LT;
import static jdk.incubator.vector.VectorOperators.ULT;

import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorShuffle;
import jdk.incubator.vector.VectorSpecies;

/**
 * The vector bulk of {@link Base64Vector}: whole blocks of {@link #CHARS} base64 characters (
 * {@link #BYTES} bytes), one 3-byte group per 32-bit lane, after the published SIMD base64 designs
 * (Muła and Lemire): a byte shuffle spreads each group over its lane, shifts and masks cut the 24
 * bits into four 6-bit indices, and range compares map indices to the alphabet and back. Padding,
 * the last partial block and every error are left to the caller. Loaded only through {@link
 * Base64Vector}, which checks that the JVM has the jdk.incubator.vector module. Stateless.
 */
final class Base64Lanes {
  private static final VectorSpecies<Byte> B = ByteVector.SPECIES_PREFERRED;

  /** Characters per vector block. */
  static final int CHARS = B.length();

  /** Bytes per vector block. */
  static final int BYTES = CHARS / 4 * 3;

  /** Encode: lane i holds bytes 3i+2, 3i+1, 3i (and a filler), so its int is the 24-bit group. */
  private static final VectorShuffle<Byte> SPREAD;

  /** Decode: bytes 3i, 3i+1, 3i+2 of the output come from bytes 2, 1, 0 of lane i. */
  private static final VectorShuffle<Byte> PACK;

  private static final VectorMask<Byte> PACKED = B.indexInRange(0, BYTES);

  /** The 64 characters as one vector when it holds them: one table lookup per block. */
  private static final ByteVector ALPHABET =
      CHARS == 64
          ? ByteVector.fromArray(
              B,
              "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"
                  .getBytes(java.nio.charset.StandardCharsets.US_ASCII),
              0)
          : null;

  /** ASCII 0..63 and 64..127 to 6-bit values, -1 where not in the alphabet. */
  private static final ByteVector VALUES_LOW;

  private static final ByteVector VALUES_HIGH;

  static {
    if (CHARS == 64) {
      byte[] values = new byte[128];
      java.util.Arrays.fill(values, (byte) -1);
      for (int k = 0; k < 64; k++) {
        values[ALPHABET.lane(k)] = (byte) k;
      }
      VALUES_LOW = ByteVector.fromArray(B, values, 0);
      VALUES_HIGH = ByteVector.fromArray(B, values, 64);
    } else {
      VALUES_LOW = null;
      VALUES_HIGH = null;
    }
  }

  static {
    int[] spread = new int[CHARS];
    int[] pack = new int[CHARS];
    for (int i = 0; i < CHARS / 4; i++) {
      spread[4 * i] = 3 * i + 2;
      spread[4 * i + 1] = 3 * i + 1;
      spread[4 * i + 2] = 3 * i;
      spread[4 * i + 3] = 3 * i;
      pack[3 * i] = 4 * i + 2;
      pack[3 * i + 1] = 4 * i + 1;
      pack[3 * i + 2] = 4 * i;
    }
    SPREAD = VectorShuffle.fromArray(B, spread, 0);
    PACK = VectorShuffle.fromArray(B, pack, 0);
  }

  private Base64Lanes() {}

  /** Whether vectors are wide enough to beat the JDK codec (256 bits or more). */
  static boolean worthIt() {
    return CHARS >= 32;
  }

  /**
   * Encodes whole blocks of {@code in[off, off + len)} to {@code out[outOff, …)} while a full
   * vector can be read; returns the input bytes consumed (a multiple of {@link #BYTES}).
   */
  static int encode(byte[] in, int off, int len, byte[] out, int outOff) {
    int i = 0;
    int o = outOff;
    // each step reads a whole vector but consumes only BYTES of it
    for (; i + CHARS <= len; i += BYTES, o += CHARS) {
      IntVector v = ByteVector.fromArray(B, in, off + i).rearrange(SPREAD).reinterpretAsInts();
      // the four 6-bit indices, most significant first, into bytes 0..3 of the lane
      IntVector idx =
          v.lanewise(LSHR, 18)
              .and(0x3f)
              .or(v.lanewise(LSHR, 4).and(0x3f00))
              .or(v.lanewise(LSHL, 10).and(0x3f0000))
              .or(v.lanewise(LSHL, 24).and(0x3f000000));
      ByteVector x = idx.reinterpretAsBytes();
      if (ALPHABET != null) {
        x.selectFrom(ALPHABET).intoArray(out, o);
        continue;
      }
      // A-Z, a-z, 0-9, '+', '/': add each range's offset from its first index
      ByteVector offset =
          ByteVector.broadcast(B, (byte) 'A')
              .blend('a' - 26, x.compare(GE, 26))
              .blend('0' - 52, x.compare(GE, 52))
              .blend('+' - 62, x.compare(EQ, 62))
              .blend('/' - 63, x.compare(EQ, 63));
      x.add(offset).intoArray(out, o);
    }
    return i;
  }

  /**
   * Decodes whole blocks of {@code in[off, off + len)} to {@code out[outOff, outEnd)}, stopping
   * before the first block that holds anything but the 64 alphabet characters (padding included);
   * returns the characters consumed (a multiple of {@link #CHARS}). Writes nothing at or past
   * {@code outEnd}.
   */
  static int decode(byte[] in, int off, int len, byte[] out, int outOff, int outEnd) {
    int i = 0;
    int o = outOff;
    for (; i + CHARS <= len; i += CHARS, o += BYTES) {
      ByteVector c = ByteVector.fromArray(B, in, off + i);
      IntVector x;
      if (VALUES_LOW != null) {
        // one two-table lookup by the low 7 bits; bytes >= 0x80 index negatively
        ByteVector v = c.selectFrom(VALUES_LOW, VALUES_HIGH);
        if (v.or(c).compare(LT, 0).anyTrue()) {
          break;
        }
        x = v.reinterpretAsInts();
      } else {
        x = values(c);
        if (x == null) {
          break;
        }
      }
      // lane bytes s0..s3 (6 bits each) into the 24-bit group s0 s1 s2 s3
      IntVector group =
          x.lanewise(LSHL, 18)
              .and(0xfc0000)
              .or(x.lanewise(LSHL, 4).and(0x3f000))
              .or(x.lanewise(LSHR, 10).and(0xfc0))
              .or(x.lanewise(LSHR, 24));
      ByteVector packed = group.reinterpretAsBytes().rearrange(PACK);
      if (o + CHARS <= outEnd) {
        packed.intoArray(out, o); // the bytes past BYTES are overwritten by the next block
      } else {
        packed.intoArray(out, o, PACKED);
      }
    }
    return i;
  }

  /** The 6-bit values of {@code c} by range compares, or null if one is not in the alphabet. */
  private static IntVector values(ByteVector c) {
    ByteVector upper = c.sub((byte) 'A');
    ByteVector lower = c.sub((byte) 'a');
    VectorMask<Byte> isUpper = upper.compare(ULT, 26);
    VectorMask<Byte> isLower = lower.compare(ULT, 26);
    VectorMask<Byte> isDigit = c.sub((byte) '0').compare(ULT, 10);
    VectorMask<Byte> isPlus = c.compare(EQ, '+');
    VectorMask<Byte> isSlash = c.compare(EQ, '/');
    if (!isUpper.or(isLower).or(isDigit).or(isPlus).or(isSlash).allTrue()) {
      return null;
    }
    return c.add((byte) (52 - '0'))
        .blend(upper, isUpper)
        .blend(lower.add((byte) 26), isLower)
        .blend(62, isPlus)
        .blend(63, isSlash)
        .reinterpretAsInts();
  }

  /**
   * The first index in {@code [from, limit)} holding {@code value}, looking at whole vectors only:
   * if none of them holds it, {@code -(i + 1)} where i is the first index not looked at.
   */
  static int indexOf(byte[] in, int from, int limit, byte value) {
    int i = from;
    for (; i <= limit - CHARS; i += CHARS) {
      VectorMask<Byte> hit = ByteVector.fromArray(B, in, i).compare(EQ, value);
      if (hit.anyTrue()) {
        return i + hit.firstTrue();
      }
    }
    return -(i + 1);
  }
}
