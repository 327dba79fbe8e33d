package io.axivon.bench;

import io.axivon.common.crypto.secp256k1.Address;
import io.axivon.common.time.Clock;
import io.axivon.consensus.execution.EvmApplication;
import io.axivon.consensus.execution.EvmChain;
import io.axivon.consensus.execution.system.SystemModules;
import io.axivon.consensus.execution.tx.SenderCache;
import io.axivon.consensus.mempool.AddResult;
import io.axivon.consensus.mempool.Mempool;
import io.axivon.consensus.mempool.MempoolConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.tuweni.bytes.Bytes;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * A validator's mempool re-check after a block, as under EvmLoad: {@value #TXS} signed transfers
 * held, {@value #PER_SENDER} per sender, re-checked against the EVM chain by its {@link
 * EvmApplication}. {@code updateBatched} re-checks them with one {@code recheckTxs} from the
 * checks' memos (the decoded transactions); the reference, {@code updateOneByOne}, with {@code
 * checkTx} for each (as before the batch).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 2)
@Fork(value = 1, jvmArgsAppend = "--enable-native-access=ALL-UNNAMED")
public class MempoolUpdateBench {
  static final int TXS = 10_000;
  static final int PER_SENDER = 50;
  private static final long CHAIN_ID = 1337;

  private Path dir;
  private EvmChain chain;
  private Mempool oneByOne;
  private Mempool batched;

  @Setup
  public void setUp() throws IOException {
    ClusterLoad.Workload w = ClusterLoad.workload(CHAIN_ID, TXS / PER_SENDER, TXS);
    dir = Files.createTempDirectory("mempool-update-bench");
    chain = EvmChain.open(dir, w.genesis(), SystemModules.none(), new SenderCache(1 << 20));
    EvmApplication app =
        new EvmApplication(
            chain,
            max -> List.of(),
            Clock.system(),
            h -> Address.fromHex("0x00000000000000000000000000000000000c0ffe"));
    MempoolConfig config = new MempoolConfig(200_000, 256L << 20, 128 << 10, 64, 10);
    oneByOne = new Mempool(config, app::checkTx, app::txHash);
    batched = Mempool.of(config, () -> app);
    for (Bytes tx : w.txs()) {
      if (!(oneByOne.add(tx) instanceof AddResult.Added)
          || !(batched.add(tx) instanceof AddResult.Added)) {
        throw new IllegalStateException("not admitted");
      }
    }
  }

  @TearDown
  public void tearDown() throws IOException {
    chain.close();
    try (Stream<Path> files = Files.walk(dir)) {
      for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    }
  }

  @Benchmark
  public int updateBatched() {
    batched.update(List.of());
    return batched.size();
  }

  /** Reference: one {@code checkTx} per held transaction. */
  @Benchmark
  public int updateOneByOne() {
    oneByOne.update(List.of());
    return oneByOne.size();
  }
}
