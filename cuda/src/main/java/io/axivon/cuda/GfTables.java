package io.axivon.cuda;

import io.axivon.da.erasure.Gf256;

/**
 * The tables the GPU kernel ({@code gf_matmul.cu}) multiplies with, built here and uploaded as they
 * are, so the Java emulation in the tests runs exactly the kernel's arithmetic. With {@code log[0]
 * = 512} and a zero tail in {@code exp}, {@code x · g = exp[log[x] + log(g)]} for every byte x and
 * non-zero g, with no branch on x.
 */
public final class GfTables {
  /** Entries of the u16 log table. */
  public static final int LOG_ENTRIES = 256;

  /** Entries of the u8 exp table: indices reach 512 + 254. */
  public static final int EXP_ENTRIES = 1024;

  /** The logarithm stored for x = 0: past every sum of two real logarithms (at most 508). */
  public static final int LOG_OF_ZERO = 512;

  /** The coefficient logarithm that marks a zero coefficient (real ones are 0..254). */
  public static final int ZERO_COEFFICIENT = 255;

  /** Size of {@link #image()}: the log table as little-endian u16, then the exp table. */
  public static final int IMAGE_BYTES = 2 * LOG_ENTRIES + EXP_ENTRIES;

  private GfTables() {}

  /** exp[i] = 2^(i mod 255) for i < 510, 0 beyond; powers of the generator by the CPU field. */
  public static int[] exp() {
    int[] exp = new int[EXP_ENTRIES];
    int x = 1;
    for (int i = 0; i < 255; i++) {
      exp[i] = x;
      exp[i + 255] = x;
      x = Gf256.mul(x, 2);
    }
    return exp;
  }

  /** log[x] with exp[log[x]] = x for x ≠ 0, and {@link #LOG_OF_ZERO} for 0. */
  public static int[] log() {
    int[] exp = exp();
    int[] log = new int[LOG_ENTRIES];
    log[0] = LOG_OF_ZERO;
    for (int i = 0; i < 255; i++) {
      log[exp[i]] = i;
    }
    return log;
  }

  /** The 1536 bytes the kernel copies into shared memory: u16 log[256] (little-endian), u8 exp. */
  public static byte[] image() {
    int[] log = log();
    int[] exp = exp();
    byte[] image = new byte[IMAGE_BYTES];
    for (int i = 0; i < LOG_ENTRIES; i++) {
      image[2 * i] = (byte) log[i];
      image[2 * i + 1] = (byte) (log[i] >>> 8);
    }
    for (int i = 0; i < EXP_ENTRIES; i++) {
      image[2 * LOG_ENTRIES + i] = (byte) exp[i];
    }
    return image;
  }

  /** The kernel's coefficient form: log(g) per entry, {@link #ZERO_COEFFICIENT} for g = 0. */
  public static byte[] coefficientLogs(byte[] matrix) {
    int[] log = log();
    byte[] logs = new byte[matrix.length];
    for (int i = 0; i < matrix.length; i++) {
      int g = matrix[i] & 0xff;
      logs[i] = (byte) (g == 0 ? ZERO_COEFFICIENT : log[g]);
    }
    return logs;
  }
}
