package io.axivon.da.blob;

import io.axivon.common.InvalidInputException;
import io.axivon.common.merkle.MerkleHasher;
import io.axivon.da.erasure.ErasureCoder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.random.RandomGenerator;
import org.apache.tuweni.bytes.Bytes;
import org.apache.tuweni.bytes.Bytes32;

/**
 * What a DA node checks before it signs (specs/da.md §7): the roots give the dataRoot, each row and
 * column it was sent matches its root and is an RS(k, k) codeword, and its rows and columns agree
 * on the cells they share. A line that matches its root but is badly encoded yields a {@link
 * BadEncodingProof}; a line that does not match its root is the sender's fault, not the disperser's
 * provable one, and is refused.
 */
public final class NodeCheck {
  private static final int S = BlobSquare.SHARE_SIZE;
  private static final int H = MerkleHasher.HASH_SIZE;

  private NodeCheck() {}

  /** The outcome of a check. */
  public sealed interface Result {
    /** Everything checks: the node may sign. */
    record Valid() implements Result {}

    /** The square is badly encoded; the node sends this proof instead of a signature. */
    record BadlyEncoded(BadEncodingProof proof) implements Result {}
  }

  /**
   * Checks {@code rows} and {@code columns} (index to 2k shares back to back) under {@code roots}.
   *
   * @throws InvalidInputException if the roots do not give {@code dataRoot}, or a line has a bad
   *     index or size or does not match its committed root (nothing may be stored or signed then)
   */
  public static Result check(
      Bytes32 dataRoot,
      RowColumnRoots roots,
      Map<Integer, Bytes> rows,
      Map<Integer, Bytes> columns,
      ErasureCoder coder) {
    return check(dataRoot, roots, rows, columns, coder, true, Optional.empty());
  }

  /**
   * {@link #check} of lines that already matched their roots when the node stored them: sizes and
   * indices are still checked, the roots are not hashed again (hashing every line is most of a
   * check's cost), and the lines are tested as codewords with random parity checks drawn from
   * {@code random} ({@link Lines#areCodewords}: 2k instead of k² multiply-adds per byte position);
   * only when those fail is each line re-encoded, to find the bad one and prove it.
   */
  public static Result checkStored(
      Bytes32 dataRoot,
      RowColumnRoots roots,
      Map<Integer, Bytes> rows,
      Map<Integer, Bytes> columns,
      ErasureCoder coder,
      RandomGenerator random) {
    return check(dataRoot, roots, rows, columns, coder, false, Optional.of(random));
  }

  private static Result check(
      Bytes32 dataRoot,
      RowColumnRoots roots,
      Map<Integer, Bytes> rows,
      Map<Integer, Bytes> columns,
      ErasureCoder coder,
      boolean hashLines,
      Optional<RandomGenerator> random) {
    if (!roots.dataRoot().equals(dataRoot)) {
      throw new InvalidInputException("the row and column roots do not give dataRoot " + dataRoot);
    }
    int k = roots.k();
    Map<Integer, byte[]> r = checked(roots, Axis.ROW, rows, hashLines);
    Map<Integer, byte[]> c = checked(roots, Axis.COLUMN, columns, hashLines);
    List<byte[]> all = new ArrayList<>(r.values());
    all.addAll(c.values());
    boolean allCodewords = random.isPresent() && Lines.areCodewords(coder, all, k, random.get());
    for (Axis axis : allCodewords ? new Axis[0] : Axis.values()) {
      for (Map.Entry<Integer, byte[]> e : (axis == Axis.ROW ? r : c).entrySet()) {
        if (!Lines.isCodeword(coder, e.getValue(), k)) {
          return new Result.BadlyEncoded(
              proof(roots, axis, e.getKey(), e.getValue(), firstK(k), -1, null));
        }
      }
    }
    for (Map.Entry<Integer, byte[]> row : r.entrySet()) {
      for (Map.Entry<Integer, byte[]> col : c.entrySet()) {
        int i = row.getKey();
        int j = col.getKey();
        if (!Arrays.equals(
            row.getValue(), j * S, (j + 1) * S, col.getValue(), i * S, (i + 1) * S)) {
          // row i with its cell j taken from column j decodes to another row than the committed one
          int[] positions = new int[k];
          positions[0] = j;
          for (int p = 0, n = 1; n < k; p++) {
            if (p != j) {
              positions[n++] = p;
            }
          }
          return new Result.BadlyEncoded(
              proof(roots, Axis.ROW, i, row.getValue(), positions, j, col.getValue()));
        }
      }
    }
    return new Result.Valid();
  }

  private static Map<Integer, byte[]> checked(
      RowColumnRoots roots, Axis axis, Map<Integer, Bytes> lines, boolean hashLines) {
    int n = 2 * roots.k();
    String name = axis == Axis.ROW ? "row" : "column";
    Map<Integer, byte[]> out = new TreeMap<>();
    for (Map.Entry<Integer, Bytes> e : lines.entrySet()) {
      int i = e.getKey();
      if (i < 0 || i >= n) {
        throw new InvalidInputException(name + " index " + i + " is outside 0.." + (n - 1));
      }
      if (e.getValue().size() != n * S) {
        throw new InvalidInputException(
            name + " " + i + " has " + e.getValue().size() + " bytes, expected " + n * S);
      }
      if (hashLines && !Lines.matchesRoot(roots, axis, i, e.getValue())) {
        throw new InvalidInputException(name + " " + i + " does not match its committed root");
      }
      out.put(i, e.getValue().toArrayUnsafe());
    }
    return out;
  }

  /**
   * A proof for line (axis, index) from its cells at {@code positions}, each proven through the
   * line itself, except position {@code crossAt} (if ≥ 0), proven through the crossing line {@code
   * cross} (2k cells, matching its root).
   */
  private static BadEncodingProof proof(
      RowColumnRoots roots,
      Axis axis,
      int index,
      byte[] line,
      int[] positions,
      int crossAt,
      byte[] cross) {
    int k = roots.k();
    List<ShareProof> shares = new ArrayList<>(k);
    byte[] leaves = leaves(line, k);
    for (int p : positions) {
      int row = axis == Axis.ROW ? index : p;
      int col = axis == Axis.ROW ? p : index;
      if (p == crossAt) {
        byte[] crossLeaves = leaves(cross, k);
        shares.add(
            new ShareProof(
                row,
                col,
                Bytes.wrap(Arrays.copyOfRange(cross, index * S, (index + 1) * S)),
                PerfectTree.siblings(crossLeaves, 2 * k, index),
                roots.lineProof(axis.other(), p)));
      } else {
        shares.add(
            new ShareProof(
                row,
                col,
                Bytes.wrap(Arrays.copyOfRange(line, p * S, (p + 1) * S)),
                PerfectTree.siblings(leaves, 2 * k, p),
                roots.lineProof(axis, index)));
      }
    }
    return new BadEncodingProof(axis, index, k, roots.lineProof(axis, index), shares);
  }

  private static byte[] leaves(byte[] line, int k) {
    int n = 2 * k;
    byte[] out = new byte[n * H];
    new MerkleHasher().leaves(line, 0, S, n, out, 0);
    return out;
  }

  private static int[] firstK(int k) {
    int[] p = new int[k];
    for (int i = 0; i < k; i++) {
      p[i] = i;
    }
    return p;
  }
}
