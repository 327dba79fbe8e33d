package io.axivon.da.blob;

import io.axivon.common.InvalidInputException;
import org.apache.tuweni.bytes.Bytes;

/**
 * The layout of a blob as the original k × k square of {@value #SHARE_SIZE}-byte shares
 * (specs/da.md §1–§2): a 4-byte big-endian length header, the blob, zero padding, row-major.
 */
public final class BlobSquare {
  /** Bytes per share (one cell of the square). */
  public static final int SHARE_SIZE = 2048;

  /** The {@code u32be} blob length in front of the blob. */
  public static final int HEADER_SIZE = 4;

  /** The widest original square: 2k = 256 is the most shards RS(k, k) over GF(2^8) allows. */
  public static final int MAX_K = 128;

  /** The header plus the blob fill the largest square exactly. */
  public static final int MAX_BLOB_SIZE = MAX_K * MAX_K * SHARE_SIZE - HEADER_SIZE;

  private BlobSquare() {}

  /** The smallest power of two k ≤ 128 whose square holds a blob of {@code blobLength} bytes. */
  public static int widthFor(long blobLength) {
    checkLength(blobLength);
    int k = 1;
    while ((long) k * k * SHARE_SIZE < blobLength + HEADER_SIZE) {
      k *= 2;
    }
    return k;
  }

  /** The largest blob a k × k square holds. */
  public static int capacity(int k) {
    checkWidth(k);
    return k * k * SHARE_SIZE - HEADER_SIZE;
  }

  /** Throws unless {@code k} is a power of two in 1..128. */
  public static void checkWidth(int k) {
    if (k < 1 || k > MAX_K || Integer.bitCount(k) != 1) {
      throw new InvalidInputException(
          "square width k must be a power of two in 1.." + MAX_K + ", got " + k);
    }
  }

  private static void checkLength(long blobLength) {
    if (blobLength < 1) {
      throw new InvalidInputException("blob is empty");
    }
    if (blobLength > MAX_BLOB_SIZE) {
      throw new InvalidInputException(
          "blob of " + blobLength + " bytes exceeds the maximum of " + MAX_BLOB_SIZE + " bytes");
    }
  }

  /**
   * Writes row {@code r} of the original square of the blob {@code src} into the first k cells of
   * {@code row}: the header in row 0, the blob's bytes, zeros after them. Rows are independent, so
   * a square can be laid out on several threads.
   */
  static void layOutRow(byte[] src, byte[] row, int r, int k) {
    int n = src.length;
    int rowBytes = k * SHARE_SIZE;
    int from = 0;
    if (r == 0) {
      row[0] = (byte) (n >>> 24);
      row[1] = (byte) (n >>> 16);
      row[2] = (byte) (n >>> 8);
      row[3] = (byte) n;
      from = HEADER_SIZE;
    }
    long blobStart = (long) r * rowBytes + from - HEADER_SIZE; // the blob offset at `from`
    int len = (int) Math.max(0, Math.min(rowBytes - from, n - blobStart));
    if (len > 0) {
      System.arraycopy(src, (int) blobStart, row, from, len);
    }
    java.util.Arrays.fill(row, from + len, rowBytes, (byte) 0);
  }

  /**
   * The blob held by an original square ({@code rows[r]} starts with row r's k cells), checking the
   * header: at least 1, fitting the square, and needing exactly this k.
   */
  static Bytes read(byte[][] rows, int k) {
    checkWidth(k);
    byte[] row0 = rows[0];
    long n =
        ((row0[0] & 0xffL) << 24)
            | ((row0[1] & 0xffL) << 16)
            | ((row0[2] & 0xffL) << 8)
            | (row0[3] & 0xffL);
    if (n < 1 || n > capacity(k)) {
      throw new InvalidInputException(
          "square header says " + n + " bytes, which a " + k + " × " + k + " square cannot hold");
    }
    if (widthFor(n) != k) {
      throw new InvalidInputException(
          "square header says "
              + n
              + " bytes, which belong in a square of width "
              + widthFor(n)
              + ", not "
              + k);
    }
    byte[] out = new byte[(int) n];
    int rowBytes = k * SHARE_SIZE;
    int copied = 0;
    for (int r = 0; r < k && copied < n; r++) {
      int from = r == 0 ? HEADER_SIZE : 0;
      int len = (int) Math.min(rowBytes - from, n - copied);
      System.arraycopy(rows[r], from, out, copied, len);
      copied += len;
    }
    return Bytes.wrap(out);
  }
}
