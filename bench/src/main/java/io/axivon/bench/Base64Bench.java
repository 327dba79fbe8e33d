package io.axivon.bench;

import io.axivon.common.codec.Base64Vector;
import java.util.Base64;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Standard base64 of one storage segment (256 KiB) and of a small value (1 KiB): {@link
 * Base64Vector} against java.util.Base64 (the reference), encoding into a reused buffer and
 * decoding to a new array, as the segment JSON paths do.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 2)
@Fork(
    value = 1,
    jvmArgsAppend = {"--enable-native-access=ALL-UNNAMED", "--add-modules", "jdk.incubator.vector"})
public class Base64Bench {
  /** Bytes before encoding. */
  @Param({"1024", "262144"})
  public int bytes;

  private final Base64Vector codec = new Base64Vector();
  private byte[] data;
  private byte[] text;
  private byte[] encoded;

  @Setup
  public void setUp() {
    if (!codec.vectorized()) {
      throw new IllegalStateException("no vector path on this JVM/CPU");
    }
    data = new byte[bytes];
    ThreadLocalRandom.current().nextBytes(data);
    text = Base64.getEncoder().encode(data);
    encoded = new byte[text.length];
  }

  @Benchmark
  public byte[] vectorEncode() {
    codec.encode(data, 0, data.length, encoded, 0);
    return encoded;
  }

  /** Reference for {@link #vectorEncode}. */
  @Benchmark
  public byte[] jdkEncode() {
    Base64.getEncoder().encode(data, encoded);
    return encoded;
  }

  @Benchmark
  public byte[] vectorDecode() {
    return codec.decode(text);
  }

  /** Reference for {@link #vectorDecode}. */
  @Benchmark
  public byte[] jdkDecode() {
    return Base64.getDecoder().decode(text);
  }
}
