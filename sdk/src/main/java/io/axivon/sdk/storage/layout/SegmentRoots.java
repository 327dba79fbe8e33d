package io.axivon.sdk.storage.layout;

import io.axivon.common.merkle.MerkleAccumulator;
import io.axivon.common.merkle.MerkleHasher;
import org.apache.tuweni.bytes.Bytes;
import org.apache.tuweni.bytes.Bytes32;

/** Segment roots: the tree rule over a segment's sectors, padding sectors included. */
public final class SegmentRoots {
  /** Z0: the leaf of an all-zero sector. */
  public static final Bytes32 ZERO_SECTOR =
      new MerkleHasher().leafZeroFilled(Bytes.EMPTY, Layout.SECTOR_SIZE);

  /** Z10: the root of an all-zero full segment (a padding segment). */
  public static final Bytes32 ZERO_SEGMENT =
      new MerkleHasher().zeroSubtreeRoot(Layout.SECTOR_SIZE, Layout.SEGMENT_HEIGHT);

  private SegmentRoots() {}

  /**
   * The root of segment {@code index} of a file laid out as {@code layout}, given its data bytes
   * {@code data[off..off+len)} (the file bytes, or the wire bytes with the zero-filled last sector:
   * both give the same root). Padding sectors are added as {@link #ZERO_SECTOR} leaves.
   */
  public static Bytes32 root(FileLayout layout, long index, byte[] data, int off, int len) {
    return accumulate(layout, index, data, off, len).root();
  }

  /** The accumulator behind {@link #root}, whose subtrees are that segment's submission nodes. */
  static MerkleAccumulator accumulate(
      FileLayout layout, long index, byte[] data, int off, int len) {
    int padded = layout.paddedSectors(index);
    if (len > padded * Layout.SECTOR_SIZE) {
      throw new IllegalArgumentException(
          "segment " + index + " holds at most " + padded * Layout.SECTOR_SIZE + " bytes");
    }
    MerkleAccumulator acc = MerkleAccumulator.ofData(Layout.SECTOR_SIZE);
    acc.update(data, off, len).completeLeaf();
    for (long i = acc.leafCount(); i < padded; i++) {
      acc.addLeafHash(ZERO_SECTOR);
    }
    return acc;
  }

  /** The root of a segment that lies wholly in the padding, of {@code sectors} zero sectors. */
  static Bytes32 zeroRoot(int sectors) {
    if (sectors == Layout.SEGMENT_SECTORS) {
      return ZERO_SEGMENT;
    }
    MerkleAccumulator acc = MerkleAccumulator.ofLeafHashes();
    for (int i = 0; i < sectors; i++) {
      acc.addLeafHash(ZERO_SECTOR);
    }
    return acc.root();
  }
}
