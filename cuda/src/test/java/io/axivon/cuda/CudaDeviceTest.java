package io.axivon.cuda;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.axivon.da.erasure.CodingMatrix;
import io.axivon.da.erasure.ErasureBackend;
import io.axivon.da.erasure.ReedSolomon;
import io.axivon.da.erasure.VectorBackendProvider;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * GPU against CPU, byte for byte: runs wherever a CUDA device is present, skipped elsewhere. Run on
 * a GPU machine with {@code mvn -B verify -pl cuda -am}.
 */
class CudaDeviceTest {
  private static final ErasureBackend CPU = new VectorBackendProvider();
  private static final CudaBackend GPU = new CudaBackend();

  @BeforeAll
  static void needsADevice() {
    assumeTrue(GPU.isAvailable(), () -> "no CUDA device: " + CudaBackend.unavailableReason());
    System.out.println(
        "CUDA device: " + CudaBackend.deviceName() + ", kernel from " + CudaBackend.kernelOrigin());
  }

  @Test
  void randomShapesErasuresAndSizesMatchTheCpu() {
    Random rnd = new Random(2024);
    int[] sizes = {0, 1, 15, 16, 17, 255, 4096, 65_537};
    try (ReedSolomon cpu = new ReedSolomon(CPU, 1);
        ReedSolomon gpu = new ReedSolomon(GPU, 1)) {
      for (int trial = 0; trial < 120; trial++) {
        int k = trial % 10 == 0 ? 128 : 1 + rnd.nextInt(40);
        int m = trial % 10 == 0 ? 128 : 1 + rnd.nextInt(20);
        int len = trial % 3 == 0 ? sizes[rnd.nextInt(sizes.length)] : rnd.nextInt(20_000);
        byte[][] data = random(rnd, k, len);
        byte[][] expected = new byte[m][len];
        byte[][] parity = new byte[m][len];
        cpu.encode(k, m, data, expected, len);
        gpu.encode(k, m, data, parity, len);
        assertThat(parity).as("encode k=%d m=%d len=%d", k, m, len).isDeepEqualTo(expected);

        List<Integer> order = new ArrayList<>();
        for (int i = 0; i < k + m; i++) {
          order.add(i);
        }
        Collections.shuffle(order, rnd);
        int lost = 1 + rnd.nextInt(m);
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
          assertThat(rebuilt[i])
              .as("decode k=%d m=%d shard %d", k, m, missing[i])
              .isEqualTo(original);
        }
      }
    }
  }

  @Test
  void largeOffHeapShardsStreamThroughSeveralChunks() {
    Random rnd = new Random(7);
    // 128 columns → 64 KiB chunks: 5 chunks cycle the 3 stages; 10 columns → ~820 KiB chunks
    int[][] shapes = {{128, 128, 300_000}, {10, 4, 3 * 1024 * 1024 + 5}, {16, 16, 1 << 20}};
    try (Arena arena = Arena.ofShared();
        ReedSolomon cpu = new ReedSolomon(CPU, 2);
        ReedSolomon gpu = new ReedSolomon(GPU, 2)) {
      for (int[] s : shapes) {
        int k = s[0];
        int m = s[1];
        long len = s[2];
        MemorySegment[] data = new MemorySegment[k];
        byte[] fill = new byte[(int) len];
        for (int i = 0; i < k; i++) {
          rnd.nextBytes(fill);
          data[i] = arena.allocate(len, 64);
          MemorySegment.copy(fill, 0, data[i], ValueLayout.JAVA_BYTE, 0, (int) len);
        }
        MemorySegment[] expected = allocate(arena, m, len);
        MemorySegment[] parity = allocate(arena, m, len);
        cpu.encode(k, m, data, expected, len);
        gpu.encode(k, m, data, parity, len);
        for (int r = 0; r < m; r++) {
          assertThat(parity[r].mismatch(expected[r]))
              .as("k=%d m=%d parity %d", k, m, r)
              .isEqualTo(-1);
        }
      }
    }
  }

  @Test
  void multiplyTouchesOnlyItsRangeAndSplitsLargeMatricesIntoRowGroups() {
    Random rnd = new Random(11);
    int rows = 200;
    int cols = 200; // 40 000 coefficients: more than the 32 KiB of constant memory
    byte[] matrix = new byte[rows * cols];
    rnd.nextBytes(matrix);
    int len = 5000;
    MemorySegment[] in = new MemorySegment[cols];
    for (int c = 0; c < cols; c++) {
      byte[] b = new byte[len];
      rnd.nextBytes(b);
      in[c] = MemorySegment.ofArray(b);
    }
    byte[][] expected = new byte[rows][len];
    byte[][] actual = new byte[rows][len];
    for (int r = 0; r < rows; r++) {
      java.util.Arrays.fill(expected[r], (byte) 0xab);
      java.util.Arrays.fill(actual[r], (byte) 0xab);
    }
    CodingMatrix cpuMatrix = CPU.prepare(matrix, rows, cols);
    CodingMatrix gpuMatrix = GPU.prepare(matrix, rows, cols);
    CPU.multiply(cpuMatrix, in, segments(expected), 13, len - 7);
    GPU.multiply(gpuMatrix, in, segments(actual), 13, len - 7);
    assertThat(actual).isDeepEqualTo(expected);
    assertThat(actual[0][12]).isEqualTo((byte) 0xab);
    assertThat(actual[rows - 1][len - 7]).isEqualTo((byte) 0xab);
  }

  @Test
  void automaticSelectionSendsTheDaSquareToTheGpuAndCallsFromThreadsAgree() throws Exception {
    Random rnd = new Random(3);
    int k = 128;
    int m = 128;
    int len = 256 * 1024; // the 128 rows of a 32 MiB square, cell c of every row in shard c
    byte[][] data = random(rnd, k, len);
    byte[][] expected = new byte[m][len];
    try (ReedSolomon cpu = new ReedSolomon(CPU, 1);
        ReedSolomon auto = ReedSolomon.create(2)) {
      assertThat(auto.backendName()).startsWith("cuda+vector-");
      cpu.encode(k, m, data, expected, len);
      byte[][] a = new byte[m][len];
      byte[][] b = new byte[m][len];
      CompletableFuture<Void> other =
          CompletableFuture.runAsync(() -> auto.encode(k, m, data, b, len));
      auto.encode(k, m, data, a, len);
      other.get(60, java.util.concurrent.TimeUnit.SECONDS);
      assertThat(a).isDeepEqualTo(expected);
      assertThat(b).isDeepEqualTo(expected);
    }
  }

  private static byte[][] random(Random rnd, int n, int len) {
    byte[][] b = new byte[n][len];
    for (byte[] x : b) {
      rnd.nextBytes(x);
    }
    return b;
  }

  private static MemorySegment[] allocate(Arena arena, int n, long len) {
    MemorySegment[] s = new MemorySegment[n];
    for (int i = 0; i < n; i++) {
      s[i] = arena.allocate(Math.max(1, len), 64);
    }
    return s;
  }

  private static MemorySegment[] segments(byte[][] arrays) {
    MemorySegment[] s = new MemorySegment[arrays.length];
    for (int i = 0; i < arrays.length; i++) {
      s[i] = MemorySegment.ofArray(arrays[i]);
    }
    return s;
  }
}
