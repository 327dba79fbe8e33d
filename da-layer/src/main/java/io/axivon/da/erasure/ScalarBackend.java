package io.axivon.da.erasure;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/** The portable path: one table lookup per byte and coefficient. Always available. */
public final class ScalarBackend implements ErasureBackend {
  private static final int BLOCK = 4096;

  @Override
  public String name() {
    return "scalar";
  }

  @Override
  public int priority() {
    return 0;
  }

  @Override
  public boolean isAvailable() {
    return true;
  }

  @Override
  public CodingMatrix prepare(byte[] matrix, int rows, int cols) {
    return new CodingMatrix(matrix.clone(), rows, cols, null);
  }

  @Override
  public void multiply(
      CodingMatrix matrix, MemorySegment[] in, MemorySegment[] out, long from, long to) {
    multiplyRange(matrix.coefficients(), matrix.rows(), matrix.cols(), in, out, from, to);
  }

  /** Shared with the vector backend for the tail that does not fill a vector. */
  static void multiplyRange(
      byte[] matrix,
      int rows,
      int cols,
      MemorySegment[] in,
      MemorySegment[] out,
      long from,
      long to) {
    byte[] mul = Gf256.productTable();
    byte[] src = new byte[(int) Math.min(BLOCK, Math.max(0, to - from))];
    byte[] acc = new byte[src.length];
    for (long p = from; p < to; p += BLOCK) {
      int n = (int) Math.min(BLOCK, to - p);
      for (int r = 0; r < rows; r++) {
        java.util.Arrays.fill(acc, 0, n, (byte) 0);
        for (int c = 0; c < cols; c++) {
          int g = matrix[r * cols + c] & 0xff;
          if (g == 0) {
            continue;
          }
          MemorySegment.copy(in[c], ValueLayout.JAVA_BYTE, p, src, 0, n);
          int base = g << 8;
          for (int i = 0; i < n; i++) {
            acc[i] ^= mul[base | (src[i] & 0xff)];
          }
        }
        MemorySegment.copy(acc, 0, out[r], ValueLayout.JAVA_BYTE, p, n);
      }
    }
  }
}
