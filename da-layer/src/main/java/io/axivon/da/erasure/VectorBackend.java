package io.axivon.da.erasure;

import java.lang.foreign.MemorySegment;
import java.nio.ByteOrder;
import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * The split-nibble table multiply (the PSHUFB technique ISA-L's kernels use) with the Vector API on
 * the widest vectors the CPU offers: a * x = lo[a][x & 15] ^ hi[a][x >>> 4], each lookup one
 * permute of a 16-entry table. Several output rows share every load of an input vector, which cuts
 * memory traffic, and positions go in chunks so the inputs stay in cache across row groups.
 *
 * <p>Loaded only after {@link VectorBackendProvider} has seen the jdk.incubator.vector module.
 */
final class VectorBackend implements ErasureBackend {
  private static final VectorSpecies<Byte> S = ByteVector.SPECIES_PREFERRED;
  private static final int VL = S.length();
  private static final ByteOrder ORDER = ByteOrder.nativeOrder();

  /** Bytes of input kept hot across row groups: about an L1 data cache. */
  private static final int CHUNK_INPUT_BYTES = 32 * 1024;

  static boolean usable() {
    // a 16-entry nibble table needs at least 16 byte lanes
    return VL >= 16;
  }

  @Override
  public String name() {
    return "vector-" + S.vectorBitSize();
  }

  @Override
  public int priority() {
    return 100;
  }

  @Override
  public boolean isAvailable() {
    return usable();
  }

  /**
   * Nibble tables, 32 bytes per coefficient (16 low, 16 high), padded so a full-width vector load
   * at any table start stays inside the array: lanes past 16 hold the next tables, which the masked
   * 0..15 indices never select. Packed, so a 128 × 128 matrix needs 512 KiB, not 2 MiB.
   */
  static byte[] tables(byte[] matrix, int rows, int cols) {
    byte[] t = new byte[rows * cols * 32 + VL];
    for (int i = 0; i < rows * cols; i++) {
      int g = matrix[i] & 0xff;
      for (int x = 0; x < 16; x++) {
        t[i * 32 + x] = (byte) Gf256.mul(g, x);
        t[i * 32 + 16 + x] = (byte) Gf256.mul(g, x << 4);
      }
    }
    return t;
  }

  @Override
  public CodingMatrix prepare(byte[] matrix, int rows, int cols) {
    return new CodingMatrix(matrix.clone(), rows, cols, tables(matrix, rows, cols));
  }

  @Override
  public void multiply(
      CodingMatrix matrix, MemorySegment[] in, MemorySegment[] out, long from, long to) {
    int rows = matrix.rows();
    int cols = matrix.cols();
    long vecEnd = from + (to - from) / VL * VL;
    if (vecEnd > from) {
      byte[] t = (byte[]) matrix.expanded();
      long chunk = Math.max(VL, (CHUNK_INPUT_BYTES / cols) / VL * VL);
      for (long p = from; p < vecEnd; p += chunk) {
        long end = Math.min(vecEnd, p + chunk);
        int r = 0;
        for (; r + 8 <= rows; r += 8) {
          rows8(t, r, cols, in, out, p, end);
        }
        for (; r + 4 <= rows; r += 4) {
          rows4(t, r, cols, in, out[r], out[r + 1], out[r + 2], out[r + 3], p, end);
        }
        for (; r + 2 <= rows; r += 2) {
          rows2(t, r, cols, in, out[r], out[r + 1], p, end);
        }
        if (r < rows) {
          rows1(t, r, cols, in, out[r], p, end);
        }
      }
    }
    if (vecEnd < to) {
      ScalarBackend.multiplyRange(matrix.coefficients(), rows, cols, in, out, vecEnd, to);
    }
  }

  /** x >>> 4 per byte: a 16-bit shift and a mask, since x86 has no byte shift. */
  private static ByteVector high(ByteVector x) {
    return x.reinterpretAsShorts()
        .lanewise(VectorOperators.LSHR, 4)
        .reinterpretAsBytes()
        .and((byte) 0x0f);
  }

  private static ByteVector lookup(byte[] t, int off, ByteVector lo, ByteVector hi) {
    return lo.selectFrom(ByteVector.fromArray(S, t, off))
        .lanewise(VectorOperators.XOR, hi.selectFrom(ByteVector.fromArray(S, t, off + 16)));
  }

  /** Eight rows per pass over the inputs: half the input traffic of two four-row passes. */
  private static void rows8(
      byte[] t, int r, int cols, MemorySegment[] in, MemorySegment[] out, long from, long to) {
    int t0 = r * cols * 32;
    int rs = cols * 32;
    for (long p = from; p < to; p += VL) {
      ByteVector a0 = ByteVector.zero(S);
      ByteVector a1 = a0;
      ByteVector a2 = a0;
      ByteVector a3 = a0;
      ByteVector a4 = a0;
      ByteVector a5 = a0;
      ByteVector a6 = a0;
      ByteVector a7 = a0;
      int off = t0;
      for (int c = 0; c < cols; c++, off += 32) {
        ByteVector x = ByteVector.fromMemorySegment(S, in[c], p, ORDER);
        ByteVector lo = x.and((byte) 0x0f);
        ByteVector hi = high(x);
        a0 = a0.lanewise(VectorOperators.XOR, lookup(t, off, lo, hi));
        a1 = a1.lanewise(VectorOperators.XOR, lookup(t, off + rs, lo, hi));
        a2 = a2.lanewise(VectorOperators.XOR, lookup(t, off + 2 * rs, lo, hi));
        a3 = a3.lanewise(VectorOperators.XOR, lookup(t, off + 3 * rs, lo, hi));
        a4 = a4.lanewise(VectorOperators.XOR, lookup(t, off + 4 * rs, lo, hi));
        a5 = a5.lanewise(VectorOperators.XOR, lookup(t, off + 5 * rs, lo, hi));
        a6 = a6.lanewise(VectorOperators.XOR, lookup(t, off + 6 * rs, lo, hi));
        a7 = a7.lanewise(VectorOperators.XOR, lookup(t, off + 7 * rs, lo, hi));
      }
      a0.intoMemorySegment(out[r], p, ORDER);
      a1.intoMemorySegment(out[r + 1], p, ORDER);
      a2.intoMemorySegment(out[r + 2], p, ORDER);
      a3.intoMemorySegment(out[r + 3], p, ORDER);
      a4.intoMemorySegment(out[r + 4], p, ORDER);
      a5.intoMemorySegment(out[r + 5], p, ORDER);
      a6.intoMemorySegment(out[r + 6], p, ORDER);
      a7.intoMemorySegment(out[r + 7], p, ORDER);
    }
  }

  private static void rows4(
      byte[] t,
      int r,
      int cols,
      MemorySegment[] in,
      MemorySegment o0,
      MemorySegment o1,
      MemorySegment o2,
      MemorySegment o3,
      long from,
      long to) {
    int t0 = r * cols * 32;
    int rowStride = cols * 32;
    for (long p = from; p < to; p += VL) {
      ByteVector a0 = ByteVector.zero(S);
      ByteVector a1 = a0;
      ByteVector a2 = a0;
      ByteVector a3 = a0;
      int off = t0;
      for (int c = 0; c < cols; c++, off += 32) {
        ByteVector x = ByteVector.fromMemorySegment(S, in[c], p, ORDER);
        ByteVector lo = x.and((byte) 0x0f);
        ByteVector hi = high(x);
        a0 = a0.lanewise(VectorOperators.XOR, lookup(t, off, lo, hi));
        a1 = a1.lanewise(VectorOperators.XOR, lookup(t, off + rowStride, lo, hi));
        a2 = a2.lanewise(VectorOperators.XOR, lookup(t, off + 2 * rowStride, lo, hi));
        a3 = a3.lanewise(VectorOperators.XOR, lookup(t, off + 3 * rowStride, lo, hi));
      }
      a0.intoMemorySegment(o0, p, ORDER);
      a1.intoMemorySegment(o1, p, ORDER);
      a2.intoMemorySegment(o2, p, ORDER);
      a3.intoMemorySegment(o3, p, ORDER);
    }
  }

  private static void rows2(
      byte[] t,
      int r,
      int cols,
      MemorySegment[] in,
      MemorySegment o0,
      MemorySegment o1,
      long from,
      long to) {
    int t0 = r * cols * 32;
    int rowStride = cols * 32;
    for (long p = from; p < to; p += VL) {
      ByteVector a0 = ByteVector.zero(S);
      ByteVector a1 = a0;
      int off = t0;
      for (int c = 0; c < cols; c++, off += 32) {
        ByteVector x = ByteVector.fromMemorySegment(S, in[c], p, ORDER);
        ByteVector lo = x.and((byte) 0x0f);
        ByteVector hi = high(x);
        a0 = a0.lanewise(VectorOperators.XOR, lookup(t, off, lo, hi));
        a1 = a1.lanewise(VectorOperators.XOR, lookup(t, off + rowStride, lo, hi));
      }
      a0.intoMemorySegment(o0, p, ORDER);
      a1.intoMemorySegment(o1, p, ORDER);
    }
  }

  private static void rows1(
      byte[] t, int r, int cols, MemorySegment[] in, MemorySegment o0, long from, long to) {
    int t0 = r * cols * 32;
    for (long p = from; p < to; p += VL) {
      ByteVector a0 = ByteVector.zero(S);
      int off = t0;
      for (int c = 0; c < cols; c++, off += 32) {
        ByteVector x = ByteVector.fromMemorySegment(S, in[c], p, ORDER);
        ByteVector lo = x.and((byte) 0x0f);
        ByteVector hi = high(x);
        a0 = a0.lanewise(VectorOperators.XOR, lookup(t, off, lo, hi));
      }
      a0.intoMemorySegment(o0, p, ORDER);
    }
  }
}
