package io.axivon.bench;

import io.axivon.common.crypto.Hashes;
import io.axivon.common.crypto.Keccak256;
import io.axivon.common.crypto.KeccakBatch;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.bouncycastle.crypto.digests.KeccakDigest;
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
 * Raw Keccak-256 over one buffer: the reference that Merkle benchmarks compare against; and our
 * {@link Keccak256} against BouncyCastle's KeccakDigest (the reference), over one 1 MiB message and
 * as 4096 hashes of 256-byte sectors (the storage tree's leaves); and {@link KeccakBatch} (several
 * messages per permutation, one per vector lane) against the same messages one at a time, for the
 * three message sizes of our trees: 2 KiB DA shares, 256-byte sectors, 64-byte node pairs.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 2)
@Fork(
    value = 1,
    jvmArgsAppend = {"--enable-native-access=ALL-UNNAMED", "--add-modules", "jdk.incubator.vector"})
public class KeccakBench {
  private byte[] data;

  @Setup
  public void setUp() {
    data = new byte[1 << 20];
    ThreadLocalRandom.current().nextBytes(data);
  }

  /** Bytes per message for the batch benchmarks. */
  @Param({"64", "256", "2048"})
  public int messageBytes;

  private final KeccakBatch batch = new KeccakBatch();
  private final KeccakBatch oneAtATime = new KeccakBatch(false);
  private final byte[] hashes = new byte[32 * ((1 << 20) / 64)];

  /** The 1 MiB buffer as messages of {@code messageBytes}, several per permutation. */
  @Benchmark
  public byte[] batchLanes() {
    batch.hashAll(data, 0, messageBytes, data.length / messageBytes, hashes, 0);
    return hashes;
  }

  /** Reference: the same messages through {@link Keccak256} one at a time. */
  @Benchmark
  public byte[] batchOneAtATime() {
    oneAtATime.hashAll(data, 0, messageBytes, data.length / messageBytes, hashes, 0);
    return hashes;
  }

  private final Keccak256 ours = new Keccak256();
  private final KeccakDigest bouncy = new KeccakDigest(256);
  private final byte[] out = new byte[32];

  @Benchmark
  public byte[] keccakOneMebibyte() {
    return Hashes.keccak256(data);
  }

  @Benchmark
  public byte[] bouncyCastleOneMebibyte() {
    bouncy.update(data, 0, data.length);
    bouncy.doFinal(out, 0);
    return out;
  }

  @Benchmark
  public byte[] keccakSectors() {
    for (int off = 0; off < data.length; off += 256) {
      ours.update(data, off, 256);
      ours.doFinal(out, 0);
    }
    return out;
  }

  @Benchmark
  public byte[] bouncyCastleSectors() {
    for (int off = 0; off < data.length; off += 256) {
      bouncy.update(data, off, 256);
      bouncy.doFinal(out, 0);
    }
    return out;
  }
}
