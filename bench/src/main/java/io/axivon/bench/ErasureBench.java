package io.axivon.bench;

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

/**
 * Reed-Solomon encode and decode (min(k, m) lost data shards) on off-heap shards, the Java coder
 * beside ISA-L's {@code ec_encode_data} through JNA in the same run; both split byte ranges over
 * {@code threads} threads. Scores are operations per second: MB/s of data = score × k × shard size
 * / 10^6. The ISA-L benchmarks fail at setup when libisal2 is not installed.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 2)
@Fork(
    value = 1,
    jvmArgsAppend = {"--add-modules", "jdk.incubator.vector", "--enable-native-access=ALL-UNNAMED"})
public class ErasureBench {
  /** k+m:shard bytes. */
  @Param({"10+4:1048576", "16+16:1048576", "128+128:2048"})
  public String shape;

  @Param({"1", "2"})
  public int threads;

  private ErasureShards s;
  private ReedSolomon coder;

  @Setup(Level.Trial)
  public void setUp() {
    s = new ErasureShards(shape, threads);
    // the CPU coder: with the cuda module on the class path a GPU would take the large shapes
    coder = new ReedSolomon(CudaErasureBench.bestCpuBackend(), threads);
    coder.encode(s.k, s.m, s.data, s.parity, s.len);
  }

  @TearDown(Level.Trial)
  public void tearDown() {
    System.out.println("\nbackend: " + coder.backendName());
    coder.close();
    s.close();
  }

  @Benchmark
  public void encode() {
    coder.encode(s.k, s.m, s.data, s.parity, s.len);
  }

  @Benchmark
  public void decode() {
    coder.decode(s.k, s.m, s.present, s.survivors, s.missing, s.rebuilt, s.len);
  }

  @Benchmark
  public void isalEncode() throws Exception {
    s.isalEncode();
  }

  @Benchmark
  public void isalDecode() throws Exception {
    s.isalDecode();
  }
}
