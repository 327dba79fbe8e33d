package io.axivon.sdk.storage.layout;

/**
 * The storage log's fixed units, the same as 0G Storage's (shared/reference/0g-file-root.md): a
 * sector (0G: chunk) of 256 bytes is one Merkle leaf, a segment of 1024 sectors (256 KiB) is the
 * unit of upload, download and proof.
 */
public final class Layout {
  /** Bytes in a sector, the leaf of every storage Merkle tree. */
  public static final int SECTOR_SIZE = 256;

  /** Sectors in a segment. */
  public static final int SEGMENT_SECTORS = 1024;

  /** Bytes in a segment: 262,144. */
  public static final int SEGMENT_SIZE = SECTOR_SIZE * SEGMENT_SECTORS;

  /** Height of a full segment's perfect tree (2^10 sectors). */
  public static final int SEGMENT_HEIGHT = 10;

  private Layout() {}

  /**
   * 0G's flow padding: the leaf count of the tree over {@code n} data sectors. With p the smallest
   * power of two ≥ n: n itself if p = n, otherwise n rounded up to a multiple of max(1, p/16).
   */
  public static long paddedSectors(long n) {
    if (n <= 0) {
      throw new IllegalArgumentException("sector count must be positive, got " + n);
    }
    long p = Long.highestOneBit(n);
    if (p < n) {
      p <<= 1;
    }
    if (p == n) {
      return n;
    }
    long unit = p >= 16 ? p / 16 : 1;
    return (n + unit - 1) / unit * unit;
  }
}
