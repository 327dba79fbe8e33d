package io.axivon.consensus.node;

import static org.assertj.core.api.Assertions.assertThat;

import io.axivon.common.crypto.bls.BlsSecretKey;
import io.axivon.consensus.app.Application;
import io.axivon.consensus.app.KvApplication;
import io.axivon.consensus.engine.TimeoutConfig;
import io.axivon.consensus.mempool.Mempool;
import io.axivon.consensus.mempool.MempoolConfig;
import io.axivon.consensus.types.Validator;
import io.axivon.consensus.types.ValidatorSet;
import io.axivon.p2p.NodeKey;
import io.axivon.p2p.P2pConfig;
import io.axivon.p2p.P2pLimits;
import io.axivon.p2p.P2pNode;
import io.prometheus.client.CollectorRegistry;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.tuweni.bytes.Bytes32;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The commit timeout runs from the decision, as CometBFT's timeout_commit does, not from the end of
 * executing and committing the block: a chain whose blocks take long to execute still starts its
 * next height one commit timeout after each decision, instead of adding the two.
 */
class CommitTimeoutIT {
  private static final long EXECUTION_MS = 1_500;
  private static final long COMMIT_MS = 1_000;

  @TempDir Path dir;

  @Test
  void theNextHeightStartsOneCommitTimeoutAfterTheDecisionNotAfterExecution() throws Exception {
    SecureRandom random = new SecureRandom();
    BlsSecretKey key = BlsSecretKey.generate(random);
    ConsensusGenesis genesis =
        new ConsensusGenesis(
            "commit-timeout",
            0,
            ValidatorSet.of(List.of(new Validator(key.publicKey(), 10))),
            Bytes32.ZERO);
    P2pNode p2p =
        new P2pNode(
            new P2pConfig(
                "127.0.0.1",
                0,
                NodeKey.generate(random),
                778,
                List.of(),
                P2pLimits.defaults().toBuilder().ioThreads(1).build()),
            new CollectorRegistry());
    Application[] app = new Application[1];
    Mempool mempool = new Mempool(MempoolConfig.defaults(), tx -> app[0].checkTx(tx));
    app[0] =
        new SlowToExecute(
            new KvApplication(
                System::currentTimeMillis, max -> mempool.reap(max, Integer.MAX_VALUE)),
            EXECUTION_MS);
    List<Long> decidedNanos = new CopyOnWriteArrayList<>();
    ValidatorNode node =
        new ValidatorNode(
            new ValidatorNode.Options(
                genesis,
                dir.resolve("v0"),
                Optional.of(key),
                new TimeoutConfig(3_000, 500, 1_000, 500, 1_000, 500, COMMIT_MS),
                1 << 20,
                Duration.ofMillis(100)),
            p2p,
            app[0],
            mempool,
            new CollectorRegistry());
    try {
      node.addDecidedListener(b -> decidedNanos.add(System.nanoTime()));
      p2p.start();
      node.start();
      long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
      while (decidedNanos.size() < 5 && System.nanoTime() < deadline) {
        Thread.sleep(50);
      }
      assertThat(decidedNanos).as("blocks decided within a minute").hasSizeGreaterThanOrEqualTo(5);
      long shortest = Long.MAX_VALUE;
      for (int i = 1; i < decidedNanos.size(); i++) {
        shortest = Math.min(shortest, decidedNanos.get(i) - decidedNanos.get(i - 1));
      }
      // Each interval holds one execution (the timer runs meanwhile) and a little consensus work;
      // the commit timeout counted after the execution would make every one at least the sum.
      assertThat(shortest / 1_000_000)
          .as("shortest time between decided blocks, ms")
          .isGreaterThanOrEqualTo(EXECUTION_MS)
          .isLessThan(EXECUTION_MS + COMMIT_MS - 200);
    } finally {
      p2p.close();
      node.close();
    }
  }
}
