package io.axivon.cuda;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.axivon.da.erasure.CodingMatrix;
import io.axivon.da.erasure.ErasureBackend;
import io.axivon.da.erasure.ErasureBackends;
import java.lang.foreign.MemorySegment;
import java.util.ServiceLoader;
import org.junit.jupiter.api.Test;

/** The backend's contract on any machine, with or without a GPU. */
class CudaBackendTest {
  @Test
  void isRegisteredAsAServiceAndProbesWithoutThrowing() {
    assertThat(ServiceLoader.load(ErasureBackend.class).stream().map(p -> p.type().getName()))
        .contains(CudaBackend.class.getName());
    CudaBackend backend = new CudaBackend();
    assertThat(backend.name()).isEqualTo("cuda");
    assertThat(backend.priority()).isEqualTo(200);
    assertThat(backend.offload()).isTrue();
    boolean available = backend.isAvailable();
    assertThat(available).isEqualTo(CudaBackend.unavailableReason() == null);
    assertThat(ErasureBackends.available().contains(backend))
        .isFalse(); // a fresh instance each time
    assertThat(ErasureBackends.available().stream().anyMatch(b -> b instanceof CudaBackend))
        .isEqualTo(available);
  }

  @Test
  void withoutADeviceTheCpuCodesAndTheReasonIsClear() {
    assumeTrue(
        !new CudaBackend().isAvailable(), "a CUDA device is present: CudaDeviceTest covers it");
    assertThat(CudaBackend.unavailableReason()).isNotBlank();
    assertThat(ErasureBackends.automatic())
        .singleElement()
        .satisfies(b -> assertThat(b.name()).startsWith("vector-"));
    CudaBackend backend = new CudaBackend();
    CodingMatrix matrix = backend.prepare(new byte[] {1, 2}, 1, 2);
    MemorySegment[] in = {MemorySegment.ofArray(new byte[4]), MemorySegment.ofArray(new byte[4])};
    MemorySegment[] out = {MemorySegment.ofArray(new byte[4])};
    assertThatThrownBy(() -> backend.multiply(matrix, in, out, 0, 4))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageStartingWith("no CUDA device: ");
  }

  @Test
  void prefersOnlyShapesThatRepayTheTransfers() {
    CudaBackend backend = new CudaBackend();
    assertThat(backend.prefers(4, 10, 1 << 20)).as("10+4, 1 MiB").isFalse();
    assertThat(backend.prefers(16, 16, 1 << 20)).as("16+16, 1 MiB").isTrue();
    assertThat(backend.prefers(128, 128, 256 << 10)).as("128+128 over 32 MiB").isTrue();
    assertThat(backend.prefers(128, 128, 2048)).as("one 2 KiB row").isFalse();
    assertThat(backend.prefers(1, 200, 1L << 30)).as("one row: all transfer").isFalse();
  }

  @Test
  void prepareKeepsTheCoefficientsAndTheirLogs() {
    byte[] m = {0, 1, 2, (byte) 0x8e};
    CodingMatrix prepared = new CudaBackend().prepare(m, 2, 2);
    assertThat(prepared.coefficients()).containsExactly(m);
    assertThat((byte[]) prepared.expanded())
        .containsExactly((byte) GfTables.ZERO_COEFFICIENT, 0, 1, (byte) 254); // 1/2 = 2^254
    assertThatThrownBy(() -> new CudaBackend().prepare(new byte[0], 0, 0))
        .hasMessageContaining("cols");
  }

  @Test
  void namesTheMissingLibraryFromJCudasLoaderMessage() {
    String message =
        "Error while loading native library \"JCudaDriver-12.6.0-linux-x86_64\"\n"
            + "java.lang.UnsatisfiedLinkError: /tmp/libJCudaDriver-12.6.0-linux-x86_64.so:"
            + " libcuda.so.1: cannot open shared object file: No such file or directory\n";
    assertThat(CudaBackend.linkProblem(new UnsatisfiedLinkError(message)))
        .isEqualTo("libcuda.so.1 not found");
    assertThat(CudaBackend.linkProblem(new UnsatisfiedLinkError("first\nsecond")))
        .isEqualTo("first");
  }
}
