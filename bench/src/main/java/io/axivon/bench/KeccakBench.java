package io.axivon.bench;

import io.axivon.common.crypto.Hashes;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/** Raw Keccak-256 over one buffer: the reference that Merkle benchmarks compare against. */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 2)
@Fork(value = 1, jvmArgsAppend = "--enable-native-access=ALL-UNNAMED")
public class KeccakBench {
  private byte[] data;

  @Setup
  public void setUp() {
    data = new byte[1 << 20];
    ThreadLocalRandom.current().nextBytes(data);
  }

  @Benchmark
  public byte[] keccakOneMebibyte() {
    return Hashes.keccak256(data);
  }
}
