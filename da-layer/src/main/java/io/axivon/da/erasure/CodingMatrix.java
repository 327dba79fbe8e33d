package io.axivon.da.erasure;

/**
 * A rows × cols coefficient matrix with the expanded form one backend multiplies by (ISA-L's {@code
 * ec_init_tables}): expanding costs far more than coding a small shard, so coders build it once per
 * code shape or erasure pattern and keep it.
 */
public record CodingMatrix(byte[] coefficients, int rows, int cols, Object expanded) {
  public CodingMatrix {
    if (coefficients.length != rows * cols) {
      throw new IllegalArgumentException(
          "matrix has " + coefficients.length + " entries, not " + rows + " × " + cols);
    }
  }
}
