package io.axivon.da.erasure;

import java.lang.foreign.MemorySegment;

/**
 * Systematic Reed-Solomon over GF(2^8) with ISA-L's Cauchy matrix: for the same k, m and data every
 * parity byte equals ISA-L's {@code ec_encode_data}. Shards 0..k-1 are the data, k..k+m-1 the
 * parity. The calls mirror ISA-L's: {@code len} bytes of every shard take part.
 */
public interface ErasureCoder extends AutoCloseable {
  /** The backend doing the arithmetic, e.g. {@code vector-512} or {@code scalar}. */
  String backendName();

  /** Writes m parity shards of {@code len} bytes from k data shards. */
  void encode(int k, int m, byte[][] data, byte[][] parity, int len);

  /** As {@link #encode(int, int, byte[][], byte[][], int)} on heap or off-heap memory. */
  void encode(int k, int m, MemorySegment[] data, MemorySegment[] parity, long len);

  /**
   * Rebuilds the shards {@code missing} (indices in 0..k+m-1) into {@code out} from at least k
   * shards: {@code shards[i]} holds shard {@code present[i]}. Only the missing shards are computed.
   */
  void decode(int k, int m, int[] present, byte[][] shards, int[] missing, byte[][] out, int len);

  /** As {@link #decode(int, int, int[], byte[][], int[], byte[][], int)} on any memory. */
  void decode(
      int k,
      int m,
      int[] present,
      MemorySegment[] shards,
      int[] missing,
      MemorySegment[] out,
      long len);

  /**
   * {@code out[r] = XOR over c of matrix[r][c] · in[c]} for any {@code rows × cols} matrix
   * (row-major, {@code rows ≤ 256}, {@code cols ≤ 256}) over {@code len} bytes of every shard: the
   * kernel the code is made of, for uses such as random parity checks of codewords. The last few
   * matrices stay expanded, so many shard sets multiplied by one matrix expand it once.
   */
  void multiply(
      byte[] matrix, int rows, int cols, MemorySegment[] in, MemorySegment[] out, long len);

  /**
   * Fills in place every null entry of {@code shards} (k + m entries, each of {@code len} bytes
   * when present) from the others; needs at least k present.
   */
  void reconstruct(int k, int m, byte[][] shards, int len);

  /** Stops the worker threads, if any. */
  @Override
  void close();
}
