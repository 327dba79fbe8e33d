package io.axivon.da.blob;

import io.axivon.common.InvalidInputException;
import java.util.Arrays;
import java.util.List;
import org.apache.tuweni.bytes.Bytes;
import org.apache.tuweni.bytes.Bytes32;

/**
 * A committed 2k × 2k square (specs/da.md §3–§4): the cells row-major, one array per row, the leaf
 * hash of every cell, and the row and column roots. Built by {@link SquareEncoder}: {@link
 * SquareEncoder#encode} extends a blob honestly, {@link SquareEncoder#commit} commits to whatever
 * cells it is given (a disperser's claim, possibly badly encoded). Holds its arrays; hands out
 * copies.
 */
public final class ExtendedSquare {
  private static final int S = BlobSquare.SHARE_SIZE;

  private final int k;
  private final byte[][] rows;
  private final byte[] leafHashes;
  private final RowColumnRoots roots;
  private final Bytes32 dataRoot;

  ExtendedSquare(int k, byte[][] rows, byte[] leafHashes, RowColumnRoots roots) {
    this.k = k;
    this.rows = rows;
    this.leafHashes = leafHashes;
    this.roots = roots;
    this.dataRoot = roots.dataRoot();
  }

  /** The original square's width; the extended square is 2k wide. */
  public int k() {
    return k;
  }

  public int width() {
    return 2 * k;
  }

  public RowColumnRoots roots() {
    return roots;
  }

  public Bytes32 dataRoot() {
    return dataRoot;
  }

  /** The share of cell (row, col). */
  public Bytes share(int row, int col) {
    check(row);
    check(col);
    return Bytes.wrap(Arrays.copyOfRange(rows[row], col * S, (col + 1) * S));
  }

  /** Row or column {@code index} as its 2k shares back to back. */
  public Bytes line(Axis axis, int index) {
    check(index);
    if (axis == Axis.ROW) {
      return Bytes.wrap(rows[index].clone());
    }
    byte[] out = new byte[2 * k * S];
    for (int r = 0; r < 2 * k; r++) {
      System.arraycopy(rows[r], index * S, out, r * S, S);
    }
    return Bytes.wrap(out);
  }

  /**
   * Copies row or column {@code index} (2k shares back to back) into {@code dest} at {@code
   * offset}, so a sender can lay lines straight into a message without an intermediate copy.
   */
  public void copyLine(Axis axis, int index, byte[] dest, int offset) {
    check(index);
    int n = 2 * k;
    java.util.Objects.checkFromIndexSize(offset, n * S, dest.length);
    if (axis == Axis.ROW) {
      System.arraycopy(rows[index], 0, dest, offset, n * S);
      return;
    }
    for (int r = 0; r < n; r++) {
      System.arraycopy(rows[r], index * S, dest, offset + r * S, S);
    }
  }

  /** The blob in the original square, its header checked. */
  public Bytes blob() {
    return BlobSquare.read(rows, k);
  }

  /** The proof of cell (row, col) through its row or its column. */
  public ShareProof shareProof(int row, int col, Axis via) {
    check(row);
    check(col);
    int n = 2 * k;
    byte[] leaves = new byte[n * 32];
    for (int i = 0; i < n; i++) {
      int cell = via == Axis.ROW ? row * n + i : i * n + col;
      System.arraycopy(leafHashes, cell * 32, leaves, i * 32, 32);
    }
    int position = via == Axis.ROW ? col : row;
    List<Bytes32> siblings = PerfectTree.siblings(leaves, n, position);
    return new ShareProof(
        row, col, share(row, col), siblings, roots.lineProof(via, via == Axis.ROW ? row : col));
  }

  /** The proof of line (axis, index)'s root under {@link #dataRoot()}. */
  public LineProof lineProof(Axis axis, int index) {
    return roots.lineProof(axis, index);
  }

  /** Row {@code r}'s backing array, for this package's coders only. */
  byte[] rowArray(int r) {
    return rows[r];
  }

  private void check(int index) {
    if (index < 0 || index >= 2 * k) {
      throw new InvalidInputException(
          "index " + index + " is outside 0.." + (2 * k - 1) + " for k = " + k);
    }
  }
}
