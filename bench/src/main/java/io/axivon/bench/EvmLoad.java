package io.axivon.bench;

import io.axivon.common.crypto.Hashes;
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
import io.axivon.consensus.execution.tx.DynamicFeeTransaction;
import io.axivon.consensus.execution.tx.TxSigner;
import io.axivon.consensus.mempool.Mempool;
import io.axivon.consensus.mempool.MempoolConfig;
import io.axivon.consensus.node.ConsensusGenesis;
import io.axivon.consensus.node.ValidatorNode;
import io.axivon.consensus.rpc.ChainBackend;
import io.axivon.consensus.rpc.ChainGuard;
import io.axivon.consensus.rpc.EthApi;
import io.axivon.consensus.rpc.EthRpcServer;
import io.axivon.consensus.rpc.GuardedApplication;
import io.axivon.consensus.rpc.RpcConfig;
import io.axivon.consensus.types.Validator;
import io.axivon.consensus.types.ValidatorSet;
import io.axivon.p2p.NodeKey;
import io.axivon.p2p.P2pConfig;
import io.axivon.p2p.P2pLimits;
import io.axivon.p2p.P2pNode;
import io.axivon.p2p.PeerAddress;
import io.prometheus.client.CollectorRegistry;
import java.math.BigInteger;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.tuweni.bytes.Bytes;
import org.apache.tuweni.bytes.Bytes32;

/**
 * Load generator for the execution issue's target: N validators on loopback running the EVM, each
 * with its own JSON-RPC server; signed EIP-1559 transfers from many funded accounts are sent with
 * {@code eth_sendRawTransaction} over HTTP, spread over the validators' endpoints. Prints finalized
 * transfers per second and submit-to-final latency (when the transfer is in a decided block, i.e.
 * its receipt exists), and the same for one validator alone (the reference) with the ratio.
 *
 * <p>Run: {@code bench/load EvmLoad [--validators 4] [--rate 2000] [--seconds 15] [--accounts
 * 2000]}.
 */
public final class EvmLoad {
  private static final long CHAIN_ID = 12_777;

  /** Most requests in flight; when reached, sending waits (the offered rate is then not met). */
  private static final int MAX_IN_FLIGHT = 2_000;

  private EvmLoad() {}

  record Result(int validators, double txPerSecond, double p50Ms, double p99Ms, long refused) {}

  public static void main(String[] args) throws Exception {
    int validators = 4;
    int rate = 2000;
    int seconds = 15;
    int accounts = 2000;
    for (int i = 0; i + 1 < args.length; i += 2) {
      switch (args[i]) {
        case "--validators" -> validators = Integer.parseInt(args[i + 1]);
        case "--rate" -> rate = Integer.parseInt(args[i + 1]);
        case "--seconds" -> seconds = Integer.parseInt(args[i + 1]);
        case "--accounts" -> accounts = Integer.parseInt(args[i + 1]);
        default -> throw new IllegalArgumentException("unknown option " + args[i]);
      }
    }
    List<Secp256k1PrivateKey> keys = new ArrayList<>();
    SecureRandom random = new SecureRandom();
    for (int i = 0; i < accounts; i++) {
      keys.add(Secp256k1PrivateKey.generate(random));
    }
    // Signed up front: the generator measures the chain, not its own signing.
    int total = rate * seconds;
    List<Bytes> txs = new ArrayList<>(total);
    BigInteger gwei = BigInteger.TEN.pow(9);
    Address to = Address.fromHex("0x000000000000000000000000000000000000bEEF");
    for (int i = 0; i < total; i++) {
      Secp256k1PrivateKey from = keys.get(i % accounts);
      long nonce = i / accounts;
      txs.add(
          TxSigner.sign(
                  new DynamicFeeTransaction(
                      CHAIN_ID,
                      nonce,
                      gwei,
                      gwei.multiply(BigInteger.valueOf(50)),
                      21_000,
                      Optional.of(to),
                      BigInteger.ONE,
                      Bytes.EMPTY,
                      List.of(),
                      null),
                  from)
              .encode());
    }
    Map<Address, BigInteger> alloc = new LinkedHashMap<>();
    for (Secp256k1PrivateKey k : keys) {
      alloc.put(k.address(), Genesis.AXN.multiply(BigInteger.valueOf(1000)));
    }
    Genesis genesis = new Genesis(CHAIN_ID, 60_000_000, BaseFee.ethereum(), alloc);
    Result reference = run(1, rate, seconds, genesis, txs);
    Result cluster = run(validators, rate, seconds, genesis, txs);
    for (Result r : List.of(reference, cluster)) {
      System.out.printf(
          "validators=%d offered=%d tx/s finalized=%.0f tx/s p50=%.0f ms p99=%.0f ms refused=%d%n",
          r.validators(), rate, r.txPerSecond(), r.p50Ms(), r.p99Ms(), r.refused());
    }
    System.out.printf(
        "ratio %d validators / 1 validator: throughput %.2fx%n",
        validators, cluster.txPerSecond() / reference.txPerSecond());
  }

  static Result run(int n, int rate, int seconds, Genesis evmGenesis, List<Bytes> txs)
      throws Exception {
    Path dir = Files.createTempDirectory("axivon-evm-load");
    SecureRandom random = new SecureRandom();
    List<BlsSecretKey> keys = new ArrayList<>();
    List<Validator> set = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      BlsSecretKey k = BlsSecretKey.generate(random);
      keys.add(k);
      set.add(new Validator(k.publicKey(), 100));
    }
    List<P2pNode> p2ps = new ArrayList<>();
    List<ValidatorNode> nodes = new ArrayList<>();
    List<EvmChain> chains = new ArrayList<>();
    List<EthRpcServer> servers = new ArrayList<>();
    List<URI> endpoints = new ArrayList<>();
    ConcurrentHashMap<Bytes32, Long> submitted = new ConcurrentHashMap<>();
    long[] latencies = new long[txs.size()];
    AtomicLong finalized = new AtomicLong();
    AtomicLong refused = new AtomicLong();
    // one connection per request in flight: unbounded, a stalled server exhausts file descriptors
    Semaphore inFlight = new Semaphore(MAX_IN_FLIGHT);
    ExecutorService senders = Executors.newVirtualThreadPerTaskExecutor();
    try (HttpClient http = HttpClient.newBuilder().executor(senders).build()) {
      ConsensusGenesis genesis = null;
      for (int i = 0; i < n; i++) {
        EvmChain chain = EvmChain.open(dir.resolve("v" + i).resolve("evm"), evmGenesis);
        chains.add(chain);
        if (genesis == null) {
          genesis =
              new ConsensusGenesis(
                  "evm-load",
                  0,
                  ValidatorSet.of(set),
                  chain.index().block(0).orElseThrow().stateRoot());
        }
        List<PeerAddress> peers = new ArrayList<>();
        for (P2pNode p : p2ps) {
          peers.add(p.localAddress());
        }
        P2pNode p2p =
            new P2pNode(
                new P2pConfig(
                    "127.0.0.1", 0, NodeKey.generate(), 4243, peers, P2pLimits.defaults()),
                new CollectorRegistry());
        ChainGuard guard = new ChainGuard();
        Application[] app = new Application[1];
        Mempool mempool =
            new Mempool(
                new MempoolConfig(200_000, 256L << 20, 128 << 10, 64, 10),
                tx -> app[0].checkTx(tx));
        Address coinbase = Address.fromHex("0x00000000000000000000000000000000000c0ffe");
        app[0] =
            new GuardedApplication(
                new EvmApplication(
                    chain,
                    max -> mempool.reap(max, Integer.MAX_VALUE),
                    Clock.system(),
                    h -> coinbase),
                guard);
        ValidatorNode node =
            new ValidatorNode(
                new ValidatorNode.Options(
                    genesis,
                    dir.resolve("v" + i),
                    Optional.of(keys.get(i)),
                    new TimeoutConfig(3000, 500, 1000, 500, 1000, 500, 1000),
                    4L << 20,
                    Duration.ofMillis(250)),
                p2p,
                app[0],
                mempool,
                new CollectorRegistry());
        p2p.start();
        node.start();
        RpcConfig rpc = RpcConfig.defaults().withPort(0);
        EthRpcServer server =
            new EthRpcServer(rpc, new EthApi(ChainBackend.forNode(chain, guard, node, p2p), rpc));
        InetSocketAddress at = server.start();
        servers.add(server);
        endpoints.add(URI.create("http://127.0.0.1:" + at.getPort() + "/"));
        p2ps.add(p2p);
        nodes.add(node);
      }
      long warmUntil = System.nanoTime() + Duration.ofSeconds(30).toNanos();
      while (nodes.stream().anyMatch(v -> v.height() < 3) && System.nanoTime() < warmUntil) {
        Thread.sleep(20);
      }
      nodes
          .get(0)
          .addDecidedListener(
              b -> {
                long now = System.nanoTime();
                for (Bytes tx : b.block().transactions()) {
                  Long sentAt = submitted.remove(Hashes.keccak256(tx));
                  if (sentAt != null) {
                    latencies[(int) finalized.getAndIncrement()] = now - sentAt;
                  }
                }
              });
      long start = System.nanoTime();
      int sent = 0;
      while (sent < txs.size()) {
        long due = Math.min(txs.size(), (System.nanoTime() - start) * rate / 1_000_000_000L);
        while (sent < due) {
          Bytes tx = txs.get(sent);
          URI endpoint = endpoints.get(sent % endpoints.size());
          inFlight.acquire();
          submitted.put(Hashes.keccak256(tx), System.nanoTime());
          String body =
              "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"eth_sendRawTransaction\",\"params\":[\""
                  + tx.toHexString()
                  + "\"]}";
          http.sendAsync(
                  HttpRequest.newBuilder(endpoint)
                      .header("Content-Type", "application/json")
                      .POST(HttpRequest.BodyPublishers.ofString(body))
                      .build(),
                  HttpResponse.BodyHandlers.ofString())
              .thenAccept(
                  r -> {
                    if (r.body().contains("\"error\"")) {
                      refused.incrementAndGet();
                    }
                  })
              .whenComplete((ok, failed) -> inFlight.release());
          sent++;
        }
        Thread.sleep(2);
      }
      long drainUntil = System.nanoTime() + Duration.ofSeconds(20).toNanos();
      while (!submitted.isEmpty() && System.nanoTime() < drainUntil) {
        Thread.sleep(50);
      }
      double elapsed = (System.nanoTime() - start) / 1e9;
      int count = (int) finalized.get();
      long[] sorted = Arrays.copyOf(latencies, count);
      Arrays.sort(sorted);
      return new Result(
          n,
          count / Math.max(elapsed, seconds),
          count == 0 ? Double.NaN : sorted[count / 2] / 1e6,
          count == 0 ? Double.NaN : sorted[Math.min(count - 1, (int) (count * 0.99))] / 1e6,
          refused.get());
    } finally {
      for (EthRpcServer s : servers) {
        s.close();
      }
      for (P2pNode p : p2ps) {
        p.close();
      }
      for (ValidatorNode v : nodes) {
        v.close();
      }
      for (EvmChain c : chains) {
        c.close();
      }
      senders.shutdownNow();
    }
  }
}
