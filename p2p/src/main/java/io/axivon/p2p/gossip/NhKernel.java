package io.axivon.p2p.gossip;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * The first level of {@link MessageIdHasher}: two Toeplitz-shifted NH passes (Black, Halevi,
 * Krawczyk, Krovetz, Rogaway, "UMAC: Fast and Secure Message Authentication", CRYPTO 1999; the
 * NH-Toeplitz of RFC 4418 section 5.2). Each 8 bytes of input are two little-endian 32-bit words
 * {@code (m0, m1)}; against the key pair {@code (k0, k1)} they add {@code ((m0 + k0) mod 2^32) ·
 * ((m1 + k1) mod 2^32)} to a sum mod 2^64. Key long {@code j} holds the key pair of the input's
 * pair {@code j} ({@code k0} in its low half); the second pass uses the key shifted by 16 bytes,
 * i.e. long {@code j + 2}.
 */
interface NhKernel {
  /**
   * Adds the NH sums of {@code in[off, off + len)} to {@code sums[0]} (key longs from {@code
   * keyIndex}) and {@code sums[1]} (from {@code keyIndex + 2}); {@code len} is a multiple of 8.
   */
  void accumulate(byte[] in, int off, int len, long[] key, int keyIndex, long[] sums);

  /** The plain loop: the reference, the fallback without the Vector API, and short inputs. */
  final class Scalar implements NhKernel {
    private static final VarHandle LONG_LE =
        MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

    @Override
    public void accumulate(byte[] in, int off, int len, long[] key, int keyIndex, long[] sums) {
      long first = 0;
      long second = 0;
      for (int i = 0, k = keyIndex; i < len; i += 8, k++) {
        long m = (long) LONG_LE.get(in, off + i);
        first += pair(m, key[k]);
        second += pair(m, key[k + 2]);
      }
      sums[0] += first;
      sums[1] += second;
    }

    /** NH of one word pair; the low halves' sum keeps no carry from below, so no masking first. */
    static long pair(long m, long k) {
      long low = (m + k) & 0xFFFF_FFFFL;
      long high = ((m >>> 32) + (k >>> 32)) & 0xFFFF_FFFFL;
      return low * high;
    }
  }
}
