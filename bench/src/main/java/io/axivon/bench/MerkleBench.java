package io.axivon.bench;

import io.axivon.common.crypto.Hashes;
import io.axivon.common.merkle.MerkleAccumulator;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.apache.tuweni.bytes.Bytes32;
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
 * Merkle root of {@code mib} MiB cut into {@code leafSize}-byte leaves, against the reference: one
 * raw Keccak-256 over the same bytes, in the same run. Both are single-threaded, so the ratio of
 * their scores is the Merkle tree's throughput as a fraction of raw Keccak on one core.
 *
 * <p>Keccak-256 absorbs 136-byte blocks. Raw hashing costs about leafSize/136 permutations per
 * leafSize bytes; the tree costs ceil((leafSize+1)/136) per leaf plus one per inner node (64 bytes
 * fit one block), about one per leaf. So the best possible ratio is 1.88/3 = 0.63 for 256-B leaves
 * (2 + 1 blocks instead of 1.88) and 30.1/32 = 0.94 for 4-KiB leaves (31 + 1 instead of 30.1).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 2)
@Fork(value = 1, jvmArgsAppend = "--enable-native-access=ALL-UNNAMED")
public class MerkleBench {
  @Param({"16"})
  public int mib;

  @Param({"256", "4096"})
  public int leafSize;

  private byte[] data;

  @Setup
  public void setUp() {
    data = new byte[mib << 20];
    new SplittableRandom(42).nextBytes(data);
  }

  @Benchmark
  public Bytes32 merkleRoot() {
    return MerkleAccumulator.ofData(leafSize).update(data).root();
  }

  @Benchmark
  public byte[] keccakReference() {
    return Hashes.keccak256(data);
  }
}
