package io.axivon.da.blob;

import io.axivon.common.InvalidInputException;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.tuweni.bytes.Bytes;
import org.apache.tuweni.bytes.Bytes32;

/**
 * Rebuilds a blob from any k of the 2k rows, or of the 2k columns, of its square (specs/da.md §6):
 * every line is checked against its committed root, the original square is RS-decoded, re-extended
 * and re-committed; if that does not give every committed root, the square was badly encoded and
 * the result is a {@link BadEncodingProof} instead of data.
 */
public final class Recovery {
  private static final int S = BlobSquare.SHARE_SIZE;

  private Recovery() {}

  /** What recovery found. */
  public sealed interface Result {
    /** The blob, and the square it re-extended to (equal to the committed one). */
    record Recovered(Bytes blob, ExtendedSquare square) implements Result {}

    /** The committed square is not a consistent extension; the proof shows it. */
    record BadlyEncoded(BadEncodingProof proof) implements Result {}
  }

  /**
   * Recovers from the lines of one {@code axis}: {@code lines} maps line indices to 2k shares back
   * to back; at least k are needed (the k lowest indices are used). {@code roots} must give {@code
   * dataRoot}.
   *
   * @throws InvalidInputException if the roots do not give the dataRoot, fewer than k lines are
   *     given, or a line has the wrong size or does not match its root
   */
  public static Result recover(
      Bytes32 dataRoot,
      RowColumnRoots roots,
      Axis axis,
      Map<Integer, Bytes> lines,
      SquareEncoder encoder) {
    if (!roots.dataRoot().equals(dataRoot)) {
      throw new InvalidInputException("the row and column roots do not give dataRoot " + dataRoot);
    }
    int k = roots.k();
    int n = 2 * k;
    String name = axis == Axis.ROW ? "row" : "column";
    TreeMap<Integer, Bytes> sorted = new TreeMap<>(lines);
    if (sorted.size() < k) {
      throw new InvalidInputException(
          "recovery needs " + k + " " + name + "s of " + n + ", got " + sorted.size());
    }
    for (Map.Entry<Integer, Bytes> e : sorted.entrySet()) {
      int i = e.getKey();
      if (i < 0 || i >= n) {
        throw new InvalidInputException(name + " index " + i + " is outside 0.." + (n - 1));
      }
      if (e.getValue().size() != n * S) {
        throw new InvalidInputException(
            name + " " + i + " has " + e.getValue().size() + " bytes, expected " + n * S);
      }
      if (!Lines.matchesRoot(roots, axis, i, e.getValue())) {
        throw new InvalidInputException(name + " " + i + " does not match its committed root");
      }
    }
    int[] used = sorted.keySet().stream().limit(k).mapToInt(Integer::intValue).toArray();
    byte[][] given = new byte[k][];
    for (int i = 0; i < k; i++) {
      given[i] = sorted.get(used[i]).toArrayUnsafe();
    }

    // the first k cells of lines 0..k-1: given, or decoded from the first k cells of the given ones
    byte[][] original = new byte[k][];
    List<Integer> missing = new ArrayList<>();
    for (int i = 0; i < k; i++) {
      original[i] = sorted.containsKey(i) ? sorted.get(i).toArrayUnsafe() : null;
      if (original[i] == null) {
        missing.add(i);
      }
    }
    if (!missing.isEmpty()) {
      MemorySegment[] in = new MemorySegment[k];
      for (int i = 0; i < k; i++) {
        in[i] = MemorySegment.ofArray(given[i]).asSlice(0, (long) k * S);
      }
      int[] miss = missing.stream().mapToInt(Integer::intValue).toArray();
      MemorySegment[] out = new MemorySegment[miss.length];
      for (int j = 0; j < miss.length; j++) {
        original[miss[j]] = new byte[k * S];
        out[j] = MemorySegment.ofArray(original[miss[j]]);
      }
      encoder.coder().decode(k, k, used, in, miss, out, (long) k * S);
    }
    byte[][] rows = new byte[n][n * S];
    for (int i = 0; i < k; i++) {
      for (int j = 0; j < k; j++) {
        // line i, cell j is (i, j) for rows and (j, i) for columns
        int r = axis == Axis.ROW ? i : j;
        int c = axis == Axis.ROW ? j : i;
        System.arraycopy(original[i], j * S, rows[r], c * S, S);
      }
    }
    encoder.extend(k, rows);
    ExtendedSquare rebuilt = encoder.commit(k, rows);
    if (rebuilt.roots().equals(roots)) {
      return new Result.Recovered(rebuilt.blob(), rebuilt);
    }
    return new Result.BadlyEncoded(proveBadEncoding(roots, axis, used, given, rebuilt, encoder));
  }

  /** Rows only: see {@link #recover}. */
  public static Result fromRows(
      Bytes32 dataRoot, RowColumnRoots roots, Map<Integer, Bytes> rows, SquareEncoder encoder) {
    return recover(dataRoot, roots, Axis.ROW, rows, encoder);
  }

  /** Columns only: see {@link #recover}. */
  public static Result fromColumns(
      Bytes32 dataRoot, RowColumnRoots roots, Map<Integer, Bytes> columns, SquareEncoder encoder) {
    return recover(dataRoot, roots, Axis.COLUMN, columns, encoder);
  }

  /**
   * The re-extension T of the k given lines differs from the commitment. Q is T with the given
   * lines put back as they were sent (they match their committed roots). Either a given line is not
   * a codeword (prove it through itself), or all equal T's and some other line's committed root
   * differs from T's: an orthogonal line proven through the given lines, or a parallel one proven
   * through the orthogonal lines, whose committed roots then all agree with T.
   */
  private static BadEncodingProof proveBadEncoding(
      RowColumnRoots committed,
      Axis axis,
      int[] used,
      byte[][] given,
      ExtendedSquare rebuilt,
      SquareEncoder encoder) {
    int k = committed.k();
    int n = 2 * k;
    Axis other = axis.other();
    for (int i = 0; i < k; i++) {
      if (!Lines.isCodeword(encoder.coder(), given[i], k)) {
        byte[][] rows = new byte[n][];
        for (int r = 0; r < n; r++) {
          rows[r] = rebuilt.rowArray(r).clone();
        }
        for (int j = 0; j < n; j++) {
          int r = axis == Axis.ROW ? used[i] : j;
          int c = axis == Axis.ROW ? j : used[i];
          System.arraycopy(given[i], j * S, rows[r], c * S, S);
        }
        ExtendedSquare q = encoder.commit(k, rows);
        return BadEncodingProof.build(q, committed, axis, used[i], firstK(k), axis);
      }
    }
    for (int j = 0; j < n; j++) {
      if (!rebuilt.roots().lineRoot(other, j).equals(committed.lineRoot(other, j))) {
        return BadEncodingProof.build(rebuilt, committed, other, j, used, axis);
      }
    }
    for (int j = 0; j < n; j++) {
      if (!rebuilt.roots().lineRoot(axis, j).equals(committed.lineRoot(axis, j))) {
        return BadEncodingProof.build(rebuilt, committed, axis, j, firstK(k), other);
      }
    }
    throw new IllegalStateException("roots differ but no line does");
  }

  private static int[] firstK(int k) {
    int[] p = new int[k];
    for (int i = 0; i < k; i++) {
      p[i] = i;
    }
    return p;
  }
}
