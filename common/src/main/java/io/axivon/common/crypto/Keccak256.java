package io.axivon.common.crypto;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.Objects;

/**
 * Keccak-256 (Ethereum's: pad byte 0x01, not SHA3's 0x06) as a reusable, allocation-free
 * incremental hash, for the storage tree's hot path (two blocks per 256-byte sector, one per
 * 64-byte node).
 *
 * <p>Written here rather than taken from BouncyCastle because it measured faster (see {@code
 * KeccakBench} in bench/): the permutation keeps the 25 lanes in locals, whole blocks are absorbed
 * straight from the caller's array as little-endian longs, and a hash ends with no extraction into
 * a byte queue and no reset of one. Checked against BouncyCastle and the standard vectors in
 * Keccak256Test. Not thread-safe: one per thread.
 */
public final class Keccak256 {
  /** Bytes absorbed per permutation (1600 - 2 × 256 bits). */
  public static final int RATE = 136;

  private static final VarHandle LE =
      MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

  static final long[] RC = {
    0x0000000000000001L, 0x0000000000008082L, 0x800000000000808AL, 0x8000000080008000L,
    0x000000000000808BL, 0x0000000080000001L, 0x8000000080008081L, 0x8000000000008009L,
    0x000000000000008AL, 0x0000000000000088L, 0x0000000080008009L, 0x000000008000000AL,
    0x000000008000808BL, 0x800000000000008BL, 0x8000000000008089L, 0x8000000000008003L,
    0x8000000000008002L, 0x8000000000000080L, 0x000000000000800AL, 0x800000008000000AL,
    0x8000000080008081L, 0x8000000000008080L, 0x0000000080000001L, 0x8000000080008008L
  };

  private final long[] state = new long[25];
  private final byte[] queue = new byte[RATE]; // the current partial block
  private int fill; // bytes of the partial block in queue

  /** A hash in this one's state, going on independently. */
  public Keccak256 copy() {
    Keccak256 c = new Keccak256();
    System.arraycopy(state, 0, c.state, 0, state.length);
    System.arraycopy(queue, 0, c.queue, 0, fill);
    c.fill = fill;
    return c;
  }

  /** Absorbs {@code in[off..off+len)}. */
  public Keccak256 update(byte[] in, int off, int len) {
    Objects.checkFromIndexSize(off, len, in.length);
    if (fill > 0) {
      int take = Math.min(len, RATE - fill);
      System.arraycopy(in, off, queue, fill, take);
      fill += take;
      off += take;
      len -= take;
      if (fill < RATE) {
        return this;
      }
      absorb(queue, 0);
      fill = 0;
    }
    while (len >= RATE) {
      absorb(in, off);
      off += RATE;
      len -= RATE;
    }
    if (len > 0) {
      System.arraycopy(in, off, queue, 0, len);
      fill = len;
    }
    return this;
  }

  /** Absorbs {@code n} zero bytes. */
  public Keccak256 updateZeros(long n) {
    while (n > 0) {
      int take = (int) Math.min(n, RATE - fill);
      Arrays.fill(queue, fill, fill + take, (byte) 0);
      fill += take;
      n -= take;
      if (fill == RATE) {
        absorb(queue, 0);
        fill = 0;
      }
    }
    return this;
  }

  /** Writes the hash of everything absorbed to {@code out[off..off+32)} and resets. */
  public void doFinal(byte[] out, int off) {
    Objects.checkFromIndexSize(off, 32, out.length);
    Arrays.fill(queue, fill, RATE, (byte) 0);
    queue[fill] ^= 0x01;
    queue[RATE - 1] ^= (byte) 0x80;
    absorb(queue, 0);
    for (int i = 0; i < 4; i++) {
      LE.set(out, off + 8 * i, state[i]);
    }
    Arrays.fill(state, 0L);
    fill = 0;
  }

  /** The hash of everything absorbed, then resets. */
  public byte[] digest() {
    byte[] out = new byte[32];
    doFinal(out, 0);
    return out;
  }

  private void absorb(byte[] b, int off) {
    long[] s = state;
    for (int i = 0; i < RATE / 8; i++) {
      s[i] ^= (long) LE.get(b, off + 8 * i);
    }
    permute(s);
  }

  private static void permute(long[] s) {
    long a00 = s[0];
    long a01 = s[1];
    long a02 = s[2];
    long a03 = s[3];
    long a04 = s[4];
    long a05 = s[5];
    long a06 = s[6];
    long a07 = s[7];
    long a08 = s[8];
    long a09 = s[9];
    long a10 = s[10];
    long a11 = s[11];
    long a12 = s[12];
    long a13 = s[13];
    long a14 = s[14];
    long a15 = s[15];
    long a16 = s[16];
    long a17 = s[17];
    long a18 = s[18];
    long a19 = s[19];
    long a20 = s[20];
    long a21 = s[21];
    long a22 = s[22];
    long a23 = s[23];
    long a24 = s[24];
    for (int round = 0; round < 24; round++) {
      long c0 = a00 ^ a05 ^ a10 ^ a15 ^ a20;
      long c1 = a01 ^ a06 ^ a11 ^ a16 ^ a21;
      long c2 = a02 ^ a07 ^ a12 ^ a17 ^ a22;
      long c3 = a03 ^ a08 ^ a13 ^ a18 ^ a23;
      long c4 = a04 ^ a09 ^ a14 ^ a19 ^ a24;
      long d0 = c4 ^ Long.rotateLeft(c1, 1);
      long d1 = c0 ^ Long.rotateLeft(c2, 1);
      long d2 = c1 ^ Long.rotateLeft(c3, 1);
      long d3 = c2 ^ Long.rotateLeft(c4, 1);
      long d4 = c3 ^ Long.rotateLeft(c0, 1);
      a00 ^= d0;
      a01 ^= d1;
      a02 ^= d2;
      a03 ^= d3;
      a04 ^= d4;
      a05 ^= d0;
      a06 ^= d1;
      a07 ^= d2;
      a08 ^= d3;
      a09 ^= d4;
      a10 ^= d0;
      a11 ^= d1;
      a12 ^= d2;
      a13 ^= d3;
      a14 ^= d4;
      a15 ^= d0;
      a16 ^= d1;
      a17 ^= d2;
      a18 ^= d3;
      a19 ^= d4;
      a20 ^= d0;
      a21 ^= d1;
      a22 ^= d2;
      a23 ^= d3;
      a24 ^= d4;
      long t = a01;
      long u;
      u = a10;
      a10 = Long.rotateLeft(t, 1);
      t = u;
      u = a07;
      a07 = Long.rotateLeft(t, 3);
      t = u;
      u = a11;
      a11 = Long.rotateLeft(t, 6);
      t = u;
      u = a17;
      a17 = Long.rotateLeft(t, 10);
      t = u;
      u = a18;
      a18 = Long.rotateLeft(t, 15);
      t = u;
      u = a03;
      a03 = Long.rotateLeft(t, 21);
      t = u;
      u = a05;
      a05 = Long.rotateLeft(t, 28);
      t = u;
      u = a16;
      a16 = Long.rotateLeft(t, 36);
      t = u;
      u = a08;
      a08 = Long.rotateLeft(t, 45);
      t = u;
      u = a21;
      a21 = Long.rotateLeft(t, 55);
      t = u;
      u = a24;
      a24 = Long.rotateLeft(t, 2);
      t = u;
      u = a04;
      a04 = Long.rotateLeft(t, 14);
      t = u;
      u = a15;
      a15 = Long.rotateLeft(t, 27);
      t = u;
      u = a23;
      a23 = Long.rotateLeft(t, 41);
      t = u;
      u = a19;
      a19 = Long.rotateLeft(t, 56);
      t = u;
      u = a13;
      a13 = Long.rotateLeft(t, 8);
      t = u;
      u = a12;
      a12 = Long.rotateLeft(t, 25);
      t = u;
      u = a02;
      a02 = Long.rotateLeft(t, 43);
      t = u;
      u = a20;
      a20 = Long.rotateLeft(t, 62);
      t = u;
      u = a14;
      a14 = Long.rotateLeft(t, 18);
      t = u;
      u = a22;
      a22 = Long.rotateLeft(t, 39);
      t = u;
      u = a09;
      a09 = Long.rotateLeft(t, 61);
      t = u;
      u = a06;
      a06 = Long.rotateLeft(t, 20);
      t = u;
      u = a01;
      a01 = Long.rotateLeft(t, 44);
      t = u;
      long b00 = a00;
      long b01 = a01;
      long b02 = a02;
      long b03 = a03;
      long b04 = a04;
      a00 = b00 ^ (~b01 & b02);
      a01 = b01 ^ (~b02 & b03);
      a02 = b02 ^ (~b03 & b04);
      a03 = b03 ^ (~b04 & b00);
      a04 = b04 ^ (~b00 & b01);
      long b10 = a05;
      long b11 = a06;
      long b12 = a07;
      long b13 = a08;
      long b14 = a09;
      a05 = b10 ^ (~b11 & b12);
      a06 = b11 ^ (~b12 & b13);
      a07 = b12 ^ (~b13 & b14);
      a08 = b13 ^ (~b14 & b10);
      a09 = b14 ^ (~b10 & b11);
      long b20 = a10;
      long b21 = a11;
      long b22 = a12;
      long b23 = a13;
      long b24 = a14;
      a10 = b20 ^ (~b21 & b22);
      a11 = b21 ^ (~b22 & b23);
      a12 = b22 ^ (~b23 & b24);
      a13 = b23 ^ (~b24 & b20);
      a14 = b24 ^ (~b20 & b21);
      long b30 = a15;
      long b31 = a16;
      long b32 = a17;
      long b33 = a18;
      long b34 = a19;
      a15 = b30 ^ (~b31 & b32);
      a16 = b31 ^ (~b32 & b33);
      a17 = b32 ^ (~b33 & b34);
      a18 = b33 ^ (~b34 & b30);
      a19 = b34 ^ (~b30 & b31);
      long b40 = a20;
      long b41 = a21;
      long b42 = a22;
      long b43 = a23;
      long b44 = a24;
      a20 = b40 ^ (~b41 & b42);
      a21 = b41 ^ (~b42 & b43);
      a22 = b42 ^ (~b43 & b44);
      a23 = b43 ^ (~b44 & b40);
      a24 = b44 ^ (~b40 & b41);
      a00 ^= RC[round];
    }
    s[0] = a00;
    s[1] = a01;
    s[2] = a02;
    s[3] = a03;
    s[4] = a04;
    s[5] = a05;
    s[6] = a06;
    s[7] = a07;
    s[8] = a08;
    s[9] = a09;
    s[10] = a10;
    s[11] = a11;
    s[12] = a12;
    s[13] = a13;
    s[14] = a14;
    s[15] = a15;
    s[16] = a16;
    s[17] = a17;
    s[18] = a18;
    s[19] = a19;
    s[20] = a20;
    s[21] = a21;
    s[22] = a22;
    s[23] = a23;
    s[24] = a24;
  }
}
