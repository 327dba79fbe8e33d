package io.axivon.da.erasure;

/** The limits every code shape obeys. */
final class Shape {
  /** GF(2^8) has 256 elements, so at most 256 distinct Cauchy rows and columns. */
  static final int MAX_SHARDS = 256;

  private Shape() {}

  static void check(int k, int m) {
    if (k < 1) {
      throw new IllegalArgumentException("k must be at least 1, got " + k);
    }
    if (m < 1) {
      throw new IllegalArgumentException("m must be at least 1, got " + m);
    }
    if (k + m > MAX_SHARDS) {
      throw new IllegalArgumentException(
          "k + m must be at most " + MAX_SHARDS + ", got " + k + " + " + m + " = " + (k + m));
    }
  }
}
