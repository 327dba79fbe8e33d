package io.axivon.sdk.storage.layout;

import io.axivon.common.InvalidInputException;

/**
 * Where a file of {@code size} bytes puts its sectors and segments. Segment {@code i} holds data
 * sectors {@code [1024 i, min(1024 (i+1), sectors))}; the flow-padded tree has {@link
 * #paddedSectors()} leaves, so the last data segment may be followed, inside the tree, by padding
 * sectors and even whole padding segments that are never stored or sent.
 *
 * @param size the file length in bytes, at least 1
 */
public record FileLayout(long size) {
  public FileLayout {
    if (size <= 0) {
      throw new InvalidInputException(
          size == 0
              ? "the file is empty: an empty file has no storage root (0G refuses it too)"
              : "file size must be positive, got " + size);
    }
  }

  /** Sectors that hold data: ceil(size / 256). */
  public long sectors() {
    return ceilDiv(size, Layout.SECTOR_SIZE);
  }

  /** Leaves of the file tree after flow padding. */
  public long paddedSectors() {
    return Layout.paddedSectors(sectors());
  }

  /** Segments that hold data, the ones uploaded and downloaded: ceil(size / 262144). */
  public long segments() {
    return ceilDiv(size, Layout.SEGMENT_SIZE);
  }

  /** Leaves of the segment-level tree (segment roots, padding segments included). */
  public long paddedSegments() {
    return ceilDiv(paddedSectors(), Layout.SEGMENT_SECTORS);
  }

  /** Data sectors of segment {@code index} (0 for a padding segment). */
  public int dataSectors(long index) {
    checkPaddedIndex(index);
    long from = index * Layout.SEGMENT_SECTORS;
    return (int) Math.max(0, Math.min(Layout.SEGMENT_SECTORS, sectors() - from));
  }

  /** Leaves of segment {@code index} in the padded tree (data plus padding sectors). */
  public int paddedSectors(long index) {
    checkPaddedIndex(index);
    long from = index * Layout.SEGMENT_SECTORS;
    return (int) Math.min(Layout.SEGMENT_SECTORS, paddedSectors() - from);
  }

  /**
   * Bytes of segment {@code index} on the wire: 256 × its data sectors, the last sector zero-filled
   * (0G's {@code SegmentWithProof.data}).
   */
  public int segmentWireSize(long index) {
    checkDataIndex(index);
    return dataSectors(index) * Layout.SECTOR_SIZE;
  }

  /** Bytes of the file itself inside segment {@code index} (the wire size minus the zero fill). */
  public int segmentFileBytes(long index) {
    checkDataIndex(index);
    return (int) Math.min(Layout.SEGMENT_SIZE, size - index * Layout.SEGMENT_SIZE);
  }

  /** Offset of segment {@code index} in the file. */
  public long segmentOffset(long index) {
    checkDataIndex(index);
    return index * Layout.SEGMENT_SIZE;
  }

  /** Throws unless {@code index} names a data segment. */
  public void checkDataIndex(long index) {
    if (index < 0 || index >= segments()) {
      throw new InvalidInputException(
          "segment index " + index + " is out of range: the file has " + segments() + " segments");
    }
  }

  private void checkPaddedIndex(long index) {
    if (index < 0 || index >= paddedSegments()) {
      throw new IllegalArgumentException(
          "segment index " + index + " outside [0, " + paddedSegments() + ")");
    }
  }

  private static long ceilDiv(long a, long b) {
    return (a + b - 1) / b;
  }
}
