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
  static final int ROW_GROUP = CudaDevice.ROW_GROUP;
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
    for (int r0 = 0; r0 < rows; r0 += ROW_GROUP) { // blockIdx.y
      int nr = Math.min(ROW_GROUP, rows - r0);
      for (long i = 0; i < words; i++) { // one "thread" per 16-byte word
        int[][] acc = new int[ROW_GROUP][4];
        for (int c = 0; c < cols; c++) {
          int[] lx = new int[16];
          for (int w = 0; w < 4; w++) {
            logWord(dIn.get(U32, c * pad + i * 16 + 4L * w), lx, 4 * w);
          }
          for (int j = 0; j < nr; j++) {
            int lg = coef[(r0 + j) * cols + c] & 0xff;
            if (lg != GfTables.ZERO_COEFFICIENT) {
              for (int w = 0; w < 4; w++) {
                acc[j][w] ^= expWord(lx, 4 * w, lg);
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

  /** gf_log_word: the logarithms of the four bytes of a little-endian word. */
  void logWord(int x, int[] lx, int at) {
    lx[at] = log[x & 0xff];
    lx[at + 1] = log[(x >>> 8) & 0xff];
    lx[at + 2] = log[(x >>> 16) & 0xff];
    lx[at + 3] = log[x >>> 24];
  }

  /** gf_exp_word: the four products exp[log(x_b) + lg] packed into a word. */
  int expWord(int[] lx, int at, int lg) {
    return exp[lx[at] + lg]
        | exp[lx[at + 1] + lg] << 8
        | exp[lx[at + 2] + lg] << 16
        | exp[lx[at + 3] + lg] << 24;
  }

  /** A word times one coefficient, as the kernel computes it. */
  int mulWord(int x, int lg) {
    int[] lx = new int[4];
    logWord(x, lx, 0);
    return expWord(lx, 0, lg);
  }
}
