package io.axivon.da.blob;

import io.axivon.common.InvalidInputException;
import io.axivon.common.codec.Rlp;
import io.axivon.common.codec.RlpCodec;
import io.axivon.common.codec.RlpLimits;
import io.axivon.common.merkle.MerkleHasher;
import java.util.ArrayList;
import java.util.List;
import org.apache.tuweni.bytes.Bytes;
import org.apache.tuweni.bytes.Bytes32;

/**
 * The 2k row roots and 2k column roots of an extended square, and the dataRoot over them (specs/
 * da.md §4): what a certificate's dataRoot opens to, and what retrieval checks rows against.
 */
public record RowColumnRoots(int k, List<Bytes32> rowRoots, List<Bytes32> columnRoots) {
  /** RLP: {@code [k, [rowRoot, …], [columnRoot, …]]}. */
  public static final RlpCodec<RowColumnRoots> CODEC =
      RlpCodec.struct(
          (w, v) ->
              w.writeUInt64(v.k())
                  .writeListOf(v.rowRoots(), Rlp.BYTES32)
                  .writeListOf(v.columnRoots(), Rlp.BYTES32),
          r ->
              new RowColumnRoots(
                  r.readInt(), r.readListOf(Rlp.BYTES32), r.readListOf(Rlp.BYTES32)));

  public RowColumnRoots {
    BlobSquare.checkWidth(k);
    rowRoots = List.copyOf(rowRoots);
    columnRoots = List.copyOf(columnRoots);
    if (rowRoots.size() != 2 * k || columnRoots.size() != 2 * k) {
      throw new InvalidInputException(
          "a square of width k = "
              + k
              + " has "
              + 2 * k
              + " row and column roots, got "
              + rowRoots.size()
              + " and "
              + columnRoots.size());
    }
  }

  /** Decodes strictly; throws {@link InvalidInputException} on anything but the canonical form. */
  public static RowColumnRoots decode(Bytes encoded) {
    return Rlp.decode(CODEC, encoded, new RlpLimits(64 * 1024, 2));
  }

  public Bytes encode() {
    return Rlp.encode(CODEC, this);
  }

  /** Lines per axis: 2k. */
  public int width() {
    return 2 * k;
  }

  public Bytes32 lineRoot(Axis axis, int index) {
    checkIndex(index);
    return axis == Axis.ROW ? rowRoots.get(index) : columnRoots.get(index);
  }

  /** The Merkle root of the row roots then the column roots. */
  public Bytes32 dataRoot() {
    byte[] leaves = PerfectTree.pack(leafList());
    byte[] root = new byte[32];
    PerfectTree.reduce(new MerkleHasher(), leaves, 4 * k, root, 0);
    return Bytes32.wrap(root);
  }

  /** The proof that line (axis, index) has its root in {@link #dataRoot()}. */
  public LineProof lineProof(Axis axis, int index) {
    checkIndex(index);
    int leaf = axis == Axis.ROW ? index : 2 * k + index;
    return new LineProof(
        axis,
        index,
        lineRoot(axis, index),
        PerfectTree.siblings(PerfectTree.pack(leafList()), 4 * k, leaf));
  }

  private List<Bytes32> leafList() {
    List<Bytes32> all = new ArrayList<>(4 * k);
    all.addAll(rowRoots);
    all.addAll(columnRoots);
    return all;
  }

  private void checkIndex(int index) {
    if (index < 0 || index >= 2 * k) {
      throw new InvalidInputException(
          "line index " + index + " is outside 0.." + (2 * k - 1) + " for k = " + k);
    }
  }
}
