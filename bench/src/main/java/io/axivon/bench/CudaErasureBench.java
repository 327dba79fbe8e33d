package io.axivon.bench;

import io.axivon.cuda.CudaBackend;
import io.axivon.da.erasure.ErasureBackend;
import io.axivon.da.erasure.ErasureBackends;
import io.axivon.da.erasure.IsaL;
import io.axivon.da.erasure.ReedSolomon;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.CommandLineOptionException;
import org.openjdk.jmh.runner.options.CommandLineOptions;
import org.openjdk.jmh.runner.options.OptionsBuilder;

/**
 * The GPU coder against the CPU coder and ISA-L in the same run, milliseconds per call with the
 * host-to-device and device-to-host transfers included (shards live in host memory, as in a node).
 * Shapes: 10+4 with 1 MiB shards, and {@code 128+128:262144}, the row extension of a 32 MiB DA
 * square (128 × 128 cells of 2 KiB): shard c holds cell c of all 128 rows one after the other, so
 * the 128 row encodings are one multiply (byte p of a parity depends only on byte p of the data).
 * The CPU coder and ISA-L run on {@code threads} threads, the GPU on its own.
 *
 * <p>Run {@link #main} (it skips, with "no CUDA device: …", the cuda benchmarks where there is no
 * GPU, and the ISA-L ones without libisal2); {@code bench/run CudaErasureBench} also works, but
 * there the cuda benchmarks without a device only print the reason and measure nothing.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 2)
@Fork(
    value = 1,
    jvmArgsAppend = {"--add-modules", "jdk.incubator.vector", "--enable-native-access=ALL-UNNAMED"})
public class CudaErasureBench {
  /** k+m:shard bytes. */
  @Param({"10+4:1048576", "128+128:262144"})
  public String shape;

  @Param({"2"})
  public int threads;

  private ErasureShards s;
  private boolean gpu;
  private ReedSolomon cuda;
  private ReedSolomon cpu;

  /** The best backend that is not an accelerator: the CPU reference. */
  static ErasureBackend bestCpuBackend() {
    return ErasureBackends.available().stream().filter(b -> !b.offload()).findFirst().orElseThrow();
  }

  @Setup(Level.Trial)
  public void setUp() {
    s = new ErasureShards(shape, threads);
    cpu = new ReedSolomon(bestCpuBackend(), threads);
    cpu.encode(s.k, s.m, s.data, s.parity, s.len);
    CudaBackend backend = new CudaBackend();
    gpu = backend.isAvailable();
    if (gpu) {
      cuda = new ReedSolomon(backend, 1);
      System.out.println(
          "\nGPU: " + CudaBackend.deviceName() + ", kernel from " + CudaBackend.kernelOrigin());
    } else {
      System.out.println(
          "\nno CUDA device: " + CudaBackend.unavailableReason() + " (cuda* measure nothing)");
    }
  }

  @TearDown(Level.Trial)
  public void tearDown() {
    System.out.println("\nCPU backend: " + cpu.backendName());
    cpu.close();
    if (cuda != null) {
      cuda.close();
    }
    s.close();
  }

  @Benchmark
  public void cudaEncode() {
    if (gpu) {
      cuda.encode(s.k, s.m, s.data, s.parity, s.len);
    }
  }

  @Benchmark
  public void cudaDecode() {
    if (gpu) {
      cuda.decode(s.k, s.m, s.present, s.survivors, s.missing, s.rebuilt, s.len);
    }
  }

  @Benchmark
  public void cpuEncode() {
    cpu.encode(s.k, s.m, s.data, s.parity, s.len);
  }

  @Benchmark
  public void cpuDecode() {
    cpu.decode(s.k, s.m, s.present, s.survivors, s.missing, s.rebuilt, s.len);
  }

  @Benchmark
  public void isalEncode() throws Exception {
    s.isalEncode();
  }

  @Benchmark
  public void isalDecode() throws Exception {
    s.isalDecode();
  }

  /**
   * Runs this benchmark, leaving out what cannot run here: the cuda benchmarks without a GPU
   * (printing "no CUDA device: …") and the ISA-L ones without libisal2. Arguments are JMH options
   * other than benchmark patterns, e.g. {@code -f 1 -wi 2 -i 3 -p threads=1}.
   */
  public static void main(String[] args) throws RunnerException, CommandLineOptionException {
    ChainedOptionsBuilder options = new OptionsBuilder().parent(new CommandLineOptions(args));
    options.include(CudaErasureBench.class.getSimpleName() + "\\.cpu");
    if (new CudaBackend().isAvailable()) {
      options.include(CudaErasureBench.class.getSimpleName() + "\\.cuda");
    } else {
      System.out.println("no CUDA device: " + CudaBackend.unavailableReason());
    }
    if (IsaL.load().isPresent()) {
      options.include(CudaErasureBench.class.getSimpleName() + "\\.isal");
    } else {
      System.out.println("no ISA-L: " + IsaL.unavailableReason());
    }
    new Runner(options.build()).run();
  }
}
