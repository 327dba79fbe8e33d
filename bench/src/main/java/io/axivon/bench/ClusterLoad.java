package io.axivon.bench;

import io.axivon.common.crypto.bls.BlsSecretKey;
import io.axivon.common.crypto.secp256k1.Address;
import io.axivon.common.crypto.secp256k1.Secp256k1PrivateKey;
import io.axivon.common.time.Clock;
import io.axivon.consensus.app.Application;
import io.axivon.consensus.engine.TimeoutConfig;
import io.axivon.consensus.execution.EvmApplication;
import io.axivon.consensus.execution.EvmChain;
import io.axivon.consensus.execution.block.BaseFee;
import io.axivon.consensus.execution.genesis.Genesis;
import io.axivon.consensus.execution.system.SystemModules;
import io.axivon.consensus.execution.tx.DynamicFeeTransaction;
import io.axivon.consensus.execution.tx.SenderCache;
import io.axivon.consensus.execution.tx.TxSigner;
import io.axivon.consensus.mempool.Mempool;
import io.axivon.consensus.mempool.MempoolConfig;
import io.axivon.consensus.node.ConsensusGenesis;
import io.axivon.consensus.node.ConsensusMetrics;
import io.axivon.consensus.node.ValidatorNode;
import io.axivon.consensus.rpc.ChainBackend;
import io.axivon.consensus.rpc.EthApi;
import io.axivon.consensus.rpc.EthRpcServer;
import io.axivon.consensus.rpc.RpcConfig;
import io.axivon.consensus.types.Validator;
import io.axivon.consensus.types.ValidatorSet;
import io.axivon.p2p.NodeKey;
import io.axivon.p2p.P2pConfig;
import io.axivon.p2p.P2pLimits;
import io.axivon.p2p.P2pNode;
import io.axivon.p2p.PeerAddress;
import io.axivon.sdk.rpc.JsonRpcClient;
import io.axivon.sdk.rpc.JsonRpcException;
import io.prometheus.client.CollectorRegistry;
import java.math.BigInteger;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.commons.io.file.PathUtils;
import org.apache.tuweni.bytes.Bytes;

/**
 * Load generator for the cluster issue's target: the same validators run 1, 2 and 4 EVM chains side
 * by side (one P2P node per validator, each chain its own consensus instance, mempool, state and
 * JSON-RPC server), and signed transfers are offered to every chain at the same per-chain rate over
 * {@code eth_sendRawTransaction}. Prints aggregate finalized transfers per second, submit-to-final
 * latency, and the ratio of 2 and 4 chains to 1 on the same hardware in the same run.
 *
 * <p>Run: {@code bench/load ClusterLoad [--validators 4] [--rate-per-chain 1500] [--seconds 15]
 * [--chains 1,2,4] [--accounts 1000]}.
 */
public final class ClusterLoad {
  private static final long FIRST_CHAIN_ID = 12_800;

  /** Most requests in flight; when reached, sending waits (the offered rate is then not met). */
  private static final int MAX_IN_FLIGHT = 2_000;

  private ClusterLoad() {}

  /**
   * @param finalized how many transfers were finalized (what {@code txPerSecond} counts)
   */
  /**
   * @param cpuMsPerTx the process's CPU (every thread) over the timed run per finalized transfer
   * @param answerP50Ms median time from sending a timed transfer to its {@code
   *     eth_sendRawTransaction} answer (admission: the part of the latency spent before the
   *     mempool)
   * @param answerP99Ms the same, 99th percentile
   */
  record Result(
      int chains,
      double txPerSecond,
      double p50Ms,
      double p99Ms,
      long refused,
      long finalized,
      double cpuMsPerTx,
      double answerP50Ms,
      double answerP99Ms) {}

  /** The {@code q} quantile of {@code sorted} nanoseconds, in milliseconds; NaN when empty. */
  static double percentileMs(long[] sorted, double q) {
    return sorted.length == 0
        ? Double.NaN
        : sorted[Math.min(sorted.length - 1, (int) (sorted.length * q))] / 1e6;
  }

  public static void main(String[] args) throws Exception {
    int validators = 4;
    int rate = 1500;
    int seconds = 15;
    int accounts = 1000;
    List<Integer> chainCounts = List.of(1, 2, 4);
    for (int i = 0; i + 1 < args.length; i += 2) {
      switch (args[i]) {
        case "--validators" -> validators = Integer.parseInt(args[i + 1]);
        case "--rate-per-chain" -> rate = Integer.parseInt(args[i + 1]);
        case "--seconds" -> seconds = Integer.parseInt(args[i + 1]);
        case "--accounts" -> accounts = Integer.parseInt(args[i + 1]);
        case "--chains" ->
            chainCounts = Arrays.stream(args[i + 1].split(",")).map(Integer::parseInt).toList();
        default -> throw new IllegalArgumentException("unknown option " + args[i]);
      }
    }
    int most = chainCounts.stream().mapToInt(Integer::intValue).max().orElse(1);
    List<Genesis> geneses = new ArrayList<>();
    List<List<Bytes>> txs = new ArrayList<>();
    for (int c = 0; c < most; c++) {
      Workload w = workload(FIRST_CHAIN_ID + c, accounts, rate * seconds);
      geneses.add(w.genesis());
      txs.add(w.txs());
    }
    List<Result> results = new ArrayList<>();
    for (int chains : chainCounts) {
      Result r = run(validators, geneses.subList(0, chains), rate, seconds, txs.subList(0, chains));
      results.add(
          new Result(
              chains,
              r.txPerSecond(),
              r.p50Ms(),
              r.p99Ms(),
              r.refused(),
              r.finalized(),
              r.cpuMsPerTx(),
              r.answerP50Ms(),
              r.answerP99Ms()));
    }
    Result one = results.getFirst();
    for (Result r : results) {
      System.out.printf(
          "validators=%d chains=%d offered=%d tx/s finalized=%.0f tx/s p50=%.0f ms p99=%.0f ms"
              + " refused=%d ratio-to-%d-chain=%.2fx%n",
          validators,
          r.chains(),
          rate * r.chains(),
          r.txPerSecond(),
          r.p50Ms(),
          r.p99Ms(),
          r.refused(),
          one.chains(),
          r.txPerSecond() / one.txPerSecond());
    }
  }

  /**
   * Transfers finalized per second while the load was offered: the transfers of the blocks decided
   * after the first one of the timed run, up to the end of sending, over the time between those
   * decisions. Counting timed transfers over the run's length instead would charge the pipeline's
   * fill (no block before the first one's latency) and the final drain against the chain. {@code
   * fallback} where fewer than two blocks were decided (one chain per block stream: with several
   * chains, use the fallback).
   */
  private static double finalizedRate(
      Collection<LoadLedger.Block> seen, long start, long end, double fallback) {
    List<LoadLedger.Block> b =
        seen.stream().filter(x -> x.decidedNanos() >= start && x.decidedNanos() <= end).toList();
    if (b.size() < 2 || b.stream().map(LoadLedger.Block::chain).distinct().count() > 1) {
      return fallback;
    }
    long txs = 0;
    for (int i = 1; i < b.size(); i++) {
      txs += b.get(i).txs();
    }
    return txs / ((b.getLast().decidedNanos() - b.getFirst().decidedNanos()) / 1e9);
  }

  /**
   * How the chain kept up: blocks decided, transactions per block and the time between blocks (mean
   * and worst), and how many needed more than one round: a throughput shortfall reads as either
   * small blocks (the mempool or gossip behind) or long intervals (execution or consensus). With
   * {@code perBlock}, one line per block too: where the latency tail comes from.
   */
  private static void printBlocks(Collection<LoadLedger.Block> seen, long start, boolean perBlock) {
    List<LoadLedger.Block> b = seen.stream().filter(x -> x.decidedNanos() >= start).toList();
    if (b.size() < 2) {
      System.out.println("blocks: fewer than two decided during the run");
      return;
    }
    long maxGap = 0;
    for (int i = 1; i < b.size(); i++) {
      maxGap = Math.max(maxGap, b.get(i).decidedNanos() - b.get(i - 1).decidedNanos());
    }
    if (perBlock) {
      for (int i = 1; i < b.size(); i++) {
        LoadLedger.Block x = b.get(i);
        System.out.printf(
            "block %d round %d: %d txs, %.0f ms after the previous; newest transfer %.0f ms,"
                + " oldest %.0f ms%n",
            x.height(),
            x.round(),
            x.txs(),
            (x.decidedNanos() - b.get(i - 1).decidedNanos()) / 1e6,
            x.newestNanos() / 1e6,
            x.oldestNanos() / 1e6);
      }
    }
    double meanGap =
        (b.getLast().decidedNanos() - b.getFirst().decidedNanos()) / 1e6 / (b.size() - 1);
    System.out.printf(
        "blocks=%d txs/block mean=%.0f max=%d interval mean=%.0f ms max=%.0f ms later-rounds=%d%n",
        b.size(),
        b.stream().mapToInt(LoadLedger.Block::txs).average().orElse(0),
        b.stream().mapToInt(LoadLedger.Block::txs).max().orElse(0),
        meanGap,
        maxGap / 1e6,
        b.stream().filter(x -> x.round() > 0).count());
  }

  record Workload(Genesis genesis, List<Bytes> txs) {}

  /**
   * Funded accounts and {@code total} transfers from them, signed up front for chain {@code id}.
   */
  static Workload workload(long id, int accounts, int total) {
    return workload(id, accounts, total, DEFAULT_GAS_LIMIT);
  }

  /** The block gas limit of {@link #workload(long, int, int)}'s genesis. */
  static final long DEFAULT_GAS_LIMIT = 60_000_000;

  /** As {@link #workload(long, int, int)}, with the chain's block gas limit. */
  static Workload workload(long id, int accounts, int total, long gasLimit) {
    List<Secp256k1PrivateKey> keys = new ArrayList<>();
    SecureRandom random = new SecureRandom();
    for (int i = 0; i < accounts; i++) {
      keys.add(Secp256k1PrivateKey.generate(random));
    }
    List<Bytes> txs = new ArrayList<>(total);
    BigInteger gwei = BigInteger.TEN.pow(9);
    Address to = Address.fromHex("0x000000000000000000000000000000000000bEEF");
    for (int i = 0; i < total; i++) {
      txs.add(
          TxSigner.sign(
                  new DynamicFeeTransaction(
                      id,
                      i / accounts,
                      gwei,
                      gwei.multiply(BigInteger.valueOf(50)),
                      21_000,
                      Optional.of(to),
                      BigInteger.ONE,
                      Bytes.EMPTY,
                      List.of(),
                      null),
                  keys.get(i % accounts))
              .encode());
    }
    Map<Address, BigInteger> alloc = new LinkedHashMap<>();
    for (Secp256k1PrivateKey k : keys) {
      alloc.put(k.address(), Genesis.AXN.multiply(BigInteger.valueOf(1000)));
    }
    return new Workload(new Genesis(id, gasLimit, BaseFee.ethereum(), alloc), txs);
  }

  /** One chain of one validator. */
  private record Instance(EvmChain chain, ValidatorNode node, EthRpcServer rpc, URI endpoint) {}

  /**
   * {@code n} validators each running every chain of {@code geneses}; {@code txs.get(c)} is offered
   * to chain c at {@code rate} per second, spread over the validators' endpoints.
   */
  static Result run(int n, List<Genesis> geneses, int rate, int seconds, List<List<Bytes>> txs)
      throws Exception {
    return run(n, geneses, rate, seconds, txs, DEFAULT_COMMIT_MS, 1, 0, false);
  }

  /** The consensus commit timeout (the pause after a decided block) of the default run. */
  static final long DEFAULT_COMMIT_MS = 1000;

  /**
   * As above, with consensus's commit timeout (how long a node waits after deciding a block) and
   * the most transactions per HTTP request: 1 sends each as its own {@code eth_sendRawTransaction}
   * call, as wallets do; more sends what is due together as one JSON-RPC batch per endpoint. The
   * first {@code warmupSeconds} of load (the first {@code rate * warmupSeconds} transfers of each
   * chain, sent at the same rate) are not timed: the JIT compiles the nodes' paths under load, as a
   * JMH warm-up does. The timed run starts once the chain has finalized them (at most a minute
   * later), so that a backlog the cold JIT left is not timed as the warm chain's latency. {@code
   * blockLog} prints a line per block decided in the timed run.
   */
  static Result run(
      int n,
      List<Genesis> geneses,
      int rate,
      int seconds,
      List<List<Bytes>> txs,
      long commitMs,
      int batch,
      int warmupSeconds,
      boolean blockLog)
      throws Exception {
    Path dir = Files.createTempDirectory("axivon-cluster-load");
    SecureRandom random = new SecureRandom();
    List<BlsSecretKey> keys = new ArrayList<>();
    List<Validator> set = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      BlsSecretKey k = BlsSecretKey.generate(random);
      keys.add(k);
      set.add(new Validator(k.publicKey(), 100));
    }
    int chains = geneses.size();
    List<P2pNode> p2ps = new ArrayList<>();
    // instances.get(c).get(v): chain c on validator v
    List<List<Instance>> instances = new ArrayList<>();
    for (int c = 0; c < chains; c++) {
      instances.add(new ArrayList<>());
    }
    // One sender cache per chain, shared by its validators: a process recovers each signature once
    List<SenderCache> senderCaches = new ArrayList<>();
    for (int c = 0; c < chains; c++) {
      senderCaches.add(new SenderCache(EvmChain.SENDER_CACHE_SIZE));
    }
    int perChain = txs.getFirst().size();
    int untimed = Math.min(perChain, rate * warmupSeconds);
    LoadLedger ledger = new LoadLedger(txs, untimed);
    AtomicLong refused = new AtomicLong();
    Semaphore inFlight = new Semaphore(MAX_IN_FLIGHT);
    // Each request on a virtual thread of its own, blocking on a pooled keep-alive socket
    // (JsonRpcClient's prepared calls): the JDK HTTP client's selector and reactive hand-offs cost
    // the in-process generator more CPU than a validator's work on the transaction.
    ExecutorService senders = Executors.newVirtualThreadPerTaskExecutor();
    // Request bodies are written before the clock starts, as the signatures are: the run measures
    // the chain, not the generator's hex encoding.
    List<List<JsonRpcClient.Prepared>> bodies = new ArrayList<>();
    for (List<Bytes> chainTxs : txs) {
      List<JsonRpcClient.Prepared> b = new ArrayList<>(chainTxs.size());
      for (Bytes tx : chainTxs) {
        b.add(
            new JsonRpcClient.Prepared(
                "eth_sendRawTransaction",
                ("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"eth_sendRawTransaction\",\"params\":[\""
                        + tx.toHexString()
                        + "\"]}")
                    .getBytes(StandardCharsets.ISO_8859_1)));
      }
      bodies.add(b);
    }
    try {
      List<ConsensusGenesis> consensus = new ArrayList<>();
      for (int v = 0; v < n; v++) {
        List<PeerAddress> peers = p2ps.stream().map(P2pNode::localAddress).toList();
        CollectorRegistry registry = new CollectorRegistry();
        P2pNode p2p =
            new P2pNode(
                new P2pConfig(
                    "127.0.0.1", 0, NodeKey.generate(), 4244, peers, P2pLimits.defaults()),
                registry);
        ConsensusMetrics metrics = new ConsensusMetrics(registry);
        for (int c = 0; c < chains; c++) {
          EvmChain chain =
              EvmChain.open(
                  dir.resolve("v" + v).resolve("c" + c).resolve("evm"),
                  geneses.get(c),
                  SystemModules.none(),
                  senderCaches.get(c));
          if (consensus.size() == c) {
            consensus.add(
                new ConsensusGenesis(
                    "cluster-load-" + c,
                    0,
                    ValidatorSet.of(set),
                    chain.index().block(0).orElseThrow().stateRoot()));
          }
          Application[] app = new Application[1];
          Mempool mempool =
              Mempool.of(new MempoolConfig(200_000, 256L << 20, 128 << 10, 64, 10), () -> app[0]);
          Address coinbase = Address.fromHex("0x00000000000000000000000000000000000c0ffe");
          app[0] =
              new EvmApplication(
                  chain,
                  max -> mempool.reap(max, Integer.MAX_VALUE),
                  Clock.system(),
                  h -> coinbase);
          ValidatorNode node =
              new ValidatorNode(
                  new ValidatorNode.Options(
                      consensus.get(c),
                      dir.resolve("v" + v).resolve("c" + c),
                      Optional.of(keys.get(v)),
                      new TimeoutConfig(3000, 500, 1000, 500, 1000, 500, commitMs),
                      4L << 20,
                      Duration.ofMillis(250)),
                  p2p,
                  app[0],
                  mempool,
                  metrics);
          RpcConfig rpc = RpcConfig.defaults().withPort(0);
          EthRpcServer server =
              new EthRpcServer(rpc, new EthApi(ChainBackend.forNode(chain, node, p2p), rpc));
          instances.get(c).add(new Instance(chain, node, server, null));
        }
        p2p.start();
        p2ps.add(p2p);
        for (int c = 0; c < chains; c++) {
          Instance i = instances.get(c).get(v);
          i.node().start();
          InetSocketAddress at = i.rpc().start();
          instances
              .get(c)
              .set(
                  v,
                  new Instance(
                      i.chain(),
                      i.node(),
                      i.rpc(),
                      URI.create("http://127.0.0.1:" + at.getPort() + "/")));
        }
      }
      long warmUntil = System.nanoTime() + Duration.ofSeconds(60).toNanos();
      while (instances.stream().flatMap(List::stream).anyMatch(i -> i.node().height() < 3)
          && System.nanoTime() < warmUntil) {
        Thread.sleep(20);
      }
      for (int c = 0; c < chains; c++) {
        int chain = c;
        instances.get(c).getFirst().node().addDecidedListener(b -> ledger.decided(chain, b));
      }
      List<List<JsonRpcClient>> clients = new ArrayList<>();
      for (List<Instance> chain : instances) {
        clients.add(
            chain.stream()
                .map(i -> new JsonRpcClient(i.endpoint(), Duration.ofSeconds(30)))
                .toList());
      }
      long phaseStart = System.nanoTime();
      int phaseFirst = 0;
      Map<String, long[]> cpuBefore = Map.of();
      long start = 0; // when timing starts: after the warm-up's transfers are final
      int sent = 0;
      while (sent < perChain) {
        if (start == 0 && sent >= untimed) {
          // The chain finalizes the warm-up's transfers first: what a cold JIT left queued
          // would otherwise be timed as the warm chain's latency.
          long drainUntil = System.nanoTime() + Duration.ofSeconds(60).toNanos();
          while (ledger.warmPending() > 0 && System.nanoTime() < drainUntil) {
            Thread.sleep(50);
          }
          start = System.nanoTime();
          phaseStart = start;
          phaseFirst = sent;
          cpuBefore = ThreadCpu.read();
        }
        long due =
            Math.min(
                start == 0 ? untimed : perChain,
                phaseFirst + (System.nanoTime() - phaseStart) * rate / 1_000_000_000L);
        if (batch > 1) {
          for (int from = sent; from < due; from += batch) {
            int to = (int) Math.min(due, from + batch);
            for (int c = 0; c < chains; c++) {
              List<Bytes> group = txs.get(c).subList(from, to);
              JsonRpcClient client = clients.get(c).get((from / batch) % n);
              inFlight.acquire();
              for (int i = from; i < to; i++) {
                ledger.sent(c, i);
              }
              int chain = c;
              int first = from;
              senders.execute(
                  () -> {
                    try {
                      JsonRpcClient.Batch b = client.batch();
                      List<JsonRpcClient.BatchResult<String>> results = new ArrayList<>();
                      for (Bytes tx : group) {
                        results.add(
                            b.add("eth_sendRawTransaction", String.class, tx.toHexString()));
                      }
                      b.send();
                      for (JsonRpcClient.BatchResult<String> r : results) {
                        try {
                          r.get();
                        } catch (JsonRpcException e) {
                          refused.incrementAndGet();
                        }
                      }
                    } catch (JsonRpcException e) {
                      refused.addAndGet(group.size());
                    } finally {
                      for (int i = first; i < first + group.size(); i++) {
                        ledger.answered(chain, i);
                      }
                      inFlight.release();
                    }
                  });
            }
          }
          sent = (int) due;
        }
        while (sent < due) {
          for (int c = 0; c < chains; c++) {
            JsonRpcClient.Prepared body = bodies.get(c).get(sent);
            JsonRpcClient client = clients.get(c).get(sent % n);
            inFlight.acquire();
            ledger.sent(c, sent);
            int chain = c;
            int i = sent;
            senders.execute(
                () -> {
                  try {
                    client.send(body);
                  } catch (JsonRpcException e) {
                    refused.incrementAndGet();
                  } finally {
                    ledger.answered(chain, i);
                    inFlight.release();
                  }
                });
          }
          sent++;
        }
        Thread.sleep(2);
      }
      long sendEnd = System.nanoTime();
      long drainUntil = System.nanoTime() + Duration.ofSeconds(20).toNanos();
      while (ledger.timedPending() > 0 && System.nanoTime() < drainUntil) {
        Thread.sleep(50);
      }
      if (start == 0) {
        start = System.nanoTime(); // nothing timed: every transfer was warm-up
      }
      double elapsed = (System.nanoTime() - start) / 1e9;
      long[] sorted = ledger.latencies();
      int count = sorted.length;
      List<LoadLedger.Block> blocks = ledger.blocks();
      printBlocks(blocks, start, blockLog);
      Map<String, long[]> cpuAfter = ThreadCpu.read();
      ThreadCpu.print(cpuBefore, cpuAfter, count, "finalized transfer", 1000);
      long[] cpu =
          ThreadCpu.since(cpuBefore, cpuAfter).getOrDefault(ThreadCpu.PROCESS, new long[2]);
      double cpuMs = (cpu[0] + cpu[1]) * 1000 / ThreadCpu.TICKS_PER_SECOND;
      long[] answers = ledger.answerTimes();
      return new Result(
          chains,
          finalizedRate(blocks, start, sendEnd, count / Math.max(elapsed, seconds)),
          percentileMs(sorted, 0.5),
          percentileMs(sorted, 0.99),
          refused.get(),
          count,
          cpuMs / Math.max(1, count),
          percentileMs(answers, 0.5),
          percentileMs(answers, 0.99));
    } finally {
      ledger.close();
      for (List<Instance> chain : instances) {
        for (Instance i : chain) {
          i.rpc().close();
        }
      }
      for (P2pNode p : p2ps) {
        p.close();
      }
      for (List<Instance> chain : instances) {
        for (Instance i : chain) {
          i.node().close();
          i.chain().close();
        }
      }
      senders.shutdownNow();
      // every run leaves several validators' stores behind otherwise (dozens filled /tmp)
      PathUtils.deleteDirectory(dir);
    }
  }
}
