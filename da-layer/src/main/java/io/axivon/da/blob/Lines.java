package io.axivon.da.blob;

import io.axivon.common.InvalidInputException;
import io.axivon.common.merkle.MerkleHasher;
import io.axivon.da.erasure.ErasureCoder;
import io.axivon.da.erasure.GfMatrix;
import java.lang.foreign.MemorySegment;
import java.util.Arrays;
import java.util.Collection;
import java.util.random.RandomGenerator;
import org.apache.tuweni.bytes.Bytes;
import org.apache.tuweni.bytes.Bytes32;

/** Checks on one row or column of 2k cells: its root, and whether it is an RS(k, k) codeword. */
public final class Lines {
  private static final int S = BlobSquare.SHARE_SIZE;
  private static final int H = MerkleHasher.HASH_SIZE;

  private Lines() {}

  /** The Merkle root of a line of 2k cells (specs/da.md §4). */
  public static Bytes32 root(byte[] line, int k) {
    int n = 2 * k;
    MerkleHasher hasher = new MerkleHasher();
    byte[] scratch = new byte[n * H];
    hasher.leaves(line, 0, S, n, scratch, 0);
    byte[] root = new byte[H];
    PerfectTree.reduce(hasher, scratch, n, root, 0);
    return Bytes32.wrap(root);
  }

  /**
   * The proof of the cell at {@code position} of line (axis, index), built from the line alone (a
   * DA node holds lines, not squares). The line must match its root for the proof to verify.
   */
  public static ShareProof shareProof(
      RowColumnRoots roots, Axis axis, int index, Bytes line, int position) {
    int k = roots.k();
    int n = 2 * k;
    if (line.size() != n * S || position < 0 || position >= n || index < 0 || index >= n) {
      throw new InvalidInputException(
          "no cell " + position + " of line " + index + " in a line of " + line.size() + " bytes");
    }
    byte[] bytes = line.toArrayUnsafe();
    MerkleHasher hasher = new MerkleHasher();
    byte[] leaves = new byte[n * H];
    hasher.leaves(bytes, 0, S, n, leaves, 0);
    int row = axis == Axis.ROW ? index : position;
    int col = axis == Axis.ROW ? position : index;
    return new ShareProof(
        row,
        col,
        line.slice(position * S, S).copy(),
        PerfectTree.siblings(leaves, n, position),
        roots.lineProof(axis, index));
  }

  /** Whether {@code line} (2k cells) has the committed root of line (axis, index). */
  public static boolean matchesRoot(RowColumnRoots roots, Axis axis, int index, Bytes line) {
    int k = roots.k();
    return line.size() == 2 * k * S
        && root(line.toArrayUnsafe(), k).equals(roots.lineRoot(axis, index));
  }

  /**
   * Random parity checks per line in {@link #areCodewords}: a line that is not a codeword passes
   * one with probability 1/256, all of them with probability 2^-64.
   */
  static final int PARITY_CHECKS = 8;

  /**
   * Whether every one of {@code lines} (2k cells each) is an RS(k, k) codeword, tested with {@link
   * #PARITY_CHECKS} random parity checks instead of re-encoding (specs/da.md §7). A line is a
   * codeword exactly when its syndrome s = P·data + parity is zero at every byte position (P the
   * code's k × k parity matrix); for a random row r, r·s = (r·P)·data + r·parity costs 2k
   * multiply-adds per byte position where re-encoding costs k², and a nonzero s gives r·s = 0 for
   * exactly 1/256 of all r. The rows come fresh from {@code random} on every call, so a sender
   * cannot aim at them: a true answer is wrong with probability at most 2^-64 per line, a false one
   * never.
   */
  public static boolean areCodewords(
      ErasureCoder coder, Collection<byte[]> lines, int k, RandomGenerator random) {
    int n = 2 * k;
    int t = PARITY_CHECKS;
    byte[] r = new byte[t * k];
    random.nextBytes(r);
    byte[] parity = Arrays.copyOfRange(GfMatrix.cauchyEncodingMatrix(k, k), k * k, 2 * k * k);
    byte[] weights = GfMatrix.multiply(r, t, k, parity, k);
    byte[] check = new byte[t * n];
    for (int i = 0; i < t; i++) {
      System.arraycopy(weights, i * k, check, i * n, k);
      System.arraycopy(r, i * k, check, i * n + k, k);
    }
    byte[] syndromes = new byte[t * S];
    MemorySegment outAll = MemorySegment.ofArray(syndromes);
    MemorySegment[] out = new MemorySegment[t];
    for (int i = 0; i < t; i++) {
      out[i] = outAll.asSlice((long) i * S, S);
    }
    byte[] zero = new byte[t * S];
    for (byte[] line : lines) {
      if (line.length != n * S) {
        throw new IllegalArgumentException(
            "a line of " + line.length + " bytes, expected " + n * S);
      }
      MemorySegment whole = MemorySegment.ofArray(line);
      MemorySegment[] cells = new MemorySegment[n];
      for (int c = 0; c < n; c++) {
        cells[c] = whole.asSlice((long) c * S, S);
      }
      coder.multiply(check, t, n, cells, out, S);
      if (!Arrays.equals(syndromes, zero)) {
        return false;
      }
    }
    return true;
  }

  /** Whether cells k..2k-1 of {@code line} are the RS(k, k) parity of cells 0..k-1. */
  public static boolean isCodeword(ErasureCoder coder, byte[] line, int k) {
    byte[] parity = new byte[k * S];
    MemorySegment in = MemorySegment.ofArray(line);
    MemorySegment out = MemorySegment.ofArray(parity);
    MemorySegment[] data = new MemorySegment[k];
    MemorySegment[] par = new MemorySegment[k];
    for (int c = 0; c < k; c++) {
      data[c] = in.asSlice((long) c * S, S);
      par[c] = out.asSlice((long) c * S, S);
    }
    coder.encode(k, k, data, par, S);
    return Arrays.equals(line, k * S, 2 * k * S, parity, 0, k * S);
  }

  /**
   * The whole line (2k cells) that RS(k, k) decodes from k cells: {@code shares[i]} (2048 bytes) at
   * position {@code positions[i]}, positions distinct and in 0..2k-1.
   */
  static byte[] decode(ErasureCoder coder, int k, int[] positions, byte[][] shares) {
    int n = 2 * k;
    byte[] line = new byte[n * S];
    boolean[] present = new boolean[n];
    for (int i = 0; i < positions.length; i++) {
      present[positions[i]] = true;
      System.arraycopy(shares[i], 0, line, positions[i] * S, S);
    }
    int[] missing = new int[n - positions.length];
    int m = 0;
    for (int p = 0; p < n; p++) {
      if (!present[p]) {
        missing[m++] = p;
      }
    }
    if (m > 0) {
      MemorySegment all = MemorySegment.ofArray(line);
      MemorySegment[] in = new MemorySegment[positions.length];
      for (int i = 0; i < positions.length; i++) {
        in[i] = all.asSlice((long) positions[i] * S, S);
      }
      MemorySegment[] out = new MemorySegment[m];
      for (int i = 0; i < m; i++) {
        out[i] = all.asSlice((long) missing[i] * S, S);
      }
      coder.decode(k, k, positions.clone(), in, missing, out, S);
    }
    return line;
  }
}
