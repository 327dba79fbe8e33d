package io.axivon.da.erasure;

/** Row-major byte matrices over GF(2^8): the Cauchy encoding matrix, inversion and products. */
public final class GfMatrix {
  private GfMatrix() {}

  /**
   * The (k + m) × k encoding matrix ISA-L's {@code gf_gen_cauchy1_matrix} builds: identity for the
   * k data rows, then row i, column j = 1 / (i XOR j) for i in k..k+m-1. Every k × k submatrix is
   * invertible, so any k shards decode.
   */
  public static byte[] cauchyEncodingMatrix(int k, int m) {
    Shape.check(k, m);
    int rows = k + m;
    byte[] a = new byte[rows * k];
    for (int i = 0; i < k; i++) {
      a[i * k + i] = 1;
    }
    for (int i = k; i < rows; i++) {
      for (int j = 0; j < k; j++) {
        a[i * k + j] = (byte) Gf256.inv(i ^ j);
      }
    }
    return a;
  }

  /**
   * The inverse of the n × n matrix {@code a} by Gauss-Jordan elimination, or null when it is
   * singular. The inverse is unique, so this gives ISA-L's {@code gf_invert_matrix} bytes.
   */
  public static byte[] invert(byte[] a, int n) {
    byte[] in = a.clone();
    byte[] out = new byte[n * n];
    for (int i = 0; i < n; i++) {
      out[i * n + i] = 1;
    }
    for (int col = 0; col < n; col++) {
      int pivot = col;
      while (pivot < n && in[pivot * n + col] == 0) {
        pivot++;
      }
      if (pivot == n) {
        return null;
      }
      if (pivot != col) {
        swapRows(in, n, pivot, col);
        swapRows(out, n, pivot, col);
      }
      int scale = Gf256.inv(in[col * n + col]);
      for (int j = 0; j < n; j++) {
        in[col * n + j] = (byte) Gf256.mul(scale, in[col * n + j]);
        out[col * n + j] = (byte) Gf256.mul(scale, out[col * n + j]);
      }
      for (int row = 0; row < n; row++) {
        int factor = in[row * n + col] & 0xff;
        if (row == col || factor == 0) {
          continue;
        }
        for (int j = 0; j < n; j++) {
          in[row * n + j] ^= (byte) Gf256.mul(factor, in[col * n + j]);
          out[row * n + j] ^= (byte) Gf256.mul(factor, out[col * n + j]);
        }
      }
    }
    return out;
  }

  /**
   * The missing.length × k matrix that turns the k {@code survivors} (ascending shard indices) into
   * the {@code missing} shards, as ISA-L's recovery builds it: invert the survivors' encoding rows;
   * a missing data shard d is row d of the inverse, a missing parity shard p is encoding row p
   * times the inverse.
   */
  public static byte[] decodeMatrix(int k, int m, int[] survivors, int[] missing) {
    byte[] encoding = cauchyEncodingMatrix(k, m);
    byte[] b = new byte[k * k];
    for (int i = 0; i < k; i++) {
      System.arraycopy(encoding, survivors[i] * k, b, i * k, k);
    }
    byte[] inverse = invert(b, k);
    if (inverse == null) {
      throw new IllegalStateException("singular decode matrix: survivors are not distinct");
    }
    byte[] rows = new byte[missing.length * k];
    for (int i = 0; i < missing.length; i++) {
      int idx = missing[i];
      if (idx < k) {
        System.arraycopy(inverse, idx * k, rows, i * k, k);
      } else {
        byte[] row = java.util.Arrays.copyOfRange(encoding, idx * k, idx * k + k);
        System.arraycopy(multiply(row, 1, k, inverse, k), 0, rows, i * k, k);
      }
    }
    return rows;
  }

  /** (rows × inner) · (inner × cols). */
  public static byte[] multiply(byte[] a, int rows, int inner, byte[] b, int cols) {
    byte[] c = new byte[rows * cols];
    for (int i = 0; i < rows; i++) {
      for (int t = 0; t < inner; t++) {
        int x = a[i * inner + t] & 0xff;
        if (x == 0) {
          continue;
        }
        for (int j = 0; j < cols; j++) {
          c[i * cols + j] ^= (byte) Gf256.mul(x, b[t * cols + j]);
        }
      }
    }
    return c;
  }

  private static void swapRows(byte[] a, int n, int r1, int r2) {
    for (int j = 0; j < n; j++) {
      byte t = a[r1 * n + j];
      a[r1 * n + j] = a[r2 * n + j];
      a[r2 * n + j] = t;
    }
  }
}
