package io.axivon.cuda;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * The kernel as the jar carries it: {@code gf_matmul.cu} always, {@code gf_matmul.ptx} when the
 * build had nvcc (the cuda-ptx Maven profile).
 */
public final class KernelSource {
  /** The one kernel entry point: the GF(2^8) matrix × shards multiply on 16-byte words. */
  public static final String ENTRY = "gf_matmul16";

  /** The constant-memory array of coefficient logarithms. */
  public static final String COEFFICIENTS = "gf_coef_log";

  /** Its size in bytes ({@code GF_MAX_COEFS}): larger matrices run in groups of rows. */
  public static final int MAX_COEFFICIENTS = 32768;

  static final String SOURCE_RESOURCE = "gf_matmul.cu";
  static final String PTX_RESOURCE = "gf_matmul.ptx";

  private KernelSource() {}

  /** The CUDA C source, for NVRTC. */
  public static String source() {
    return read(SOURCE_RESOURCE)
        .orElseThrow(() -> new IllegalStateException(SOURCE_RESOURCE + " is missing from the jar"));
  }

  /** The PTX nvcc built, if the build had nvcc. */
  public static Optional<String> prebuiltPtx() {
    return read(PTX_RESOURCE);
  }

  private static Optional<String> read(String name) {
    try (InputStream in = KernelSource.class.getResourceAsStream(name)) {
      return in == null
          ? Optional.empty()
          : Optional.of(new String(in.readAllBytes(), StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + name, e);
    }
  }
}
