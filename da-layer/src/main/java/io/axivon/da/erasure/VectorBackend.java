package io.axivon.da.erasure;

import static jdk.incubator.vector.VectorOperators.LSHR;
import static jdk.incubator.vector.VectorOperators.XOR;

import java.lang.foreign.MemorySegment;
import java.nio.ByteOrder;
import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * The split-nibble table multiply (the PSHUFB technique ISA-L's kernels use) with the Vector API on
 * the widest vectors the CPU offers: a * x = lo[a][x & 15] ^ hi[a][x >>> 4], each lookup one
 * permute of a 16-entry table. Several output rows share every load of an input vector, which cuts
 * memory traffic, and positions go in chunks so the inputs stay in cache across row groups.
 *
 * <p>Every kernel codes two vectors of positions per pass: each table load, segment check and loop
 * step then serves two outputs, which roughly halves the non-arithmetic work per byte. That matters
 * most when the shards stream from L3 or memory (10+4 with 1 MiB shards), where fewer instructions
 * per load let the core keep more cache misses in flight. A range's last bytes short of two vectors
 * go to the scalar code.
 *
 * <p>The kernels spell out every Vector API call instead of calling small helpers: in methods this
 * large C2 can stop inlining ordinary methods (NodeCountInliningCutoff), and a helper left as a
 * call boxes its vectors, which made a kernel ten times slower. The high nibble, x >>> 4, is a
 * 16-bit shift and a mask, since x86 has no byte shift.
 *
 * <p>Loaded only after {@link VectorBackendProvider} has seen the jdk.incubator.vector module.
 */
final class VectorBackend implements ErasureBackend {
  private static final VectorSpecies<Byte> S = ByteVector.SPECIES_PREFERRED;
  private static final int VL = S.length();
  private static final ByteOrder ORDER = ByteOrder.nativeOrder();

  /** Positions per kernel step: two vectors. */
  private static final int STEP = 2 * VL;

  /**
   * Whether one vector holds a row pair's four 16-byte tables (64-byte vectors): a single table
   * load then feeds both rows, the nibble indices offset by 16, 32 and 48 to pick the table.
   */
  private static final boolean PAIRED = VL == 64;

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
   * Nibble tables, 32 bytes per coefficient (16 low, 16 high), in 64-byte blocks per row pair and
   * column: [lo(r, c), hi(r, c), lo(r + 1, c), hi(r + 1, c)] for even r, so a 64-byte vector load
   * at a block holds both rows' tables. Padded so a full-width load at any table start stays inside
   * the array: lanes past the wanted table hold others, which the indices never select. Packed, so
   * a 128 × 128 matrix needs 512 KiB, not 2 MiB.
   */
  static byte[] tables(byte[] matrix, int rows, int cols) {
    byte[] t = new byte[(rows + 1) / 2 * cols * 64 + VL];
    for (int r = 0; r < rows; r++) {
      for (int c = 0; c < cols; c++) {
        int g = matrix[r * cols + c] & 0xff;
        int o = tableOffset(r, c, cols);
        for (int x = 0; x < 16; x++) {
          t[o + x] = (byte) Gf256.mul(g, x);
          t[o + 16 + x] = (byte) Gf256.mul(g, x << 4);
        }
      }
    }
    return t;
  }

  /** Where row r's low table for column c starts; its high table follows 16 bytes on. */
  private static int tableOffset(int r, int c, int cols) {
    return ((r >>> 1) * cols + c) * 64 + (r & 1) * 32;
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
    long vecEnd = from + (to - from) / STEP * STEP;
    if (vecEnd > from) {
      byte[] t = (byte[]) matrix.expanded();
      long chunk = Math.max(STEP, (CHUNK_INPUT_BYTES / cols) / STEP * STEP);
      for (long p = from; p < vecEnd; p += chunk) {
        long end = Math.min(vecEnd, p + chunk);
        int r = 0;
        for (; r + 8 <= rows; r += 8) {
          rows8(t, r, cols, in, out, p, end);
        }
        for (; r + 4 <= rows; r += 4) {
          if (PAIRED) {
            rows4Paired(t, r, cols, in, out[r], out[r + 1], out[r + 2], out[r + 3], p, end);
          } else {
            rows4(t, r, cols, in, out[r], out[r + 1], out[r + 2], out[r + 3], p, end);
          }
        }
        for (; r + 2 <= rows; r += 2) {
          if (PAIRED) {
            rows2Paired(t, r, cols, in, out[r], out[r + 1], p, end);
          } else {
            rows2(t, r, cols, in, out[r], out[r + 1], p, end);
          }
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

  /**
   * Eight rows per pass over the inputs: half the input traffic of two four-row passes. Two table
   * loads per coefficient, each used for both vectors of positions.
   */
  private static void rows8(
      byte[] t, int r, int cols, MemorySegment[] in, MemorySegment[] out, long from, long to) {
    int t0 = tableOffset(r, 0, cols);
    int pair = cols * 64;
    MemorySegment o0 = out[r];
    MemorySegment o1 = out[r + 1];
    MemorySegment o2 = out[r + 2];
    MemorySegment o3 = out[r + 3];
    MemorySegment o4 = out[r + 4];
    MemorySegment o5 = out[r + 5];
    MemorySegment o6 = out[r + 6];
    MemorySegment o7 = out[r + 7];
    for (long p = from; p < to; p += STEP) {
      // a: positions p..p+VL, b: the next vector
      ByteVector a0 = ByteVector.zero(S);
      ByteVector a1 = a0;
      ByteVector a2 = a0;
      ByteVector a3 = a0;
      ByteVector a4 = a0;
      ByteVector a5 = a0;
      ByteVector a6 = a0;
      ByteVector a7 = a0;
      ByteVector b0 = a0;
      ByteVector b1 = a0;
      ByteVector b2 = a0;
      ByteVector b3 = a0;
      ByteVector b4 = a0;
      ByteVector b5 = a0;
      ByteVector b6 = a0;
      ByteVector b7 = a0;
      for (int c = 0, off = t0; c < cols; c++, off += 64) {
        MemorySegment s = in[c];
        ByteVector x = ByteVector.fromMemorySegment(S, s, p, ORDER);
        ByteVector y = ByteVector.fromMemorySegment(S, s, p + VL, ORDER);
        ByteVector xl = x.and((byte) 0x0f);
        ByteVector xh =
            x.reinterpretAsShorts().lanewise(LSHR, 4).reinterpretAsBytes().and((byte) 0x0f);
        ByteVector yl = y.and((byte) 0x0f);
        ByteVector yh =
            y.reinterpretAsShorts().lanewise(LSHR, 4).reinterpretAsBytes().and((byte) 0x0f);
        ByteVector tl = ByteVector.fromArray(S, t, off);
        ByteVector th = ByteVector.fromArray(S, t, off + 16);
        a0 = a0.lanewise(XOR, xl.selectFrom(tl)).lanewise(XOR, xh.selectFrom(th));
        b0 = b0.lanewise(XOR, yl.selectFrom(tl)).lanewise(XOR, yh.selectFrom(th));
        tl = ByteVector.fromArray(S, t, off + 32);
        th = ByteVector.fromArray(S, t, off + 48);
        a1 = a1.lanewise(XOR, xl.selectFrom(tl)).lanewise(XOR, xh.selectFrom(th));
        b1 = b1.lanewise(XOR, yl.selectFrom(tl)).lanewise(XOR, yh.selectFrom(th));
        int o = off + pair;
        tl = ByteVector.fromArray(S, t, o);
        th = ByteVector.fromArray(S, t, o + 16);
        a2 = a2.lanewise(XOR, xl.selectFrom(tl)).lanewise(XOR, xh.selectFrom(th));
        b2 = b2.lanewise(XOR, yl.selectFrom(tl)).lanewise(XOR, yh.selectFrom(th));
        tl = ByteVector.fromArray(S, t, o + 32);
        th = ByteVector.fromArray(S, t, o + 48);
        a3 = a3.lanewise(XOR, xl.selectFrom(tl)).lanewise(XOR, xh.selectFrom(th));
        b3 = b3.lanewise(XOR, yl.selectFrom(tl)).lanewise(XOR, yh.selectFrom(th));
        o += pair;
        tl = ByteVector.fromArray(S, t, o);
        th = ByteVector.fromArray(S, t, o + 16);
        a4 = a4.lanewise(XOR, xl.selectFrom(tl)).lanewise(XOR, xh.selectFrom(th));
        b4 = b4.lanewise(XOR, yl.selectFrom(tl)).lanewise(XOR, yh.selectFrom(th));
        tl = ByteVector.fromArray(S, t, o + 32);
        th = ByteVector.fromArray(S, t, o + 48);
        a5 = a5.lanewise(XOR, xl.selectFrom(tl)).lanewise(XOR, xh.selectFrom(th));
        b5 = b5.lanewise(XOR, yl.selectFrom(tl)).lanewise(XOR, yh.selectFrom(th));
        o += pair;
        tl = ByteVector.fromArray(S, t, o);
        th = ByteVector.fromArray(S, t, o + 16);
        a6 = a6.lanewise(XOR, xl.selectFrom(tl)).lanewise(XOR, xh.selectFrom(th));
        b6 = b6.lanewise(XOR, yl.selectFrom(tl)).lanewise(XOR, yh.selectFrom(th));
        tl = ByteVector.fromArray(S, t, o + 32);
        th = ByteVector.fromArray(S, t, o + 48);
        a7 = a7.lanewise(XOR, xl.selectFrom(tl)).lanewise(XOR, xh.selectFrom(th));
        b7 = b7.lanewise(XOR, yl.selectFrom(tl)).lanewise(XOR, yh.selectFrom(th));
      }
      long q = p + VL;
      a0.intoMemorySegment(o0, p, ORDER);
      b0.intoMemorySegment(o0, q, ORDER);
      a1.intoMemorySegment(o1, p, ORDER);
      b1.intoMemorySegment(o1, q, ORDER);
      a2.intoMemorySegment(o2, p, ORDER);
      b2.intoMemorySegment(o2, q, ORDER);
      a3.intoMemorySegment(o3, p, ORDER);
      b3.intoMemorySegment(o3, q, ORDER);
      a4.intoMemorySegment(o4, p, ORDER);
      b4.intoMemorySegment(o4, q, ORDER);
      a5.intoMemorySegment(o5, p, ORDER);
      b5.intoMemorySegment(o5, q, ORDER);
      a6.intoMemorySegment(o6, p, ORDER);
      b6.intoMemorySegment(o6, q, ORDER);
      a7.intoMemorySegment(o7, p, ORDER);
      b7.intoMemorySegment(o7, q, ORDER);
    }
  }

  /**
   * Four rows per pass with 64-byte vectors: one table load per row pair and column serves both
   * rows and both vectors of positions (ISA-L's 10+4 kernel loads a table per row).
   */
  private static void rows4Paired(
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
    int t0 = tableOffset(r, 0, cols);
    int pair = cols * 64;
    for (long p = from; p < to; p += STEP) {
      ByteVector a0 = ByteVector.zero(S);
      ByteVector a1 = a0;
      ByteVector a2 = a0;
      ByteVector a3 = a0;
      ByteVector b0 = a0;
      ByteVector b1 = a0;
      ByteVector b2 = a0;
      ByteVector b3 = a0;
      for (int c = 0, off = t0; c < cols; c++, off += 64) {
        MemorySegment s = in[c];
        ByteVector x = ByteVector.fromMemorySegment(S, s, p, ORDER);
        ByteVector y = ByteVector.fromMemorySegment(S, s, p + VL, ORDER);
        // indices into a block: even row's tables at 0 and 16, odd row's at 32 and 48
        ByteVector xl = x.and((byte) 0x0f);
        ByteVector xh =
            x.reinterpretAsShorts()
                .lanewise(LSHR, 4)
                .reinterpretAsBytes()
                .and((byte) 0x0f)
                .or((byte) 0x10);
        ByteVector xl2 = xl.or((byte) 0x20);
        ByteVector xh2 = xh.or((byte) 0x20);
        ByteVector yl = y.and((byte) 0x0f);
        ByteVector yh =
            y.reinterpretAsShorts()
                .lanewise(LSHR, 4)
                .reinterpretAsBytes()
                .and((byte) 0x0f)
                .or((byte) 0x10);
        ByteVector yl2 = yl.or((byte) 0x20);
        ByteVector yh2 = yh.or((byte) 0x20);
        ByteVector tt = ByteVector.fromArray(S, t, off);
        a0 = a0.lanewise(XOR, xl.selectFrom(tt)).lanewise(XOR, xh.selectFrom(tt));
        b0 = b0.lanewise(XOR, yl.selectFrom(tt)).lanewise(XOR, yh.selectFrom(tt));
        a1 = a1.lanewise(XOR, xl2.selectFrom(tt)).lanewise(XOR, xh2.selectFrom(tt));
        b1 = b1.lanewise(XOR, yl2.selectFrom(tt)).lanewise(XOR, yh2.selectFrom(tt));
        tt = ByteVector.fromArray(S, t, off + pair);
        a2 = a2.lanewise(XOR, xl.selectFrom(tt)).lanewise(XOR, xh.selectFrom(tt));
        b2 = b2.lanewise(XOR, yl.selectFrom(tt)).lanewise(XOR, yh.selectFrom(tt));
        a3 = a3.lanewise(XOR, xl2.selectFrom(tt)).lanewise(XOR, xh2.selectFrom(tt));
        b3 = b3.lanewise(XOR, yl2.selectFrom(tt)).lanewise(XOR, yh2.selectFrom(tt));
      }
      long q = p + VL;
      a0.intoMemorySegment(o0, p, ORDER);
      b0.intoMemorySegment(o0, q, ORDER);
      a1.intoMemorySegment(o1, p, ORDER);
      b1.intoMemorySegment(o1, q, ORDER);
      a2.intoMemorySegment(o2, p, ORDER);
      b2.intoMemorySegment(o2, q, ORDER);
      a3.intoMemorySegment(o3, p, ORDER);
      b3.intoMemorySegment(o3, q, ORDER);
    }
  }

  /** Two rows per pass with 64-byte vectors: one table load per column. */
  private static void rows2Paired(
      byte[] t,
      int r,
      int cols,
      MemorySegment[] in,
      MemorySegment o0,
      MemorySegment o1,
      long from,
      long to) {
    int t0 = tableOffset(r, 0, cols);
    for (long p = from; p < to; p += STEP) {
      ByteVector a0 = ByteVector.zero(S);
      ByteVector a1 = a0;
      ByteVector b0 = a0;
      ByteVector b1 = a0;
      for (int c = 0, off = t0; c < cols; c++, off += 64) {
        MemorySegment s = in[c];
        ByteVector x = ByteVector.fromMemorySegment(S, s, p, ORDER);
        ByteVector y = ByteVector.fromMemorySegment(S, s, p + VL, ORDER);
        ByteVector xl = x.and((byte) 0x0f);
        ByteVector xh =
            x.reinterpretAsShorts()
                .lanewise(LSHR, 4)
                .reinterpretAsBytes()
                .and((byte) 0x0f)
                .or((byte) 0x10);
        ByteVector yl = y.and((byte) 0x0f);
        ByteVector yh =
            y.reinterpretAsShorts()
                .lanewise(LSHR, 4)
                .reinterpretAsBytes()
                .and((byte) 0x0f)
                .or((byte) 0x10);
        ByteVector tt = ByteVector.fromArray(S, t, off);
        a0 = a0.lanewise(XOR, xl.selectFrom(tt)).lanewise(XOR, xh.selectFrom(tt));
        b0 = b0.lanewise(XOR, yl.selectFrom(tt)).lanewise(XOR, yh.selectFrom(tt));
        a1 =
            a1.lanewise(XOR, xl.or((byte) 0x20).selectFrom(tt))
                .lanewise(XOR, xh.or((byte) 0x20).selectFrom(tt));
        b1 =
            b1.lanewise(XOR, yl.or((byte) 0x20).selectFrom(tt))
                .lanewise(XOR, yh.or((byte) 0x20).selectFrom(tt));
      }
      long q = p + VL;
      a0.intoMemorySegment(o0, p, ORDER);
      b0.intoMemorySegment(o0, q, ORDER);
      a1.intoMemorySegment(o1, p, ORDER);
      b1.intoMemorySegment(o1, q, ORDER);
    }
  }

  /** Four rows per pass for vectors narrower than 64 bytes: two table loads per coefficient. */
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
    int t0 = tableOffset(r, 0, cols);
    int pair = cols * 64;
    for (long p = from; p < to; p += STEP) {
      ByteVector a0 = ByteVector.zero(S);
      ByteVector a1 = a0;
      ByteVector a2 = a0;
      ByteVector a3 = a0;
      ByteVector b0 = a0;
      ByteVector b1 = a0;
      ByteVector b2 = a0;
      ByteVector b3 = a0;
      for (int c = 0, off = t0; c < cols; c++, off += 64) {
        MemorySegment s = in[c];
        ByteVector x = ByteVector.fromMemorySegment(S, s, p, ORDER);
        ByteVector y = ByteVector.fromMemorySegment(S, s, p + VL, ORDER);
        ByteVector xl = x.and((byte) 0x0f);
        ByteVector xh =
            x.reinterpretAsShorts().lanewise(LSHR, 4).reinterpretAsBytes().and((byte) 0x0f);
        ByteVector yl = y.and((byte) 0x0f);
        ByteVector yh =
            y.reinterpretAsShorts().lanewise(LSHR, 4).reinterpretAsBytes().and((byte) 0x0f);
        ByteVector tl = ByteVector.fromArray(S, t, off);
        ByteVector th = ByteVector.fromArray(S, t, off + 16);
        a0 = a0.lanewise(XOR, xl.selectFrom(tl)).lanewise(XOR, xh.selectFrom(th));
        b0 = b0.lanewise(XOR, yl.selectFrom(tl)).lanewise(XOR, yh.selectFrom(th));
        tl = ByteVector.fromArray(S, t, off + 32);
        th = ByteVector.fromArray(S, t, off + 48);
        a1 = a1.lanewise(XOR, xl.selectFrom(tl)).lanewise(XOR, xh.selectFrom(th));
        b1 = b1.lanewise(XOR, yl.selectFrom(tl)).lanewise(XOR, yh.selectFrom(th));
        int o = off + pair;
        tl = ByteVector.fromArray(S, t, o);
        th = ByteVector.fromArray(S, t, o + 16);
        a2 = a2.lanewise(XOR, xl.selectFrom(tl)).lanewise(XOR, xh.selectFrom(th));
        b2 = b2.lanewise(XOR, yl.selectFrom(tl)).lanewise(XOR, yh.selectFrom(th));
        tl = ByteVector.fromArray(S, t, o + 32);
        th = ByteVector.fromArray(S, t, o + 48);
        a3 = a3.lanewise(XOR, xl.selectFrom(tl)).lanewise(XOR, xh.selectFrom(th));
        b3 = b3.lanewise(XOR, yl.selectFrom(tl)).lanewise(XOR, yh.selectFrom(th));
      }
      long q = p + VL;
      a0.intoMemorySegment(o0, p, ORDER);
      b0.intoMemorySegment(o0, q, ORDER);
      a1.intoMemorySegment(o1, p, ORDER);
      b1.intoMemorySegment(o1, q, ORDER);
      a2.intoMemorySegment(o2, p, ORDER);
      b2.intoMemorySegment(o2, q, ORDER);
      a3.intoMemorySegment(o3, p, ORDER);
      b3.intoMemorySegment(o3, q, ORDER);
    }
  }

  /** Two rows per pass for vectors narrower than 64 bytes. */
  private static void rows2(
      byte[] t,
      int r,
      int cols,
      MemorySegment[] in,
      MemorySegment o0,
      MemorySegment o1,
      long from,
      long to) {
    int t0 = tableOffset(r, 0, cols);
    for (long p = from; p < to; p += STEP) {
      ByteVector a0 = ByteVector.zero(S);
      ByteVector a1 = a0;
      ByteVector b0 = a0;
      ByteVector b1 = a0;
      for (int c = 0, off = t0; c < cols; c++, off += 64) {
        MemorySegment s = in[c];
        ByteVector x = ByteVector.fromMemorySegment(S, s, p, ORDER);
        ByteVector y = ByteVector.fromMemorySegment(S, s, p + VL, ORDER);
        ByteVector xl = x.and((byte) 0x0f);
        ByteVector xh =
            x.reinterpretAsShorts().lanewise(LSHR, 4).reinterpretAsBytes().and((byte) 0x0f);
        ByteVector yl = y.and((byte) 0x0f);
        ByteVector yh =
            y.reinterpretAsShorts().lanewise(LSHR, 4).reinterpretAsBytes().and((byte) 0x0f);
        ByteVector tl = ByteVector.fromArray(S, t, off);
        ByteVector th = ByteVector.fromArray(S, t, off + 16);
        a0 = a0.lanewise(XOR, xl.selectFrom(tl)).lanewise(XOR, xh.selectFrom(th));
        b0 = b0.lanewise(XOR, yl.selectFrom(tl)).lanewise(XOR, yh.selectFrom(th));
        tl = ByteVector.fromArray(S, t, off + 32);
        th = ByteVector.fromArray(S, t, off + 48);
        a1 = a1.lanewise(XOR, xl.selectFrom(tl)).lanewise(XOR, xh.selectFrom(th));
        b1 = b1.lanewise(XOR, yl.selectFrom(tl)).lanewise(XOR, yh.selectFrom(th));
      }
      long q = p + VL;
      a0.intoMemorySegment(o0, p, ORDER);
      b0.intoMemorySegment(o0, q, ORDER);
      a1.intoMemorySegment(o1, p, ORDER);
      b1.intoMemorySegment(o1, q, ORDER);
    }
  }

  /** The last row of an odd count: its tables start a row pair's block. */
  private static void rows1(
      byte[] t, int r, int cols, MemorySegment[] in, MemorySegment o0, long from, long to) {
    int t0 = tableOffset(r, 0, cols);
    for (long p = from; p < to; p += STEP) {
      ByteVector a0 = ByteVector.zero(S);
      ByteVector b0 = a0;
      for (int c = 0, off = t0; c < cols; c++, off += 64) {
        MemorySegment s = in[c];
        ByteVector x = ByteVector.fromMemorySegment(S, s, p, ORDER);
        ByteVector y = ByteVector.fromMemorySegment(S, s, p + VL, ORDER);
        ByteVector tl = ByteVector.fromArray(S, t, off);
        ByteVector th = ByteVector.fromArray(S, t, off + 16);
        a0 =
            a0.lanewise(XOR, x.and((byte) 0x0f).selectFrom(tl))
                .lanewise(
                    XOR,
                    x.reinterpretAsShorts()
                        .lanewise(LSHR, 4)
                        .reinterpretAsBytes()
                        .and((byte) 0x0f)
                        .selectFrom(th));
        b0 =
            b0.lanewise(XOR, y.and((byte) 0x0f).selectFrom(tl))
                .lanewise(
                    XOR,
                    y.reinterpretAsShorts()
                        .lanewise(LSHR, 4)
                        .reinterpretAsBytes()
                        .and((byte) 0x0f)
                        .selectFrom(th));
      }
      a0.intoMemorySegment(o0, p, ORDER);
      b0.intoMemorySegment(o0, p + VL, ORDER);
    }
  }
}
