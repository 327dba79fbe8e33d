package io.axivon.consensus.node;

import static org.assertj.core.api.Assertions.assertThat;

import io.axivon.common.crypto.bls.BlsSecretKey;
import io.axivon.consensus.app.Application;
import io.axivon.consensus.app.KvApplication;
import io.axivon.consensus.engine.TimeoutConfig;
import io.axivon.consensus.mempool.AddResult;
import io.axivon.consensus.mempool.Mempool;
import io.axivon.consensus.mempool.MempoolConfig;
import io.axivon.consensus.store.StoredBlock;
import io.axivon.consensus.types.Validator;
import io.axivon.consensus.types.ValidatorSet;
import io.axivon.p2p.NodeKey;
import io.axivon.p2p.P2pConfig;
import io.axivon.p2p.P2pLimits;
import io.axivon.p2p.P2pNode;
import io.axivon.p2p.PeerAddress;
import io.prometheus.client.CollectorRegistry;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import java.util.function.UnaryOperator;
import org.apache.tuweni.bytes.Bytes;
import org.apache.tuweni.bytes.Bytes32;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Four validators over real P2P sockets on loopback in one JVM: they finalize blocks with the
 * transactions given to any of them, keep going without one, and the one that was stopped restarts
 * from its data dir, catches up by block sync and signs again.
 */
class ValidatorNetworkIT {
  private static final TimeoutConfig FAST = new TimeoutConfig(800, 200, 300, 100, 300, 100, 50);

  @TempDir Path dir;

  private final List<BlsSecretKey> keys = new ArrayList<>();
  private final List<NodeKey> nodeKeys = new ArrayList<>();
  private final List<Running> running = new ArrayList<>();
  private ConsensusGenesis genesis;

  record Running(P2pNode p2p, ValidatorNode node, CollectorRegistry metrics) {
    void close() {
      p2p.close();
      node.close();
    }
  }

  @AfterEach
  void stop() {
    for (Running r : running) {
      if (r != null) {
        r.close();
      }
    }
  }

  private void setUp(int n) {
    SecureRandom random = new SecureRandom();
    List<Validator> set = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      BlsSecretKey k = BlsSecretKey.generate(random);
      keys.add(k);
      nodeKeys.add(NodeKey.generate(random));
      set.add(new Validator(k.publicKey(), 10));
    }
    genesis = new ConsensusGenesis("it-chain", 0, ValidatorSet.of(set), Bytes32.ZERO);
    for (int i = 0; i < n; i++) {
      running.add(null);
    }
  }

  private Running start(int i) {
    return start(i, FAST, app -> app);
  }

  private Running start(int i, TimeoutConfig timeouts, UnaryOperator<Application> wrap) {
    P2pLimits limits =
        P2pLimits.defaults().toBuilder()
            .maintenanceInterval(Duration.ofMillis(50))
            .reconnect(Duration.ofMillis(50), Duration.ofMillis(500))
            .ioThreads(1)
            .build();
    List<PeerAddress> peers = new ArrayList<>();
    for (int j = 0; j < i; j++) {
      Running r = running.get(j);
      if (r != null) {
        peers.add(r.p2p().localAddress());
      }
    }
    P2pNode p2p =
        new P2pNode(
            new P2pConfig("127.0.0.1", 0, nodeKeys.get(i), 777, peers, limits),
            new CollectorRegistry());
    Application[] app = new Application[1];
    Mempool mempool = new Mempool(MempoolConfig.defaults(), tx -> app[0].checkTx(tx));
    app[0] =
        wrap.apply(
            new KvApplication(
                System::currentTimeMillis, max -> mempool.reap(max, Integer.MAX_VALUE)));
    CollectorRegistry metrics = new CollectorRegistry();
    ValidatorNode node =
        new ValidatorNode(
            new ValidatorNode.Options(
                genesis,
                dir.resolve("v" + i),
                Optional.of(keys.get(i)),
                timeouts,
                1 << 20,
                Duration.ofMillis(100)),
            p2p,
            app[0],
            mempool,
            metrics);
    p2p.start();
    node.start();
    Running r = new Running(p2p, node, metrics);
    running.set(i, r);
    return r;
  }

  private static void await(String what, BooleanSupplier condition) {
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("timed out waiting for: " + what);
      }
      try {
        Thread.sleep(20);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError(e);
      }
    }
  }

  private static Bytes tx(String s) {
    return Bytes.wrap(s.getBytes(StandardCharsets.UTF_8));
  }

  private boolean included(ValidatorNode node, Bytes tx) {
    for (long h = 1; h <= node.height(); h++) {
      if (node.block(h).orElseThrow().block().transactions().contains(tx)) {
        return true;
      }
    }
    return false;
  }

  @Test
  void fourValidatorsFinalizeSurviveAStopAndTheStoppedOneCatchesUp() {
    setUp(4);
    for (int i = 0; i < 4; i++) {
      start(i);
    }
    await("every node at height 3", () -> running.stream().allMatch(r -> r.node().height() >= 3));

    Bytes a = tx("alpha=1");
    assertThat(running.get(2).node().submit(a)).isInstanceOf(AddResult.Added.class);
    await("tx included everywhere", () -> running.stream().allMatch(r -> included(r.node(), a)));

    // Stop validator 3: 30 of 40 power remains, above two thirds.
    running.get(3).close();
    running.set(3, null);
    long at = running.get(0).node().height();
    await("the other three go on", () -> running.get(0).node().height() >= at + 3);

    Running back = start(3);
    long target = running.get(0).node().height() + 2;
    await("restarted node catches up", () -> back.node().height() >= target);
    // It signs again: some commit after its restart carries its signature.
    await(
        "restarted validator signs commits again",
        () -> {
          long top = running.get(0).node().height();
          for (long h = target; h <= top; h++) {
            StoredBlock b = running.get(0).node().block(h).orElseThrow();
            int idx = b.validators().indexOf(keys.get(3).publicKey());
            if (b.commit().signed(idx)) {
              return true;
            }
          }
          return false;
        });

    // Same chain everywhere, no equivocation seen.
    long common = running.stream().mapToLong(r -> r.node().height()).min().orElseThrow();
    for (long h = 1; h <= common; h++) {
      Bytes32 hash = running.get(0).node().block(h).orElseThrow().block().hash();
      for (Running r : running) {
        assertThat(r.node().block(h).orElseThrow().block().hash()).isEqualTo(hash);
      }
    }
    for (Running r : running) {
      assertThat(r.node().evidence().pending(10)).isEmpty();
    }
  }

  @Test
  void aValidatorStillExecutingTheBlockItDecidedDoesNotFetchItFromFasterPeers() {
    setUp(4);
    // One-second blocks; validator 3 takes 400 ms to execute each, the others no time: for most of
    // those 400 ms, every 100 ms poll finds peers that already stored the height it is deciding.
    TimeoutConfig oneSecondBlocks = new TimeoutConfig(3_000, 500, 1_000, 500, 1_000, 500, 1_000);
    for (int i = 0; i < 3; i++) {
      start(i, oneSecondBlocks, app -> app);
    }
    Running slow = start(3, oneSecondBlocks, app -> new SlowToExecute(app, 400));
    await("the slow validator at height 3", () -> slow.node().height() >= 3);
    long from = slow.node().height();
    double before = synced(slow);
    await("eight more heights", () -> slow.node().height() >= from + 8);

    // It decided every one of them itself, in step with the others (a block behind at most)...
    assertThat(running.get(0).node().height()).isLessThanOrEqualTo(slow.node().height() + 1);
    for (long h = from + 1; h <= from + 8; h++) {
      StoredBlock b = slow.node().block(h).orElseThrow();
      assertThat(b.commit().signed(b.validators().indexOf(keys.get(3).publicKey())))
          .as("the slow validator signed the commit of height %d", h)
          .isTrue();
    }
    // ...and did not fetch them again by block sync (before, nearly every height: a megabyte for
    // a full block, served, sent and checked again).
    assertThat(synced(slow) - before).as("blocks fetched by block sync").isLessThanOrEqualTo(1);
  }

  private static double synced(Running r) {
    Double v =
        r.metrics()
            .getSampleValue(
                "axivon_consensus_synced_blocks_total",
                new String[] {"chain"},
                new String[] {"it-chain"});
    return v == null ? 0 : v;
  }

  @Test
  void badConsensusMessagesAreDroppedAndTheirSenderPenalized() {
    setUp(1);
    Running v = start(0);
    await("height 2", () -> v.node().height() >= 2);
    P2pNode attacker =
        new P2pNode(
            new P2pConfig(
                "127.0.0.1",
                0,
                NodeKey.generate(),
                777,
                List.of(v.p2p().localAddress()),
                P2pLimits.defaults()),
            new CollectorRegistry());
    try {
      attacker.start();
      String topic = "chain/it-chain/consensus";
      attacker.subscribe(topic, io.axivon.p2p.GossipValidator.acceptAll(), (f, t, p) -> {});
      await("attacker connected", () -> v.p2p().isConnected(attacker.localId()));
      await(
          "validator subscribed",
          () -> attacker.peers().stream().anyMatch(p -> p.topics().contains(topic)));
      // A vote for the current height signed by a key that is not the validator's.
      long h = v.node().height() + 1;
      BlsSecretKey stranger = BlsSecretKey.generate(new SecureRandom());
      io.axivon.consensus.types.Vote forged =
          io.axivon.consensus.types.Vote.sign(
              "it-chain",
              new io.axivon.consensus.types.BlsSigner(stranger),
              io.axivon.consensus.types.VoteType.PREVOTE,
              h,
              0,
              Optional.empty(),
              0);
      attacker.publish(topic, io.axivon.common.codec.Rlp.encode(Wire.MESSAGE, forged));
      attacker.publish(topic, Bytes.fromHexString("0xdeadbeef"));
      await("attacker penalized", () -> v.p2p().score(attacker.localId()) < 0);
      long at = v.node().height();
      await("chain goes on", () -> v.node().height() >= at + 2);
    } finally {
      attacker.close();
    }
  }

  @Test
  void gossipedEquivocationEvidenceLandsInExactlyOneBlock() {
    setUp(1);
    Running v = start(0);
    await("height 2", () -> v.node().height() >= 2);
    var signer = new io.axivon.consensus.types.BlsSigner(keys.get(0));
    var a =
        io.axivon.consensus.types.Vote.sign(
            "it-chain",
            signer,
            io.axivon.consensus.types.VoteType.PREVOTE,
            1,
            5,
            Optional.of(Bytes32.fromHexStringLenient("0x01")),
            0);
    var b =
        io.axivon.consensus.types.Vote.sign(
            "it-chain",
            signer,
            io.axivon.consensus.types.VoteType.PREVOTE,
            1,
            5,
            Optional.of(Bytes32.fromHexStringLenient("0x02")),
            0);
    var evidence = io.axivon.consensus.types.Evidence.of(a, b);
    P2pNode reporter =
        new P2pNode(
            new P2pConfig(
                "127.0.0.1",
                0,
                NodeKey.generate(),
                777,
                List.of(v.p2p().localAddress()),
                P2pLimits.defaults()),
            new CollectorRegistry());
    try {
      reporter.start();
      String topic = "chain/it-chain/evidence";
      reporter.subscribe(topic, io.axivon.p2p.GossipValidator.acceptAll(), (f, t, p) -> {});
      await(
          "validator subscribed",
          () -> reporter.peers().stream().anyMatch(p -> p.topics().contains(topic)));
      reporter.publish(
          topic,
          io.axivon.common.codec.Rlp.encode(io.axivon.consensus.types.Evidence.CODEC, evidence));
      await("evidence in a block", () -> blocksWith(v.node(), evidence) == 1);
      long at = v.node().height();
      await("three more blocks", () -> v.node().height() >= at + 3);
      assertThat(blocksWith(v.node(), evidence)).isEqualTo(1);
      assertThat(v.node().evidence().pending(10)).isEmpty();
    } finally {
      reporter.close();
    }
  }

  private static int blocksWith(ValidatorNode node, io.axivon.consensus.types.Evidence e) {
    int n = 0;
    for (long h = 1; h <= node.height(); h++) {
      if (node.block(h).orElseThrow().block().evidence().contains(e)) {
        n++;
      }
    }
    return n;
  }
}
