package io.axivon.da.erasure;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.foreign.MemorySegment;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class BackendSelectionTest {
  /** An "accelerator" that takes shapes of at least 1000 input bytes and counts its calls. */
  static final class FakeOffload implements ErasureBackend {
    final ScalarBackend math = new ScalarBackend();
    final AtomicInteger calls = new AtomicInteger();
    final AtomicInteger fullCalls = new AtomicInteger();
    long lastLen;

    @Override
    public String name() {
      return "fake-gpu";
    }

    @Override
    public int priority() {
      return 200;
    }

    @Override
    public boolean isAvailable() {
      return true;
    }

    @Override
    public CodingMatrix prepare(byte[] matrix, int rows, int cols) {
      return math.prepare(matrix, rows, cols);
    }

    @Override
    public void multiply(
        CodingMatrix matrix, MemorySegment[] in, MemorySegment[] out, long from, long to) {
      calls.incrementAndGet();
      if (from == 0 && to == lastLen) {
        fullCalls.incrementAndGet();
      }
      math.multiply(matrix, in, out, from, to);
    }

    @Override
    public boolean offload() {
      return true;
    }

    @Override
    public boolean prefers(int rows, int cols, long len) {
      return cols * len >= 1000;
    }
  }

  @Test
  void offloadBackendTakesOnlyTheShapesItPrefersAndWholeCalls() {
    FakeOffload gpu = new FakeOffload();
    try (ReedSolomon rs = new ReedSolomon(List.of(gpu, new ScalarBackend()), 4);
        ReedSolomon reference = new ReedSolomon(new ScalarBackend(), 1)) {
      assertThat(rs.backendName()).isEqualTo("fake-gpu+scalar");
      Random rnd = new Random(7);
      for (int len : new int[] {10, 99, 100, 1 << 20}) {
        gpu.calls.set(0);
        gpu.fullCalls.set(0);
        gpu.lastLen = len;
        byte[][] data = new byte[10][len];
        for (byte[] d : data) {
          rnd.nextBytes(d);
        }
        byte[][] parity = new byte[4][len];
        byte[][] expected = new byte[4][len];
        rs.encode(10, 4, data, parity, len);
        reference.encode(10, 4, data, expected, len);
        assertThat(parity).isDeepEqualTo(expected);
        boolean large = 10L * len >= 1000;
        assertThat(gpu.calls.get()).as("calls at len %d", len).isEqualTo(large ? 1 : 0);
        // a 1 MiB shard would be split over 4 threads on a CPU backend
        assertThat(gpu.fullCalls.get()).isEqualTo(large ? 1 : 0);
      }
    }
  }

  @Test
  void automaticIsTheBestCpuBackendWithoutAnAccelerator() {
    assertThat(ErasureBackends.automatic()).extracting(ErasureBackend::name).hasSize(1);
    assertThat(ErasureBackends.automatic().getFirst().name()).startsWith("vector-");
    try (ReedSolomon rs = ReedSolomon.create(1)) {
      assertThat(rs.backendName()).isEqualTo(ErasureBackends.best().name());
    }
  }

  @Test
  void thePropertyNamesTheBackend() {
    String before = System.getProperty(ErasureBackends.BACKEND_PROPERTY);
    System.setProperty(ErasureBackends.BACKEND_PROPERTY, "scalar");
    try {
      assertThat(ErasureBackends.best().name()).isEqualTo("scalar");
      assertThat(ErasureBackends.automatic())
          .extracting(ErasureBackend::name)
          .containsExactly("scalar");
      try (ReedSolomon rs = ReedSolomon.create(1)) {
        assertThat(rs.backendName()).isEqualTo("scalar");
      }
    } finally {
      if (before == null) {
        System.clearProperty(ErasureBackends.BACKEND_PROPERTY);
      } else {
        System.setProperty(ErasureBackends.BACKEND_PROPERTY, before);
      }
    }
  }
}
