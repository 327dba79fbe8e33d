package io.axivon.bench;

import io.axivon.consensus.execution.trie.OrderedTrie;
import io.horizen.evm.TrieHasher;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.apache.tuweni.bytes.Bytes;
import org.apache.tuweni.bytes.Bytes32;
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

/**
 * A block's receipts root for 5,000 plain transfers (each receipt's consensus encoding: status,
 * cumulative gas, 256-byte bloom, no logs; 264 bytes): {@link OrderedTrie} in Java against libevm's
 * TrieHasher over JNA (the reference), what every validator computes for every block.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 2)
@Fork(
    value = 1,
    jvmArgsAppend = {"--enable-native-access=ALL-UNNAMED", "--add-modules", "jdk.incubator.vector"})
public class TrieRootBench {
  private List<Bytes> receipts;
  private byte[][] raw;

  @Setup
  public void setUp() {
    Random r = new Random(1);
    receipts = new ArrayList<>();
    for (int i = 0; i < 5_000; i++) {
      byte[] b = new byte[264]; // f9 0105 01 83xxxxxx b9 0100 <bloom> c0
      b[0] = (byte) 0xf9;
      b[1] = 0x01;
      b[2] = 0x05;
      b[3] = 0x01;
      b[4] = (byte) 0x83;
      b[5] = (byte) r.nextInt(256);
      b[6] = (byte) r.nextInt(256);
      b[7] = (byte) r.nextInt(256);
      b[8] = (byte) 0xb9;
      b[9] = 0x01;
      b[10] = 0x00;
      b[263] = (byte) 0xc0;
      receipts.add(Bytes.wrap(b));
    }
    raw = receipts.stream().map(Bytes::toArrayUnsafe).toArray(byte[][]::new);
    if (!java(receipts).equals(libevm(raw))) {
      throw new IllegalStateException("the two roots differ");
    }
  }

  private static Bytes32 java(List<Bytes> items) {
    return OrderedTrie.root(items);
  }

  private static Bytes32 libevm(byte[][] items) {
    return Bytes32.wrap(TrieHasher.Root(items).toBytes());
  }

  /** 5,000 receipts' root in Java. */
  @Benchmark
  public Bytes32 orderedTrie() {
    return java(receipts);
  }

  /** Reference: the same root from libevm. */
  @Benchmark
  public Bytes32 trieHasherReference() {
    return libevm(raw);
  }
}
