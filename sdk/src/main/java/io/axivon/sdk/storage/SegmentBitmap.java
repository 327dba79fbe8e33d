package io.axivon.sdk.storage;

import io.axivon.common.InvalidInputException;
import java.util.BitSet;
import java.util.HexFormat;
import java.util.Objects;

/**
 * Which of a file's data segments a node stores: bit {@code i} set iff segment {@code i} is stored
 * (the answer of the Axivon extension {@code zgs_getSegmentBitmap}, specs/storage-rpc.md §3.1).
 *
 * <p>Wire form: {@code "0x"} and {@code 2 * ceil(segments / 8)} lower-case hex digits; segment
 * {@code i} is bit {@code i mod 8} (least significant first) of byte {@code i / 8}, and the bits
 * past the last segment are zero. 2 KiB of bytes for a 4 GiB file (16,384 segments). Immutable.
 *
 * @param segments the file's data segments
 * @param stored the stored segments; never holds an index at or past {@code segments}
 */
public record SegmentBitmap(long segments, BitSet stored) {
  /** Files beyond 2^31 segments (512 TiB) are not answered in one bitmap. */
  public static final long MAX_SEGMENTS = Integer.MAX_VALUE;

  public SegmentBitmap {
    if (segments < 0 || segments > MAX_SEGMENTS) {
      throw new IllegalArgumentException(
          "segments must be 0.." + MAX_SEGMENTS + ", got " + segments);
    }
    Objects.requireNonNull(stored, "stored");
    if (stored.length() > segments) {
      throw new IllegalArgumentException(
          "segment " + (stored.length() - 1) + " is set in a bitmap of " + segments + " segments");
    }
    stored = (BitSet) stored.clone();
  }

  @Override
  public BitSet stored() {
    return (BitSet) stored.clone();
  }

  /** Whether segment {@code index} is stored. */
  public boolean has(long index) {
    return index >= 0 && index < segments && stored.get((int) index);
  }

  /** How many segments are stored. */
  public long count() {
    return stored.cardinality();
  }

  /** The wire form: {@code 0x} and the hex of the bitmap bytes. */
  public String toHex() {
    byte[] bytes = new byte[byteLength(segments)];
    byte[] set = stored.toByteArray(); // little-endian bit order: the wire order
    System.arraycopy(set, 0, bytes, 0, set.length);
    return "0x" + HexFormat.of().formatHex(bytes);
  }

  /**
   * Parses the wire form of a bitmap of {@code segments} segments.
   *
   * @throws InvalidInputException if the text is not {@code 0x} and exactly the right number of hex
   *     digits, or sets a bit past the last segment
   */
  public static SegmentBitmap fromHex(long segments, String hex) {
    if (segments < 0 || segments > MAX_SEGMENTS) {
      throw new InvalidInputException("segments must be 0.." + MAX_SEGMENTS + ", got " + segments);
    }
    int len = byteLength(segments);
    if (hex == null || !hex.startsWith("0x") || hex.length() != 2 + 2 * len) {
      throw new InvalidInputException(
          "a bitmap of "
              + segments
              + " segments is 0x and "
              + 2 * len
              + " hex digits, got "
              + (hex == null ? "nothing" : hex.length() + " characters"));
    }
    byte[] bytes;
    try {
      bytes = HexFormat.of().parseHex(hex, 2, hex.length());
    } catch (IllegalArgumentException e) {
      throw new InvalidInputException("bitmap is not hex: " + e.getMessage());
    }
    BitSet bits = BitSet.valueOf(bytes);
    if (bits.length() > segments) {
      throw new InvalidInputException(
          "bitmap sets segment " + (bits.length() - 1) + " of a file of " + segments + " segments");
    }
    return new SegmentBitmap(segments, bits);
  }

  private static int byteLength(long segments) {
    return (int) ((segments + 7) / 8);
  }
}
