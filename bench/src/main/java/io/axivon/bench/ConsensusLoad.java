package io.axivon.bench;

import io.axivon.common.crypto.Hashes;
import io.axivon.common.crypto.bls.BlsSecretKey;
import io.axivon.consensus.app.Application;
import io.axivon.consensus.app.FinalizeResult;
import io.axivon.consensus.app.ProposalBody;
import io.axivon.consensus.app.TxCheck;
import io.axivon.consensus.app.TxSource;
import io.axivon.consensus.engine.TimeoutConfig;
import io.axivon.consensus.mempool.AddResult;
import io.axivon.consensus.mempool.Mempool;
import io.axivon.consensus.mempool.MempoolConfig;
import io.axivon.consensus.node.ConsensusGenesis;
import io.axivon.consensus.node.ValidatorNode;
import io.axivon.consensus.types.Block;
import io.axivon.consensus.types.Validator;
import io.axivon.consensus.types.ValidatorSet;
import io.axivon.p2p.NodeKey;
import io.axivon.p2p.P2pConfig;
import io.axivon.p2p.P2pLimits;
import io.axivon.p2p.P2pNode;
import io.axivon.p2p.PeerAddress;
import io.prometheus.client.CollectorRegistry;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.tuweni.bytes.Bytes;
import org.apache.tuweni.bytes.Bytes32;

/**
 * Load generator for the consensus target: N validators over real P2P on loopback, each
 * with its own block store and WAL, a no-op application, 200-byte transactions submitted at a fixed
 * rate round-robin to the validators, a block every second. Prints finalized transactions per
 * second and submit-to-final latency (median, p99), and the same for one validator alone (the
 * reference: no network round trips) with the ratio.
 *
 * <p>Run: {@code bench/load ConsensusLoad [--validators 4] [--rate 8000] [--seconds 20]
 * [--max-block-bytes 2097152] [--commit-ms 1000]}: the commit timeout is the pause after each
 * block, so the block interval is about it plus one round of votes.
 */
public final class ConsensusLoad {
  private ConsensusLoad() {}

  record Result(int validators, double txPerSecond, double p50Ms, double p99Ms, long blocks) {}

  /** Accepts every transaction, keeps no state: what the consensus layer alone can carry. */
  static final class NoopApplication implements Application {
    private final TxSource source;
    private long lastTime;

    NoopApplication(TxSource source) {
      this.source = source;
    }

    @Override
    public TxCheck checkTx(Bytes tx) {
      return new TxCheck.Accepted(Hashes.keccak256(tx), 0, 0, 0);
    }

    @Override
    public ProposalBody prepareProposal(long height, long maxBytes) {
      return new ProposalBody(
          source.candidates(maxBytes), Math.max(lastTime + 1, System.currentTimeMillis()));
    }

    @Override
    public boolean processProposal(Block block) {
      return block.header().timeMillis() > lastTime;
    }

    @Override
    public FinalizeResult finalizeBlock(Block block) {
      lastTime = block.header().timeMillis();
      return new FinalizeResult(Bytes32.ZERO, List.of());
    }

    @Override
    public void commit() {}
  }

  public static void main(String[] args) throws Exception {
    int validators = 4;
    int rate = 8000;
    int seconds = 20;
    long maxBlockBytes = 2L << 20;
    long commitMs = 1000;
    for (int i = 0; i + 1 < args.length; i += 2) {
      switch (args[i]) {
        case "--validators" -> validators = Integer.parseInt(args[i + 1]);
        case "--rate" -> rate = Integer.parseInt(args[i + 1]);
        case "--seconds" -> seconds = Integer.parseInt(args[i + 1]);
        case "--max-block-bytes" -> maxBlockBytes = Long.parseLong(args[i + 1]);
        case "--commit-ms" -> commitMs = Long.parseLong(args[i + 1]);
        default -> throw new IllegalArgumentException("unknown option " + args[i]);
      }
    }
    Result reference = run(1, rate, seconds, maxBlockBytes, commitMs);
    Result cluster = run(validators, rate, seconds, maxBlockBytes, commitMs);
    for (Result r : List.of(reference, cluster)) {
      System.out.printf(
          "validators=%d offered=%d tx/s finalized=%.0f tx/s p50=%.0f ms p99=%.0f ms blocks=%d%n",
          r.validators(), rate, r.txPerSecond(), r.p50Ms(), r.p99Ms(), r.blocks());
    }
    System.out.printf(
        "ratio %d validators / 1 validator: throughput %.2fx, p99 %.2fx%n",
        validators,
        cluster.txPerSecond() / reference.txPerSecond(),
        cluster.p99Ms() / reference.p99Ms());
  }

  static Result run(int n, int rate, int seconds, long maxBlockBytes, long commitMs)
      throws IOException, InterruptedException {
    Path dir = Files.createTempDirectory("axivon-consensus-load");
    SecureRandom random = new SecureRandom();
    List<BlsSecretKey> keys = new ArrayList<>();
    List<Validator> set = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      BlsSecretKey k = BlsSecretKey.generate(random);
      keys.add(k);
      set.add(new Validator(k.publicKey(), 100));
    }
    ConsensusGenesis genesis = new ConsensusGenesis("load", 0, ValidatorSet.of(set), Bytes32.ZERO);
    TimeoutConfig timeouts = new TimeoutConfig(3000, 500, 1000, 500, 1000, 500, commitMs);
    List<P2pNode> p2ps = new ArrayList<>();
    List<ValidatorNode> nodes = new ArrayList<>();
    ConcurrentHashMap<Bytes32, Long> submitted = new ConcurrentHashMap<>();
    long[] latencies = new long[rate * (seconds + 10)];
    AtomicLong finalized = new AtomicLong();
    AtomicLong blocks = new AtomicLong();
    AtomicLong laterRounds = new AtomicLong();
    try {
      for (int i = 0; i < n; i++) {
        List<PeerAddress> peers = new ArrayList<>();
        for (P2pNode p : p2ps) {
          peers.add(p.localAddress());
        }
        P2pNode p2p =
            new P2pNode(
                new P2pConfig(
                    "127.0.0.1", 0, NodeKey.generate(), 4242, peers, P2pLimits.defaults()),
                new CollectorRegistry());
        Application[] app = new Application[1];
        Mempool mempool =
            Mempool.of(new MempoolConfig(200_000, 256L << 20, 4096, 64, 10), () -> app[0]);
        app[0] = new NoopApplication(max -> mempool.reap(max, Integer.MAX_VALUE));
        ValidatorNode node =
            new ValidatorNode(
                new ValidatorNode.Options(
                    genesis,
                    dir.resolve("v" + i),
                    Optional.of(keys.get(i)),
                    timeouts,
                    maxBlockBytes,
                    Duration.ofMillis(250)),
                p2p,
                app[0],
                mempool,
                new CollectorRegistry());
        p2p.start();
        node.start();
        p2ps.add(p2p);
        nodes.add(node);
      }
      // Warm-up: the mesh forms and the first heights pass before the load starts.
      long warmUntil = System.nanoTime() + Duration.ofSeconds(30).toNanos();
      while (nodes.stream().anyMatch(v -> v.height() < 3) && System.nanoTime() < warmUntil) {
        Thread.sleep(20);
      }
      long start = System.nanoTime();
      long measureFrom = start + Duration.ofSeconds(3).toNanos();
      long measureTo = measureFrom + Duration.ofSeconds(seconds).toNanos();
      nodes
          .get(0)
          .addDecidedListener(
              b -> {
                long now = System.nanoTime();
                blocks.incrementAndGet();
                if (b.commit().round() > 0 && System.nanoTime() >= measureFrom) {
                  laterRounds.incrementAndGet();
                }
                for (Bytes tx : b.block().transactions()) {
                  Long at = submitted.remove(Hashes.keccak256(tx));
                  if (at != null && at >= measureFrom && at < measureTo) {
                    int idx = (int) finalized.getAndIncrement();
                    if (idx < latencies.length) {
                      latencies[idx] = now - at;
                    }
                  }
                }
              });
      SplittableRandom txRandom = new SplittableRandom(42);
      long sent = 0;
      long rejected = 0;
      while (System.nanoTime() < measureTo) {
        long due = (System.nanoTime() - start) * rate / 1_000_000_000L;
        while (sent < due) {
          byte[] body = new byte[200];
          txRandom.nextBytes(body);
          Bytes tx = Bytes.wrap(body);
          long now = System.nanoTime();
          submitted.put(Hashes.keccak256(tx), now);
          if (!(nodes.get((int) (sent % n)).submit(tx) instanceof AddResult.Added)) {
            rejected++;
          }
          sent++;
        }
        Thread.sleep(2);
      }
      // Let the last transactions of the window finalize.
      long drainUntil = System.nanoTime() + Duration.ofSeconds(5).toNanos();
      while (System.nanoTime() < drainUntil
          && submitted.values().stream().anyMatch(t -> t < measureTo)) {
        Thread.sleep(50);
      }
      int count = (int) Math.min(finalized.get(), latencies.length);
      long[] sorted = Arrays.copyOf(latencies, count);
      Arrays.sort(sorted);
      if (laterRounds.get() > 0) {
        System.out.println("  (" + laterRounds.get() + " blocks needed more than one round)");
      }
      if (rejected > 0) {
        System.out.println("  (" + rejected + " submissions refused by the mempool)");
      }
      return new Result(
          n,
          count / (double) seconds,
          count == 0 ? Double.NaN : sorted[count / 2] / 1e6,
          count == 0 ? Double.NaN : sorted[Math.min(count - 1, (int) (count * 0.99))] / 1e6,
          blocks.get());
    } finally {
      for (P2pNode p : p2ps) {
        p.close();
      }
      for (ValidatorNode v : nodes) {
        v.close();
      }
    }
  }
}
