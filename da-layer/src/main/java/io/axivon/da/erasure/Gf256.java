package io.axivon.da.erasure;

/**
 * GF(2^8) with the polynomial x^8 + x^4 + x^3 + x^2 + 1 (0x11d) and generator 2, the field ISA-L
 * uses. The tables are computed once and never written afterwards.
 */
public final class Gf256 {
  /** The reduction polynomial, as ISA-L's {@code gf_mul} uses it. */
  public static final int POLYNOMIAL = 0x11d;

  private static final int[] EXP = new int[512];
  private static final int[] LOG = new int[256];
  private static final byte[] INV = new byte[256];

  /** Full 64 KiB product table for the scalar path: MUL[a << 8 | b] = a * b. */
  private static final byte[] MUL = new byte[65536];

  static {
    int x = 1;
    for (int i = 0; i < 255; i++) {
      EXP[i] = x;
      LOG[x] = i;
      x <<= 1;
      if ((x & 0x100) != 0) {
        x ^= POLYNOMIAL;
      }
    }
    for (int i = 255; i < EXP.length; i++) {
      EXP[i] = EXP[i - 255];
    }
    for (int a = 1; a < 256; a++) {
      INV[a] = (byte) EXP[255 - LOG[a]];
      for (int b = 1; b < 256; b++) {
        MUL[a << 8 | b] = (byte) EXP[LOG[a] + LOG[b]];
      }
    }
  }

  private Gf256() {}

  /** a * b in the field; both in 0..255. */
  public static int mul(int a, int b) {
    return MUL[(a & 0xff) << 8 | (b & 0xff)] & 0xff;
  }

  /** The multiplicative inverse; 0 maps to 0 as in ISA-L's {@code gf_inv}. */
  public static int inv(int a) {
    return INV[a & 0xff] & 0xff;
  }

  /** Row {@code a} of the product table: {@code mulRow(a)[b] = a * b}, a copy the caller owns. */
  static byte[] mulRow(int a) {
    byte[] row = new byte[256];
    System.arraycopy(MUL, (a & 0xff) << 8, row, 0, 256);
    return row;
  }

  /** The product table itself, for the scalar kernel's inner loop; callers never write it. */
  static byte[] productTable() {
    return MUL;
  }
}
