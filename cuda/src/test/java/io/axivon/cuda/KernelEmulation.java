package io.axivon.cuda;

import io.axivon.da.erasure.CodingMatrix;
import io.axivon.da.erasure.ErasureBackend;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * gf_matmul16 run in Java, step for step: the table image the device gets (u16 log read
 * little-endian, u8 exp), the coefficient logs of {@link GfTables#coefficientLogs}, shards padded
 * to 16-byte words read as four little-endian u32, rows in groups of {@link #ROW_GROUP}, zero
 * coefficients skipped, products as exp[log[x] + lg] packed back into words. As an {@link
 * ErasureBackend} it runs under ReedSolomon exactly where CudaBackend would.
 */
final class KernelEmulation implements ErasureBackend {
  static final int ROW_GROUP = 4;
  private static final ValueLayout.OfInt U32 =
      ValueLayout.JAVA_INT_UNALIGNED.withOrder(java.nio.ByteOrder.LITTLE_ENDIAN);

  private final int[] log = new int[GfTables.LOG_ENTRIES];
  private final int[] exp = new int[GfTables.EXP_ENTRIES];

  KernelEmulation() {
    byte[] image = GfTables.image();
    for (int i = 0; i < log.length; i++) {
      log[i] = (image[2 * i] & 0xff) | (image[2 * i + 1] & 0xff) << 8;
    }
    for (int i = 0; i < exp.length; i++) {
      exp[i] = image[2 * GfTables.LOG_ENTRIES + i] & 0xff;
    }
  }

  @Override
  public String name() {
    return "cuda-emulated";
  }

  @Override
  public int priority() {
    return -1;
  }

  @Override
  public boolean isAvailable() {
    return true;
  }

  @Override
  public CodingMatrix prepare(byte[] matrix, int rows, int cols) {
    return new CudaBackend().prepare(matrix, rows, cols);
  }

  @Override
  public void multiply(
      CodingMatrix matrix, MemorySegment[] in, MemorySegment[] out, long from, long to) {
    int rows = matrix.rows();
    int cols = matrix.cols();
    byte[] coef = (byte[]) matrix.expanded();
    long n = to - from;
    long pad = (n + 15) / 16 * 16;
    // the device buffers: shard c at c * pad, tail past n left as garbage (here 0x5a)
    MemorySegment dIn = MemorySegment.ofArray(new byte[(int) (cols * pad)]);
    dIn.fill((byte) 0x5a);
    for (int c = 0; c < cols; c++) {
      MemorySegment.copy(in[c], from, dIn, c * pad, n);
    }
    MemorySegment dOut = MemorySegment.ofArray(new byte[(int) (rows * pad)]);
    long words = pad / 16;
    for (long i = 0; i < words; i++) { // one "thread" per 16-byte word
      for (int r0 = 0; r0 < rows; r0 += ROW_GROUP) {
        int nr = Math.min(ROW_GROUP, rows - r0);
        int[][] acc = new int[ROW_GROUP][4];
        for (int c = 0; c < cols; c++) {
          int[] x = new int[4];
          for (int w = 0; w < 4; w++) {
            x[w] = dIn.get(U32, c * pad + i * 16 + 4L * w);
          }
          for (int j = 0; j < nr; j++) {
            int lg = coef[(r0 + j) * cols + c] & 0xff;
            if (lg != GfTables.ZERO_COEFFICIENT) {
              for (int w = 0; w < 4; w++) {
                acc[j][w] ^= mulWord(x[w], lg);
              }
            }
          }
        }
        for (int j = 0; j < nr; j++) {
          for (int w = 0; w < 4; w++) {
            dOut.set(U32, (r0 + j) * pad + i * 16 + 4L * w, acc[j][w]);
          }
        }
      }
    }
    for (int r = 0; r < rows; r++) {
      MemorySegment.copy(dOut, r * pad, out[r], from, n);
    }
  }

  /** gf_mul_word: four bytes of a little-endian word, each times the coefficient. */
  int mulWord(int x, int lg) {
    return exp[log[x & 0xff] + lg]
        | exp[log[(x >>> 8) & 0xff] + lg] << 8
        | exp[log[(x >>> 16) & 0xff] + lg] << 16
        | exp[log[x >>> 24] + lg] << 24;
  }
}
