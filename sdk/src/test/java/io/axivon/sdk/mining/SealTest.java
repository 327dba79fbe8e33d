package io.axivon.sdk.mining;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

class SealTest {
  private static byte[] random(long seed, int n) {
    byte[] b = new byte[n];
    new Random(seed).nextBytes(b);
    return b;
  }

  @Property(tries = 50)
  void unsealInvertsSeal(@ForAll long seed, @ForAll @IntRange(min = 0) int unit) {
    byte[] data = random(seed, Pora.UNIT_BYTES);
    byte[] miner = random(seed + 1, 32);
    byte[] ctx = random(seed + 2, 32);
    byte[] copy = data.clone();
    Seal s = new Seal();
    s.seal(miner, ctx, unit, copy, 0);
    assertThat(copy).isNotEqualTo(data);
    s.unseal(miner, ctx, unit, copy, 0);
    assertThat(copy).isEqualTo(data);
  }

  /** Units sealed together are the bytes each sealed alone gives, and unseal one by one. */
  @Property(tries = 40)
  void sealAllSealsEachUnitAsAlone(
      @ForAll long seed, @ForAll @IntRange(min = 0, max = 11) int count) {
    Random r = new Random(seed);
    byte[] miner = random(seed + 1, 32);
    byte[][] contexts = new byte[count][];
    long[] units = new long[count];
    byte[] data = random(seed, count * Pora.UNIT_BYTES);
    byte[] expected = data.clone();
    Seal one = new Seal();
    for (int j = 0; j < count; j++) {
      contexts[j] = random(r.nextLong(), 32);
      units[j] = r.nextLong() >>> 1;
      one.seal(miner, contexts[j], units[j], expected, j * Pora.UNIT_BYTES);
    }
    byte[] together = data.clone();
    new Seal().sealAll(miner, contexts, units, together, count);
    assertThat(together).isEqualTo(expected);
    for (int j = 0; j < count; j++) {
      one.unseal(miner, contexts[j], units[j], together, j * Pora.UNIT_BYTES);
    }
    assertThat(together).isEqualTo(data);
  }

  @Test
  void sealedCopiesDifferPerMinerContextAndUnit() {
    byte[] data = new byte[Pora.UNIT_BYTES]; // zero data: the sealed copy is the mask stream
    byte[] a = data.clone();
    byte[] b = data.clone();
    byte[] c = data.clone();
    byte[] d = data.clone();
    Seal s = new Seal();
    s.seal(random(1, 32), random(2, 32), 7, a, 0);
    s.seal(random(3, 32), random(2, 32), 7, b, 0);
    s.seal(random(1, 32), random(4, 32), 7, c, 0);
    s.seal(random(1, 32), random(2, 32), 8, d, 0);
    assertThat(a).isNotEqualTo(b).isNotEqualTo(c).isNotEqualTo(d);
    // each word differs: no word of one miner's copy can stand in for another's
    for (int w = 0; w < Pora.UNIT_WORDS; w++) {
      assertThat(java.util.Arrays.equals(a, 32 * w, 32 * w + 32, b, 32 * w, 32 * w + 32)).isFalse();
    }
  }

  @Test
  void sealsAtAnOffset() {
    byte[] buf = random(9, 3 * Pora.UNIT_BYTES);
    byte[] unit = java.util.Arrays.copyOfRange(buf, Pora.UNIT_BYTES, 2 * Pora.UNIT_BYTES);
    Seal s = new Seal();
    s.seal(random(1, 32), random(2, 32), 5, buf, Pora.UNIT_BYTES);
    s.seal(random(1, 32), random(2, 32), 5, unit, 0);
    assertThat(java.util.Arrays.copyOfRange(buf, Pora.UNIT_BYTES, 2 * Pora.UNIT_BYTES))
        .isEqualTo(unit);
  }
}
