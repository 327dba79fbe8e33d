package io.axivon.common.store;

import java.nio.charset.StandardCharsets;
import org.apache.tuweni.bytes.Bytes;
import org.apache.tuweni.bytes.Bytes32;

/** Ready serializers for the common key and value types. */
public final class Serializers {
  private Serializers() {}

  /** Any byte string, stored as is; keys sort as unsigned bytes, shorter prefix first. */
  public static final Serializer<Bytes> BYTES =
      Serializer.of(Bytes::toArrayUnsafe, bytes -> Bytes.wrap(bytes));

  /** Exactly 32 bytes (hashes, roots); anything else stored under this serializer is corrupt. */
  public static final Serializer<Bytes32> BYTES32 =
      Serializer.of(
          Bytes32::toArrayUnsafe,
          bytes -> {
            if (bytes.length != 32) {
              throw new IllegalStateException(
                  "expected a 32-byte value, found " + bytes.length + " bytes");
            }
            return Bytes32.wrap(bytes);
          });

  /**
   * A long as 8 big-endian bytes with the sign bit flipped, so that unsigned byte order is numeric
   * order for every long, negatives included (block numbers then iterate in height order).
   */
  public static final Serializer<Long> LONG =
      Serializer.of(Serializers::longToBytes, Serializers::longFromBytes);

  /** UTF-8 text; keys sort by code point. */
  public static final Serializer<String> STRING =
      Serializer.of(
          s -> s.getBytes(StandardCharsets.UTF_8),
          bytes -> new String(bytes, StandardCharsets.UTF_8));

  static byte[] longToBytes(Long value) {
    long v = value ^ Long.MIN_VALUE;
    byte[] out = new byte[8];
    for (int i = 7; i >= 0; i--) {
      out[i] = (byte) v;
      v >>>= 8;
    }
    return out;
  }

  static Long longFromBytes(byte[] bytes) {
    if (bytes.length != 8) {
      throw new IllegalStateException("expected an 8-byte long, found " + bytes.length + " bytes");
    }
    long v = 0;
    for (byte b : bytes) {
      v = (v << 8) | (b & 0xFF);
    }
    return v ^ Long.MIN_VALUE;
  }
}
