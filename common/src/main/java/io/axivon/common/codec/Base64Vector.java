package io.axivon.common.codec;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Objects;

/**
 * Standard base64 (RFC 4648 §4: '+' and '/', '=' padding, no line breaks), the form of 0G's storage
 * segments on the wire, with the bulk done by the Vector API. Written because the JDK's base64
 * intrinsics are C2-only stubs for a method called once per buffer: with 256 KiB segments we saw
 * java.util.Base64 stay at about 1 GB/s for thousands of calls (a tenth of an upload's CPU), while
 * this loop is compiled within a few calls. Once the JDK's intrinsics do apply, on AVX-512 they are
 * faster than this (Base64Bench). Output is byte-identical to {@link Base64#getEncoder()}, and
 * {@code decode} accepts and rejects exactly what {@link Base64#getDecoder()} does, with its
 * exception and message: padding, the last partial block and every rejected input go through the
 * JDK decoder. Without the jdk.incubator.vector module, or with vectors narrower than 256 bits, it
 * is a scalar encoder and the JDK decoder. Immutable and thread-safe.
 */
public final class Base64Vector {
  private static final byte[] ALPHABET =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"
          .getBytes(StandardCharsets.US_ASCII);

  private final boolean vector;

  /** A codec on the vector path when the JVM and CPU offer it. */
  public Base64Vector() {
    this(true);
  }

  /** {@code vector} false: always the scalar path (the reference in tests and benches). */
  public Base64Vector(boolean vector) {
    this.vector = vector && vectorUsable();
  }

  /** Whether this codec uses vectors. */
  public boolean vectorized() {
    return vector;
  }

  /** Characters that {@code len} bytes encode to. */
  public static int encodedLength(int len) {
    if (len < 0) {
      throw new IllegalArgumentException("len must be >= 0");
    }
    long n = 4L * ((len + 2L) / 3);
    if (n > Integer.MAX_VALUE - 16) {
      throw new IllegalArgumentException("Input too large for base64: " + len + " bytes");
    }
    return (int) n;
  }

  /**
   * Writes the base64 of {@code in[off, off + len)} to {@code out[outOff, outOff +
   * encodedLength(len))}; returns the characters written.
   */
  public int encode(byte[] in, int off, int len, byte[] out, int outOff) {
    Objects.checkFromIndexSize(off, len, in.length);
    int n = encodedLength(len);
    Objects.checkFromIndexSize(outOff, n, out.length);
    int done = vector ? Base64Lanes.encode(in, off, len, out, outOff) : 0;
    encodeScalar(in, off + done, len - done, out, outOff + done / 3 * 4);
    return n;
  }

  /** The base64 of {@code in} as ASCII bytes. */
  public byte[] encode(byte[] in) {
    byte[] out = new byte[encodedLength(in.length)];
    encode(in, 0, in.length, out, 0);
    return out;
  }

  /** The base64 of {@code in}. */
  public String encodeToString(byte[] in) {
    return new String(encode(in), StandardCharsets.ISO_8859_1);
  }

  /**
   * The bytes that the base64 {@code in[off, off + len)} encodes.
   *
   * @throws IllegalArgumentException what {@code Base64.getDecoder().decode} throws for the span
   */
  public byte[] decode(byte[] in, int off, int len) {
    Objects.checkFromIndexSize(off, len, in.length);
    int bulk = bulkChars(len);
    if (bulk == 0) {
      return jdkDecode(in, off, len);
    }
    byte[] tail = tail(in, off + bulk, len - bulk);
    if (tail == null) {
      return jdkDecode(in, off, len); // throws the JDK's exception
    }
    int head = bulk / 4 * 3;
    byte[] out = new byte[head + tail.length];
    if (Base64Lanes.decode(in, off, bulk, out, 0, head) < bulk) {
      return jdkDecode(in, off, len);
    }
    System.arraycopy(tail, 0, out, head, tail.length);
    return out;
  }

  /** The bytes that the base64 {@code in} encodes; see {@link #decode(byte[], int, int)}. */
  public byte[] decode(byte[] in) {
    return decode(in, 0, in.length);
  }

  /**
   * Writes the bytes that the base64 {@code in[off, off + len)} encodes to {@code out[outOff, …)};
   * returns the bytes written. Writes nothing past them.
   *
   * @throws IllegalArgumentException what {@code Base64.getDecoder().decode} throws for the span,
   *     or when {@code out} has too little room
   */
  public int decode(byte[] in, int off, int len, byte[] out, int outOff) {
    Objects.checkFromIndexSize(off, len, in.length);
    Objects.checkIndex(outOff, out.length + 1);
    int bulk = bulkChars(len);
    byte[] tail = bulk == 0 ? null : tail(in, off + bulk, len - bulk);
    if (tail == null) {
      return copyOut(jdkDecode(in, off, len), out, outOff);
    }
    int head = bulk / 4 * 3;
    if (head + tail.length > out.length - outOff) {
      throw new IllegalArgumentException("Output byte array is too small for decoding all input");
    }
    if (Base64Lanes.decode(in, off, bulk, out, outOff, outOff + head) < bulk) {
      return copyOut(jdkDecode(in, off, len), out, outOff);
    }
    System.arraycopy(tail, 0, out, outOff + head, tail.length);
    return head + tail.length;
  }

  /**
   * Characters for the vector blocks: whole blocks that leave at least the last 4 characters, where
   * any padding lies, to the JDK decoder; 0 on the scalar path.
   */
  private int bulkChars(int len) {
    if (!vector) {
      return 0;
    }
    return Math.max(0, len - 4) / Base64Lanes.CHARS * Base64Lanes.CHARS;
  }

  /**
   * The tail after whole 4-character units of alphabet characters: the JDK decoder starts it in the
   * state it would be in there, so the whole is valid exactly when the bulk and the tail are. Null
   * when the JDK rejects it.
   */
  private static byte[] tail(byte[] in, int off, int len) {
    try {
      ByteBuffer b = Base64.getDecoder().decode(ByteBuffer.wrap(in, off, len));
      byte[] bytes = new byte[b.remaining()];
      b.get(bytes);
      return bytes;
    } catch (IllegalArgumentException e) {
      return null;
    }
  }

  private static byte[] jdkDecode(byte[] in, int off, int len) {
    if (off == 0 && len == in.length) {
      return Base64.getDecoder().decode(in);
    }
    ByteBuffer b = Base64.getDecoder().decode(ByteBuffer.wrap(in, off, len));
    byte[] bytes = new byte[b.remaining()];
    b.get(bytes);
    return bytes;
  }

  private static int copyOut(byte[] bytes, byte[] out, int outOff) {
    if (bytes.length > out.length - outOff) {
      throw new IllegalArgumentException("Output byte array is too small for decoding all input");
    }
    System.arraycopy(bytes, 0, out, outOff, bytes.length);
    return bytes.length;
  }

  private static void encodeScalar(byte[] in, int off, int len, byte[] out, int o) {
    int end = off + len - len % 3;
    int i = off;
    for (; i < end; i += 3, o += 4) {
      int g = (in[i] & 0xff) << 16 | (in[i + 1] & 0xff) << 8 | (in[i + 2] & 0xff);
      out[o] = ALPHABET[g >>> 18];
      out[o + 1] = ALPHABET[(g >>> 12) & 0x3f];
      out[o + 2] = ALPHABET[(g >>> 6) & 0x3f];
      out[o + 3] = ALPHABET[g & 0x3f];
    }
    int rest = off + len - i;
    if (rest > 0) {
      int g = (in[i] & 0xff) << 16 | (rest == 2 ? (in[i + 1] & 0xff) << 8 : 0);
      out[o] = ALPHABET[g >>> 18];
      out[o + 1] = ALPHABET[(g >>> 12) & 0x3f];
      out[o + 2] = rest == 2 ? ALPHABET[(g >>> 6) & 0x3f] : (byte) '=';
      out[o + 3] = '=';
    }
  }

  /**
   * The first index in {@code [from, limit)} holding {@code value}, or {@code limit}: where a
   * base64 text embedded in a buffer ends (its closing quote in JSON), found a vector at a time.
   */
  public int indexOf(byte[] in, int from, int limit, byte value) {
    Objects.checkFromToIndex(from, limit, in.length);
    int i = from;
    if (vector) {
      int found = Base64Lanes.indexOf(in, from, limit, value);
      if (found >= 0) {
        return found;
      }
      i = -found - 1;
    }
    for (; i < limit; i++) {
      if (in[i] == value) {
        return i;
      }
    }
    return limit;
  }

  private static boolean vectorUsable() {
    if (ModuleLayer.boot().findModule("jdk.incubator.vector").isEmpty()) {
      return false;
    }
    try {
      return Base64Lanes.worthIt();
    } catch (LinkageError e) {
      return false;
    }
  }
}
