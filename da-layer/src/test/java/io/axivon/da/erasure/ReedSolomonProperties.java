package io.axivon.da.erasure;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

class ReedSolomonProperties {
  private static final ErasureBackend SCALAR = new ScalarBackend();
  private static final ErasureBackend BEST = ErasureBackends.best();

  static byte[][] random(Random rnd, int count, int len) {
    byte[][] s = new byte[count][len];
    for (byte[] b : s) {
      rnd.nextBytes(b);
    }
    return s;
  }

  @Property(tries = 60)
  void decodeFromAnyKShardsGivesTheData(
      @ForAll @IntRange(min = 1, max = 40) int k,
      @ForAll @IntRange(min = 1, max = 20) int m,
      @ForAll @IntRange(min = 0, max = 700) int len,
      @ForAll long seed) {
    Random rnd = new Random(seed);
    byte[][] data = random(rnd, k, len);
    byte[][] parity = new byte[m][len];
    try (ReedSolomon rs = new ReedSolomon(BEST, 1)) {
      rs.encode(k, m, data, parity, len);
      byte[][] shards = new byte[k + m][];
      System.arraycopy(data, 0, shards, 0, k);
      System.arraycopy(parity, 0, shards, k, m);
      List<Integer> order = new ArrayList<>();
      for (int i = 0; i < k + m; i++) {
        order.add(i);
      }
      Collections.shuffle(order, rnd);
      int lose = rnd.nextInt(m + 1);
      byte[][] damaged = shards.clone();
      for (int i = 0; i < lose; i++) {
        damaged[order.get(i)] = null;
      }
      rs.reconstruct(k, m, damaged, len);
      for (int i = 0; i < k + m; i++) {
        assertThat(damaged[i]).as("shard %d", i).isEqualTo(shards[i]);
      }
    }
  }

  @Property(tries = 15)
  void wideCodesUpTo256ShardsDecode(
      @ForAll @IntRange(min = 1, max = 255) int k, @ForAll long seed) {
    Random rnd = new Random(seed);
    int m = 1 + rnd.nextInt(256 - k);
    int len = 1 + rnd.nextInt(200);
    byte[][] data = random(rnd, k, len);
    byte[][] parity = new byte[m][len];
    try (ReedSolomon rs = new ReedSolomon(BEST, 1)) {
      rs.encode(k, m, data, parity, len);
      // lose the first min(k, m) data shards, decode them from the rest
      int lose = Math.min(k, m);
      int[] present = new int[k];
      byte[][] in = new byte[k][];
      for (int i = 0; i < k; i++) {
        int idx = lose + i;
        present[i] = idx;
        in[i] = idx < k ? data[idx] : parity[idx - k];
      }
      int[] missing = new int[lose];
      for (int i = 0; i < lose; i++) {
        missing[i] = i;
      }
      byte[][] out = new byte[lose][len];
      rs.decode(k, m, present, in, missing, out, len);
      for (int i = 0; i < lose; i++) {
        assertThat(out[i]).isEqualTo(data[i]);
      }
    }
  }

  @Property(tries = 40)
  void vectorAndScalarAgreeByteForByte(
      @ForAll @IntRange(min = 1, max = 30) int k,
      @ForAll @IntRange(min = 1, max = 30) int m,
      @ForAll @IntRange(min = 0, max = 3000) int len,
      @ForAll long seed) {
    Random rnd = new Random(seed);
    byte[][] data = random(rnd, k, len);
    byte[][] a = new byte[m][len];
    byte[][] b = new byte[m][len];
    try (ReedSolomon scalar = new ReedSolomon(SCALAR, 1);
        ReedSolomon best = new ReedSolomon(BEST, 1)) {
      scalar.encode(k, m, data, a, len);
      best.encode(k, m, data, b, len);
    }
    assertThat(b).isDeepEqualTo(a);
  }

  @Property(tries = 8)
  void threadsAndOffHeapGiveTheSameBytes(
      @ForAll @IntRange(min = 2, max = 12) int k,
      @ForAll @IntRange(min = 1, max = 6) int m,
      @ForAll @IntRange(min = 20_000, max = 70_000) int len,
      @ForAll long seed) {
    Random rnd = new Random(seed);
    byte[][] data = random(rnd, k, len);
    byte[][] expected = new byte[m][len];
    try (ReedSolomon one = new ReedSolomon(BEST, 1);
        ReedSolomon three = new ReedSolomon(BEST, 3);
        Arena arena = Arena.ofShared()) {
      one.encode(k, m, data, expected, len);
      MemorySegment[] in = new MemorySegment[k];
      for (int i = 0; i < k; i++) {
        in[i] = arena.allocate(len);
        MemorySegment.copy(data[i], 0, in[i], ValueLayout.JAVA_BYTE, 0, len);
      }
      MemorySegment[] out = new MemorySegment[m];
      for (int i = 0; i < m; i++) {
        out[i] = arena.allocate(len);
      }
      three.encode(k, m, in, out, len);
      for (int i = 0; i < m; i++) {
        assertThat(out[i].toArray(ValueLayout.JAVA_BYTE)).isEqualTo(expected[i]);
      }
    }
  }

  /**
   * The backend kernel on any byte range of any matrix: every row group (8, 4, 2, 1 rows), ranges
   * with an odd number of vectors and a scalar tail, and nothing written outside the range.
   */
  @Property(tries = 60)
  void bestBackendMultipliesAnyRangeLikeScalar(
      @ForAll @IntRange(min = 1, max = 20) int rows,
      @ForAll @IntRange(min = 1, max = 20) int cols,
      @ForAll @IntRange(min = 0, max = 2000) int len,
      @ForAll long seed) {
    Random rnd = new Random(seed);
    int from = rnd.nextInt(len + 1);
    int to = from + rnd.nextInt(len - from + 1);
    byte[] matrix = new byte[rows * cols];
    rnd.nextBytes(matrix);
    byte[][] in = random(rnd, cols, len);
    byte[][] expected = random(rnd, rows, len);
    byte[][] actual = new byte[rows][];
    for (int r = 0; r < rows; r++) {
      actual[r] = expected[r].clone();
    }
    SCALAR.multiply(SCALAR.prepare(matrix, rows, cols), segments(in), segments(expected), from, to);
    BEST.multiply(BEST.prepare(matrix, rows, cols), segments(in), segments(actual), from, to);
    assertThat(actual).isDeepEqualTo(expected);
  }

  /** The coder's general multiply, threads included, equals the matrix product byte by byte. */
  @Property(tries = 30)
  void coderMultipliesAnyMatrixLikeTheMatrixProduct(
      @ForAll @IntRange(min = 1, max = 12) int rows,
      @ForAll @IntRange(min = 1, max = 40) int cols,
      @ForAll @IntRange(min = 0, max = 40_000) int len,
      @ForAll long seed) {
    Random rnd = new Random(seed);
    byte[] matrix = new byte[rows * cols];
    rnd.nextBytes(matrix);
    byte[][] in = random(rnd, cols, len);
    byte[][] out = new byte[rows][len];
    try (ReedSolomon two = new ReedSolomon(BEST, 2)) {
      two.multiply(matrix, rows, cols, segments(in), segments(out), len);
    }
    for (int p = 0; p < len; p += 1 + rnd.nextInt(97)) {
      byte[] column = new byte[cols];
      for (int c = 0; c < cols; c++) {
        column[c] = in[c][p];
      }
      byte[] expected = GfMatrix.multiply(matrix, rows, cols, column, 1);
      for (int r = 0; r < rows; r++) {
        assertThat(out[r][p]).as("row %d byte %d", r, p).isEqualTo(expected[r]);
      }
    }
  }

  private static MemorySegment[] segments(byte[][] arrays) {
    MemorySegment[] s = new MemorySegment[arrays.length];
    for (int i = 0; i < arrays.length; i++) {
      s[i] = MemorySegment.ofArray(arrays[i]);
    }
    return s;
  }
}
