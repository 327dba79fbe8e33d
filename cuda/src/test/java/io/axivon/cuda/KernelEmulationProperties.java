package io.axivon.cuda;

import static org.assertj.core.api.Assertions.assertThat;

import io.axivon.da.erasure.ErasureBackend;
import io.axivon.da.erasure.Gf256;
import io.axivon.da.erasure.ReedSolomon;
import io.axivon.da.erasure.VectorBackendProvider;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

/**
 * The kernel's arithmetic, tested where there is no GPU: {@link KernelEmulation} runs its table
 * math and word layout in Java under ReedSolomon, against the CPU vector coder.
 */
class KernelEmulationProperties {
  private static final ErasureBackend CPU = new VectorBackendProvider();

  @Example
  void tableProductEqualsTheFieldForEveryPair() {
    KernelEmulation kernel = new KernelEmulation();
    byte[] logs = new byte[256];
    for (int g = 0; g < 256; g++) {
      logs[g] = (byte) g;
    }
    byte[] coefLogs = GfTables.coefficientLogs(logs);
    assertThat(coefLogs[0] & 0xff).isEqualTo(GfTables.ZERO_COEFFICIENT);
    for (int g = 1; g < 256; g++) {
      int lg = coefLogs[g] & 0xff;
      assertThat(lg).isBetween(0, 254);
      for (int x = 0; x < 256; x++) {
        int word = x | (x ^ 0x5a) << 8 | (255 - x) << 16 | (x * 7 & 0xff) << 24;
        int expected =
            Gf256.mul(g, x)
                | Gf256.mul(g, x ^ 0x5a) << 8
                | Gf256.mul(g, 255 - x) << 16
                | Gf256.mul(g, x * 7 & 0xff) << 24;
        assertThat(kernel.mulWord(word, lg)).isEqualTo(expected);
      }
    }
  }

  @Property(tries = 60)
  void emulatedKernelEncodesAndDecodesLikeTheCpu(
      @ForAll @IntRange(min = 1, max = 24) int k,
      @ForAll @IntRange(min = 1, max = 12) int m,
      @ForAll @IntRange(min = 0, max = 200) int len,
      @ForAll long seed) {
    assertSameAsCpu(k, m, len, new Random(seed));
  }

  @Example
  void emulatedKernelAtTheDaSquareShape() {
    assertSameAsCpu(128, 128, 37, new Random(128));
  }

  private static void assertSameAsCpu(int k, int m, int len, Random rnd) {
    byte[][] data = new byte[k][len];
    for (byte[] d : data) {
      rnd.nextBytes(d);
    }
    byte[][] expected = new byte[m][len];
    byte[][] parity = new byte[m][len];
    try (ReedSolomon cpu = new ReedSolomon(CPU, 1);
        ReedSolomon gpu = new ReedSolomon(new KernelEmulation(), 1)) {
      cpu.encode(k, m, data, expected, len);
      gpu.encode(k, m, data, parity, len);
      assertThat(parity).isDeepEqualTo(expected);

      // lose up to m random shards, rebuild them all
      List<Integer> order = new ArrayList<>();
      for (int i = 0; i < k + m; i++) {
        order.add(i);
      }
      Collections.shuffle(order, rnd);
      int lost = rnd.nextInt(m + 1);
      int[] missing = order.subList(0, lost).stream().mapToInt(Integer::intValue).toArray();
      int[] present = order.subList(lost, k + m).stream().mapToInt(Integer::intValue).toArray();
      byte[][] shards = new byte[present.length][];
      for (int i = 0; i < present.length; i++) {
        shards[i] = present[i] < k ? data[present[i]] : expected[present[i] - k];
      }
      byte[][] rebuilt = new byte[lost][len];
      gpu.decode(k, m, present, shards, missing, rebuilt, len);
      for (int i = 0; i < lost; i++) {
        byte[] original = missing[i] < k ? data[missing[i]] : expected[missing[i] - k];
        assertThat(rebuilt[i]).as("shard %d", missing[i]).isEqualTo(original);
      }
    }
  }
}
