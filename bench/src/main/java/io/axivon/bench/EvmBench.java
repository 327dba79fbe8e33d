package io.axivon.bench;

import io.axivon.common.crypto.Hashes;
import io.axivon.common.crypto.secp256k1.Address;
import io.axivon.common.crypto.secp256k1.Secp256k1PrivateKey;
import io.axivon.consensus.execution.block.BlockExecutor;
import io.axivon.consensus.execution.block.ExecutedBlock;
import io.axivon.consensus.execution.evm.BlockEnv;
import io.axivon.consensus.execution.evm.LibEvmExecutor;
import io.axivon.consensus.execution.tx.DynamicFeeTransaction;
import io.axivon.consensus.execution.tx.SenderCache;
import io.axivon.consensus.execution.tx.TxSigner;
import io.horizen.evm.Evm;
import io.horizen.evm.EvmContext;
import io.horizen.evm.ForkRules;
import io.horizen.evm.Hash;
import io.horizen.evm.Invocation;
import io.horizen.evm.StateDB;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.apache.commons.io.file.PathUtils;
import org.apache.tuweni.bytes.Bytes;
import org.apache.tuweni.bytes.Bytes32;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Signed EIP-1559 transfers executed per second by the block executor over libevm: a block of
 * {@value #TXS} transfers from distinct senders, with fee payment, receipts, blooms, both tries and
 * the state commit, then the state reset to the start so that the same signed block runs again.
 * {@code blockWarmSenders} finds the senders already recovered (as checkTx leaves them); {@code
 * blockColdSenders} recovers them too. The reference, {@code libevmRawTransfer}, is one bare libevm
 * Evm.Apply of a value transfer on a StateDB: the least one transfer can cost through libevm's
 * JSON-over-JNA interface.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 2, time = 3)
@Measurement(iterations = 3, time = 3)
@Fork(value = 1, jvmArgsAppend = "--enable-native-access=ALL-UNNAMED")
public class EvmBench {
  static final int TXS = 500;
  private static final long CHAIN_ID = 1337;
  private static final BigInteger GWEI = BigInteger.TEN.pow(9);

  /** How many of the block's transfers each sender makes (1: all distinct senders). */
  @Param({"1", "5"})
  public int txsPerSender;

  private Path dir;
  private LibEvmExecutor executor;
  private Bytes32 startRoot;
  private List<Bytes> block;
  private SenderCache warm;
  private BlockEnv env;
  private StateDB rawState;
  private EvmContext rawContext;
  private io.horizen.evm.Address rawFrom;
  private io.horizen.evm.Address rawTo;
  private long rawCalls;

  @Setup
  public void setUp() throws IOException {
    dir = Files.createTempDirectory("evm-bench");
    executor = LibEvmExecutor.open(dir.resolve("state"), LibEvmExecutor.EMPTY_ROOT, n -> null);
    Address receiver = Address.fromHex("0x00000000000000000000000000000000000000aa");
    block = new ArrayList<>(TXS);
    for (int i = 0; i < TXS; i++) {
      Secp256k1PrivateKey key =
          Secp256k1PrivateKey.fromBytes(
              Hashes.keccak256(Bytes.ofUnsignedInt(i / txsPerSender + 1)));
      if (i % txsPerSender == 0) {
        executor.addBalance(key.address(), BigInteger.TEN.pow(21));
      }
      block.add(
          TxSigner.sign(
                  new DynamicFeeTransaction(
                      CHAIN_ID,
                      i % txsPerSender,
                      GWEI,
                      GWEI.multiply(BigInteger.TEN),
                      21_000,
                      Optional.of(receiver),
                      BigInteger.ONE,
                      Bytes.EMPTY,
                      List.of(),
                      null),
                  key)
              .encode());
    }
    startRoot = executor.commit();
    env =
        new BlockEnv(
            CHAIN_ID,
            1,
            1,
            Address.fromHex("0x00000000000000000000000000000000000000cb"),
            30_000_000,
            GWEI,
            Bytes32.ZERO);
    warm = new SenderCache(TXS * 2);
    ExecutedBlock check = new BlockExecutor(executor, CHAIN_ID, warm).execute(env, block);
    if (check.included().size() != TXS) {
      throw new IllegalStateException("transfers skipped: " + check.skipped());
    }
    executor.reset(startRoot);

    rawState = new StateDB(new io.horizen.evm.MemoryDatabase(), StateDB.EMPTY_ROOT_HASH);
    rawFrom = new io.horizen.evm.Address("0x1000000000000000000000000000000000000001");
    rawTo = new io.horizen.evm.Address("0x2000000000000000000000000000000000000002");
    rawState.addBalance(rawFrom, BigInteger.TEN.pow(30));
    rawContext =
        new EvmContext(
            BigInteger.valueOf(CHAIN_ID),
            io.horizen.evm.Address.ZERO,
            BigInteger.valueOf(30_000_000),
            GWEI,
            BigInteger.ONE,
            BigInteger.ONE,
            GWEI,
            Hash.ZERO,
            new ForkRules(true));
  }

  @TearDown
  public void tearDown() throws Exception {
    executor.close();
    rawState.close();
    PathUtils.deleteDirectory(dir);
  }

  private Bytes32 runBlock(SenderCache senders) {
    ExecutedBlock b = new BlockExecutor(executor, CHAIN_ID, senders).execute(env, block);
    b.transactionsRoot();
    b.receiptsRoot();
    b.logsBloom();
    Bytes32 root = executor.commit();
    executor.reset(startRoot);
    return root;
  }

  @Benchmark
  @OperationsPerInvocation(TXS)
  public Bytes32 blockWarmSenders() {
    return runBlock(warm);
  }

  @Benchmark
  @OperationsPerInvocation(TXS)
  public Bytes32 blockColdSenders() {
    return runBlock(new SenderCache(TXS));
  }

  @Benchmark
  public Object libevmRawTransfer() {
    if (++rawCalls % 256 == 0) {
      rawState.finalizeChanges(); // keeps go-ethereum's journal from growing without bound
    }
    return Evm.Apply(
        rawState,
        new Invocation(rawFrom, rawTo, BigInteger.ONE, new byte[0], BigInteger.valueOf(0), false),
        rawContext);
  }
}
