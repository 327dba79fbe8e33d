package io.axivon.bench;

import io.axivon.consensus.execution.genesis.Genesis;
import java.util.List;
import org.apache.tuweni.bytes.Bytes;

/**
 * Load generator for the execution issue's target: N validators on loopback running the EVM, each
 * with its own JSON-RPC server; signed EIP-1559 transfers from many funded accounts are sent with
 * {@code eth_sendRawTransaction} over HTTP, spread over the validators' endpoints. Prints finalized
 * transfers per second and submit-to-final latency (when the transfer is in a decided block, i.e.
 * its receipt exists), and the same for one validator alone (the reference) with the ratio.
 *
 * <p>Run: {@code bench/load EvmLoad [--validators 4] [--rate 2000] [--seconds 15] [--accounts 2000]
 * [--reference true] [--gas-limit 200000000] [--commit-ms 1000] [--batch 1] [--warmup 0]
 * [--block-log false]}; {@code --warmup S} sends S seconds of transfers at the same rate first,
 * untimed (the JIT compiles under load), and starts timing once the chain has finalized them, in
 * each run; {@code --reference false} skips the one-validator run (profiling). The block gas limit
 * is the genesis's: at 60 M a block holds at most 2,857 transfers, so with about one block a second
 * the chain could never finalize 5,000/s whatever its speed. {@code --commit-ms} is consensus's
 * pause after each decided block; {@code --batch N} sends up to N transfers per HTTP request as a
 * JSON-RPC batch (default 1: one {@code eth_sendRawTransaction} per request, as wallets send them);
 * {@code --block-log true} prints each block of the timed run: its size, the time since the
 * previous one and the latency of its newest and oldest transfer.
 */
public final class EvmLoad {
  private static final long CHAIN_ID = 12_777;

  /** Room for about 9,500 transfers per block. */
  static final long DEFAULT_GAS_LIMIT = 200_000_000;

  /** Most requests in flight; when reached, sending waits (the offered rate is then not met). */
  private static final int MAX_IN_FLIGHT = 2_000;

  private EvmLoad() {}

  /**
   * @param load the run's figures; its {@code cpuMsPerTx} counts every thread (validators, servers
   *     and the load generator): on a shared machine a steadier figure of the cost than the
   *     throughput
   */
  record Result(int validators, ClusterLoad.Result load) {}

  public static void main(String[] args) throws Exception {
    int validators = 4;
    int rate = 2000;
    int seconds = 15;
    int accounts = 2000;
    boolean reference = true;
    long gasLimit = DEFAULT_GAS_LIMIT;
    long commitMs = ClusterLoad.DEFAULT_COMMIT_MS;
    int batch = 1;
    int warmup = 0;
    boolean blockLog = false;
    for (int i = 0; i + 1 < args.length; i += 2) {
      switch (args[i]) {
        case "--validators" -> validators = Integer.parseInt(args[i + 1]);
        case "--rate" -> rate = Integer.parseInt(args[i + 1]);
        case "--seconds" -> seconds = Integer.parseInt(args[i + 1]);
        case "--accounts" -> accounts = Integer.parseInt(args[i + 1]);
        case "--reference" -> reference = Boolean.parseBoolean(args[i + 1]);
        case "--gas-limit" -> gasLimit = Long.parseLong(args[i + 1]);
        case "--commit-ms" -> commitMs = Long.parseLong(args[i + 1]);
        case "--batch" -> batch = Integer.parseInt(args[i + 1]);
        case "--warmup" -> warmup = Integer.parseInt(args[i + 1]);
        case "--block-log" -> blockLog = Boolean.parseBoolean(args[i + 1]);
        default -> throw new IllegalArgumentException("unknown option " + args[i]);
      }
    }
    // Signed up front: the generator measures the chain, not its own signing.
    System.out.printf(
        "block gas limit %,d (at most %,d transfers a block), commit timeout %d ms, %s%n",
        gasLimit,
        gasLimit / 21_000,
        commitMs,
        batch > 1 ? "JSON-RPC batches of up to " + batch : "one transfer per request");
    ClusterLoad.Workload w =
        ClusterLoad.workload(CHAIN_ID, accounts, rate * (warmup + seconds), gasLimit);
    Genesis genesis = w.genesis();
    List<Bytes> txs = w.txs();
    Result one =
        reference ? run(1, rate, seconds, genesis, txs, commitMs, batch, warmup, blockLog) : null;
    Result cluster =
        run(validators, rate, seconds, genesis, txs, commitMs, batch, warmup, blockLog);
    for (Result r : one == null ? List.of(cluster) : List.of(one, cluster)) {
      ClusterLoad.Result l = r.load();
      System.out.printf(
          "validators=%d offered=%d tx/s finalized=%.0f tx/s p50=%.0f ms p99=%.0f ms refused=%d"
              + " cpu=%.3f ms/tx answer p50=%.0f ms p99=%.0f ms%n",
          r.validators(),
          rate,
          l.txPerSecond(),
          l.p50Ms(),
          l.p99Ms(),
          l.refused(),
          l.cpuMsPerTx(),
          l.answerP50Ms(),
          l.answerP99Ms());
    }
    if (one != null) {
      System.out.printf(
          "ratio %d validators / 1 validator: throughput %.2fx%n",
          validators, cluster.load().txPerSecond() / one.load().txPerSecond());
    }
  }

  static Result run(
      int n,
      int rate,
      int seconds,
      Genesis evmGenesis,
      List<Bytes> txs,
      long commitMs,
      int batch,
      int warmup,
      boolean blockLog)
      throws Exception {
    return new Result(
        n,
        ClusterLoad.run(
            n,
            List.of(evmGenesis),
            rate,
            seconds,
            List.of(txs),
            commitMs,
            batch,
            warmup,
            blockLog));
  }
}
