package io.axivon.p2p.gossip;

import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.LongVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * {@link NhKernel} on the widest vectors of the machine: one 64-bit lane per word pair, 32-bit lane
 * additions for the key, a 64-bit multiply of the two (zero-extended) halves. Only loaded when the
 * JVM has the jdk.incubator.vector module; gives the same sums as {@link NhKernel.Scalar}.
 */
final class VectorNh implements NhKernel {
  private static final VectorSpecies<Long> LONGS = LongVector.SPECIES_PREFERRED;
  private static final VectorSpecies<Byte> BYTES =
      VectorSpecies.of(byte.class, LONGS.vectorShape());
  private static final int STEP = BYTES.length();
  private static final int KEY_STEP = LONGS.length();
  private static final long LOW = 0xFFFF_FFFFL;

  private final NhKernel.Scalar scalar = new NhKernel.Scalar();

  /** Whether vectors here hold at least four pairs (fewer gain nothing over the scalar loop). */
  static boolean worthwhile() {
    return LONGS.length() >= 4;
  }

  @Override
  public void accumulate(byte[] in, int off, int len, long[] key, int keyIndex, long[] sums) {
    int whole = len - len % STEP;
    if (whole > 0) {
      LongVector first = LongVector.zero(LONGS);
      LongVector second = LongVector.zero(LONGS);
      for (int i = 0, k = keyIndex; i < whole; i += STEP, k += KEY_STEP) {
        IntVector m = ByteVector.fromArray(BYTES, in, off + i).reinterpretAsInts();
        LongVector s1 =
            m.add(LongVector.fromArray(LONGS, key, k).reinterpretAsInts()).reinterpretAsLongs();
        LongVector s2 =
            m.add(LongVector.fromArray(LONGS, key, k + 2).reinterpretAsInts()).reinterpretAsLongs();
        first = first.add(s1.and(LOW).mul(s1.lanewise(VectorOperators.LSHR, 32)));
        second = second.add(s2.and(LOW).mul(s2.lanewise(VectorOperators.LSHR, 32)));
      }
      sums[0] += first.reduceLanes(VectorOperators.ADD);
      sums[1] += second.reduceLanes(VectorOperators.ADD);
    }
    if (whole < len) {
      scalar.accumulate(in, off + whole, len - whole, key, keyIndex + whole / 8, sums);
    }
  }
}
