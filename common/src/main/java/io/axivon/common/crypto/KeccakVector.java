package io.axivon.common.crypto;

import static jdk.incubator.vector.VectorOperators.AND_NOT;
import static jdk.incubator.vector.VectorOperators.ROL;
import static jdk.incubator.vector.VectorOperators.XOR;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import jdk.incubator.vector.LongVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * Keccak-256 of {@link #LANES} messages of one length at once, one message per vector lane (the
 * "multi-buffer" layout: lane j of every state word belongs to message j), so each permutation step
 * is one vector instruction for all of them. Loaded only through {@link KeccakBatch}, which checks
 * that the JVM has the jdk.incubator.vector module. Not thread-safe.
 */
final class KeccakVector implements KeccakBatch.Group {
  private static final VectorSpecies<Long> S = LongVector.SPECIES_PREFERRED;

  /** Messages hashed per permutation. */
  static final int LANES = S.length();

  private static final int WORDS = Keccak256.RATE / 8;
  private static final long[] RC = Keccak256.RC;
  private static final VarHandle LE =
      MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

  /** Blocks transposed and absorbed per pass: a 2 KiB message (16 blocks) in one. */
  private static final int WINDOW_BLOCKS = 16;

  // between passes of a long message: state[w * LANES + j] is word w of message j's state
  private final long[] state = new long[25 * LANES];
  // one pass's blocks, transposed: block[(b * WORDS + w) * LANES + j] is word w of block b of
  // message j, padding included, so each vector load takes word w of all LANES messages at once
  private final long[] block = new long[WINDOW_BLOCKS * WORDS * LANES];
  private final long[] digest = new long[4 * LANES];
  private int paddedLen = -1; // the message length whose padding words `block` holds, or -1

  @Override
  public int lanes() {
    return LANES;
  }

  /**
   * Writes {@code keccak256} of the {@link #LANES} messages {@code in[off + j·len, off +
   * (j+1)·len)} to {@code out[outOff + 32·j, …)}.
   */
  @Override
  public void hashGroup(byte[] in, int off, int len, byte[] out, int outOff) {
    // the padded message is `blocks` blocks: the data, Ethereum's 0x01 right after it, zeros,
    // and 0x80 in the last byte of the last block (pad10*1)
    int blocks = len / Keccak256.RATE + 1;
    int dataWords = len >>> 3;
    int tail = len & 7;
    for (int first = 0; first < blocks; first += WINDOW_BLOCKS) {
      int n = Math.min(WINDOW_BLOCKS, blocks - first);
      int w0 = first * WORDS;
      int w1 = w0 + n * WORDS;
      int full = Math.min(w1, dataWords);
      for (int j = 0; j < LANES; j++) {
        int base = off + j * len;
        int k = j - w0 * LANES;
        for (int w = w0; w < full; w++) {
          block[w * LANES + k] = (long) LE.get(in, base + 8 * w);
        }
      }
      // a one-pass message of whole words leaves its padding words untouched in `block`: the
      // next message of that length finds them in place (a tree level is all one length)
      boolean padInPlace = tail == 0 && blocks <= WINDOW_BLOCKS;
      for (int w = Math.max(w0, dataWords); w < w1 && !(padInPlace && len == paddedLen); w++) {
        long pad = (w == dataWords ? 0x01L << (8 * tail) : 0L);
        if (w == blocks * WORDS - 1) {
          pad ^= 0x80L << 56;
        }
        for (int j = 0; j < LANES; j++) {
          long v = pad;
          if (w == dataWords) {
            for (int b = tail - 1; b >= 0; b--) {
              v ^= (in[off + j * len + 8 * w + b] & 0xFFL) << (8 * b);
            }
          }
          block[(w - w0) * LANES + j] = v;
        }
      }
      paddedLen = padInPlace ? len : -1;
      absorb(state, block, n, first == 0, first + n == blocks, digest);
    }
    for (int j = 0; j < LANES; j++) {
      for (int w = 0; w < 4; w++) {
        LE.set(out, outOff + 32 * j + 8 * w, digest[w * LANES + j]);
      }
    }
  }

  /**
   * Absorbs {@code n} transposed blocks into the LANES states, keeping them in vector registers
   * from block to block (the 25 lanes and each step written out in full: as locals the JIT keeps
   * them in registers, where an array of vectors is stored and reloaded at every step): from zero
   * when {@code first}, else from {@code s}; then writes the digests' first four words to {@code
   * digest} when {@code last}, else the states back to {@code s}.
   */
  private static void absorb(
      long[] s, long[] block, int n, boolean first, boolean last, long[] digest) {
    LongVector z = LongVector.zero(S);
    LongVector a00 = z;
    LongVector a01 = z;
    LongVector a02 = z;
    LongVector a03 = z;
    LongVector a04 = z;
    LongVector a05 = z;
    LongVector a06 = z;
    LongVector a07 = z;
    LongVector a08 = z;
    LongVector a09 = z;
    LongVector a10 = z;
    LongVector a11 = z;
    LongVector a12 = z;
    LongVector a13 = z;
    LongVector a14 = z;
    LongVector a15 = z;
    LongVector a16 = z;
    LongVector a17 = z;
    LongVector a18 = z;
    LongVector a19 = z;
    LongVector a20 = z;
    LongVector a21 = z;
    LongVector a22 = z;
    LongVector a23 = z;
    LongVector a24 = z;
    if (!first) {
      a00 = LongVector.fromArray(S, s, 0 * LANES);
      a01 = LongVector.fromArray(S, s, 1 * LANES);
      a02 = LongVector.fromArray(S, s, 2 * LANES);
      a03 = LongVector.fromArray(S, s, 3 * LANES);
      a04 = LongVector.fromArray(S, s, 4 * LANES);
      a05 = LongVector.fromArray(S, s, 5 * LANES);
      a06 = LongVector.fromArray(S, s, 6 * LANES);
      a07 = LongVector.fromArray(S, s, 7 * LANES);
      a08 = LongVector.fromArray(S, s, 8 * LANES);
      a09 = LongVector.fromArray(S, s, 9 * LANES);
      a10 = LongVector.fromArray(S, s, 10 * LANES);
      a11 = LongVector.fromArray(S, s, 11 * LANES);
      a12 = LongVector.fromArray(S, s, 12 * LANES);
      a13 = LongVector.fromArray(S, s, 13 * LANES);
      a14 = LongVector.fromArray(S, s, 14 * LANES);
      a15 = LongVector.fromArray(S, s, 15 * LANES);
      a16 = LongVector.fromArray(S, s, 16 * LANES);
      a17 = LongVector.fromArray(S, s, 17 * LANES);
      a18 = LongVector.fromArray(S, s, 18 * LANES);
      a19 = LongVector.fromArray(S, s, 19 * LANES);
      a20 = LongVector.fromArray(S, s, 20 * LANES);
      a21 = LongVector.fromArray(S, s, 21 * LANES);
      a22 = LongVector.fromArray(S, s, 22 * LANES);
      a23 = LongVector.fromArray(S, s, 23 * LANES);
      a24 = LongVector.fromArray(S, s, 24 * LANES);
    }
    for (int b = 0; b < n; b++) {
      int o = b * WORDS * LANES;
      a00 = a00.lanewise(XOR, LongVector.fromArray(S, block, o + 0 * LANES));
      a01 = a01.lanewise(XOR, LongVector.fromArray(S, block, o + 1 * LANES));
      a02 = a02.lanewise(XOR, LongVector.fromArray(S, block, o + 2 * LANES));
      a03 = a03.lanewise(XOR, LongVector.fromArray(S, block, o + 3 * LANES));
      a04 = a04.lanewise(XOR, LongVector.fromArray(S, block, o + 4 * LANES));
      a05 = a05.lanewise(XOR, LongVector.fromArray(S, block, o + 5 * LANES));
      a06 = a06.lanewise(XOR, LongVector.fromArray(S, block, o + 6 * LANES));
      a07 = a07.lanewise(XOR, LongVector.fromArray(S, block, o + 7 * LANES));
      a08 = a08.lanewise(XOR, LongVector.fromArray(S, block, o + 8 * LANES));
      a09 = a09.lanewise(XOR, LongVector.fromArray(S, block, o + 9 * LANES));
      a10 = a10.lanewise(XOR, LongVector.fromArray(S, block, o + 10 * LANES));
      a11 = a11.lanewise(XOR, LongVector.fromArray(S, block, o + 11 * LANES));
      a12 = a12.lanewise(XOR, LongVector.fromArray(S, block, o + 12 * LANES));
      a13 = a13.lanewise(XOR, LongVector.fromArray(S, block, o + 13 * LANES));
      a14 = a14.lanewise(XOR, LongVector.fromArray(S, block, o + 14 * LANES));
      a15 = a15.lanewise(XOR, LongVector.fromArray(S, block, o + 15 * LANES));
      a16 = a16.lanewise(XOR, LongVector.fromArray(S, block, o + 16 * LANES));
      for (int round = 0; round < 24; round++) {
        LongVector c0 =
            a00.lanewise(XOR, a05).lanewise(XOR, a10).lanewise(XOR, a15).lanewise(XOR, a20);
        LongVector c1 =
            a01.lanewise(XOR, a06).lanewise(XOR, a11).lanewise(XOR, a16).lanewise(XOR, a21);
        LongVector c2 =
            a02.lanewise(XOR, a07).lanewise(XOR, a12).lanewise(XOR, a17).lanewise(XOR, a22);
        LongVector c3 =
            a03.lanewise(XOR, a08).lanewise(XOR, a13).lanewise(XOR, a18).lanewise(XOR, a23);
        LongVector c4 =
            a04.lanewise(XOR, a09).lanewise(XOR, a14).lanewise(XOR, a19).lanewise(XOR, a24);
        LongVector d0 = c4.lanewise(XOR, c1.lanewise(ROL, 1));
        LongVector d1 = c0.lanewise(XOR, c2.lanewise(ROL, 1));
        LongVector d2 = c1.lanewise(XOR, c3.lanewise(ROL, 1));
        LongVector d3 = c2.lanewise(XOR, c4.lanewise(ROL, 1));
        LongVector d4 = c3.lanewise(XOR, c0.lanewise(ROL, 1));
        a00 = a00.lanewise(XOR, d0);
        a01 = a01.lanewise(XOR, d1);
        a02 = a02.lanewise(XOR, d2);
        a03 = a03.lanewise(XOR, d3);
        a04 = a04.lanewise(XOR, d4);
        a05 = a05.lanewise(XOR, d0);
        a06 = a06.lanewise(XOR, d1);
        a07 = a07.lanewise(XOR, d2);
        a08 = a08.lanewise(XOR, d3);
        a09 = a09.lanewise(XOR, d4);
        a10 = a10.lanewise(XOR, d0);
        a11 = a11.lanewise(XOR, d1);
        a12 = a12.lanewise(XOR, d2);
        a13 = a13.lanewise(XOR, d3);
        a14 = a14.lanewise(XOR, d4);
        a15 = a15.lanewise(XOR, d0);
        a16 = a16.lanewise(XOR, d1);
        a17 = a17.lanewise(XOR, d2);
        a18 = a18.lanewise(XOR, d3);
        a19 = a19.lanewise(XOR, d4);
        a20 = a20.lanewise(XOR, d0);
        a21 = a21.lanewise(XOR, d1);
        a22 = a22.lanewise(XOR, d2);
        a23 = a23.lanewise(XOR, d3);
        a24 = a24.lanewise(XOR, d4);
        LongVector t = a01;
        LongVector u;
        u = a10;
        a10 = t.lanewise(ROL, 1);
        t = u;
        u = a07;
        a07 = t.lanewise(ROL, 3);
        t = u;
        u = a11;
        a11 = t.lanewise(ROL, 6);
        t = u;
        u = a17;
        a17 = t.lanewise(ROL, 10);
        t = u;
        u = a18;
        a18 = t.lanewise(ROL, 15);
        t = u;
        u = a03;
        a03 = t.lanewise(ROL, 21);
        t = u;
        u = a05;
        a05 = t.lanewise(ROL, 28);
        t = u;
        u = a16;
        a16 = t.lanewise(ROL, 36);
        t = u;
        u = a08;
        a08 = t.lanewise(ROL, 45);
        t = u;
        u = a21;
        a21 = t.lanewise(ROL, 55);
        t = u;
        u = a24;
        a24 = t.lanewise(ROL, 2);
        t = u;
        u = a04;
        a04 = t.lanewise(ROL, 14);
        t = u;
        u = a15;
        a15 = t.lanewise(ROL, 27);
        t = u;
        u = a23;
        a23 = t.lanewise(ROL, 41);
        t = u;
        u = a19;
        a19 = t.lanewise(ROL, 56);
        t = u;
        u = a13;
        a13 = t.lanewise(ROL, 8);
        t = u;
        u = a12;
        a12 = t.lanewise(ROL, 25);
        t = u;
        u = a02;
        a02 = t.lanewise(ROL, 43);
        t = u;
        u = a20;
        a20 = t.lanewise(ROL, 62);
        t = u;
        u = a14;
        a14 = t.lanewise(ROL, 18);
        t = u;
        u = a22;
        a22 = t.lanewise(ROL, 39);
        t = u;
        u = a09;
        a09 = t.lanewise(ROL, 61);
        t = u;
        u = a06;
        a06 = t.lanewise(ROL, 20);
        t = u;
        u = a01;
        a01 = t.lanewise(ROL, 44);
        t = u;
        LongVector b00 = a00;
        LongVector b01 = a01;
        LongVector b02 = a02;
        LongVector b03 = a03;
        LongVector b04 = a04;
        a00 = b00.lanewise(XOR, b02.lanewise(AND_NOT, b01));
        a01 = b01.lanewise(XOR, b03.lanewise(AND_NOT, b02));
        a02 = b02.lanewise(XOR, b04.lanewise(AND_NOT, b03));
        a03 = b03.lanewise(XOR, b00.lanewise(AND_NOT, b04));
        a04 = b04.lanewise(XOR, b01.lanewise(AND_NOT, b00));
        LongVector b10 = a05;
        LongVector b11 = a06;
        LongVector b12 = a07;
        LongVector b13 = a08;
        LongVector b14 = a09;
        a05 = b10.lanewise(XOR, b12.lanewise(AND_NOT, b11));
        a06 = b11.lanewise(XOR, b13.lanewise(AND_NOT, b12));
        a07 = b12.lanewise(XOR, b14.lanewise(AND_NOT, b13));
        a08 = b13.lanewise(XOR, b10.lanewise(AND_NOT, b14));
        a09 = b14.lanewise(XOR, b11.lanewise(AND_NOT, b10));
        LongVector b20 = a10;
        LongVector b21 = a11;
        LongVector b22 = a12;
        LongVector b23 = a13;
        LongVector b24 = a14;
        a10 = b20.lanewise(XOR, b22.lanewise(AND_NOT, b21));
        a11 = b21.lanewise(XOR, b23.lanewise(AND_NOT, b22));
        a12 = b22.lanewise(XOR, b24.lanewise(AND_NOT, b23));
        a13 = b23.lanewise(XOR, b20.lanewise(AND_NOT, b24));
        a14 = b24.lanewise(XOR, b21.lanewise(AND_NOT, b20));
        LongVector b30 = a15;
        LongVector b31 = a16;
        LongVector b32 = a17;
        LongVector b33 = a18;
        LongVector b34 = a19;
        a15 = b30.lanewise(XOR, b32.lanewise(AND_NOT, b31));
        a16 = b31.lanewise(XOR, b33.lanewise(AND_NOT, b32));
        a17 = b32.lanewise(XOR, b34.lanewise(AND_NOT, b33));
        a18 = b33.lanewise(XOR, b30.lanewise(AND_NOT, b34));
        a19 = b34.lanewise(XOR, b31.lanewise(AND_NOT, b30));
        LongVector b40 = a20;
        LongVector b41 = a21;
        LongVector b42 = a22;
        LongVector b43 = a23;
        LongVector b44 = a24;
        a20 = b40.lanewise(XOR, b42.lanewise(AND_NOT, b41));
        a21 = b41.lanewise(XOR, b43.lanewise(AND_NOT, b42));
        a22 = b42.lanewise(XOR, b44.lanewise(AND_NOT, b43));
        a23 = b43.lanewise(XOR, b40.lanewise(AND_NOT, b44));
        a24 = b44.lanewise(XOR, b41.lanewise(AND_NOT, b40));
        a00 = a00.lanewise(XOR, RC[round]);
      }
    }
    if (last) {
      a00.intoArray(digest, 0);
      a01.intoArray(digest, LANES);
      a02.intoArray(digest, 2 * LANES);
      a03.intoArray(digest, 3 * LANES);
      return;
    }
    a00.intoArray(s, 0 * LANES);
    a01.intoArray(s, 1 * LANES);
    a02.intoArray(s, 2 * LANES);
    a03.intoArray(s, 3 * LANES);
    a04.intoArray(s, 4 * LANES);
    a05.intoArray(s, 5 * LANES);
    a06.intoArray(s, 6 * LANES);
    a07.intoArray(s, 7 * LANES);
    a08.intoArray(s, 8 * LANES);
    a09.intoArray(s, 9 * LANES);
    a10.intoArray(s, 10 * LANES);
    a11.intoArray(s, 11 * LANES);
    a12.intoArray(s, 12 * LANES);
    a13.intoArray(s, 13 * LANES);
    a14.intoArray(s, 14 * LANES);
    a15.intoArray(s, 15 * LANES);
    a16.intoArray(s, 16 * LANES);
    a17.intoArray(s, 17 * LANES);
    a18.intoArray(s, 18 * LANES);
    a19.intoArray(s, 19 * LANES);
    a20.intoArray(s, 20 * LANES);
    a21.intoArray(s, 21 * LANES);
    a22.intoArray(s, 22 * LANES);
    a23.intoArray(s, 23 * LANES);
    a24.intoArray(s, 24 * LANES);
  }
}
