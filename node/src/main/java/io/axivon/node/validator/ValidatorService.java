package io.axivon.node.validator;

import io.axivon.common.crypto.bls.BlsSecretKey;
import io.axivon.consensus.app.Application;
import io.axivon.consensus.app.KvApplication;
import io.axivon.consensus.mempool.Mempool;
import io.axivon.consensus.mempool.MempoolConfig;
import io.axivon.consensus.node.ConsensusGenesis;
import io.axivon.consensus.node.ValidatorNode;
import io.axivon.p2p.NodeKey;
import io.axivon.p2p.P2pConfig;
import io.axivon.p2p.P2pLimits;
import io.axivon.p2p.P2pNode;
import io.axivon.p2p.PeerAddress;
import io.prometheus.client.CollectorRegistry;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * One validator (or full node) of one chain: its P2P node, mempool, application and consensus node,
 * started and stopped together. {@code axivon validator} runs one; {@code axivon devnet} runs
 * several in one JVM, each with its own sockets and data dir, exactly as separate processes would.
 */
public final class ValidatorService implements AutoCloseable {
  /**
   * @param validatorKey empty for a full node
   */
  public record Settings(
      ConsensusGenesis genesis,
      Path dataDir,
      Optional<BlsSecretKey> validatorKey,
      NodeKey nodeKey,
      long networkId,
      String host,
      int port,
      List<PeerAddress> peers,
      ValidatorConfig.Consensus consensus) {}

  private final P2pNode p2p;
  private final ValidatorNode node;

  private ValidatorService(P2pNode p2p, ValidatorNode node) {
    this.p2p = p2p;
    this.node = node;
  }

  /** Starts the P2P node and the consensus node; on failure stops what had started. */
  public static ValidatorService start(Settings s, CollectorRegistry registry) {
    P2pNode p2p =
        new P2pNode(
            new P2pConfig(
                s.host(), s.port(), s.nodeKey(), s.networkId(), s.peers(), P2pLimits.defaults()),
            registry);
    ValidatorNode node = null;
    try {
      // The application proposes from the mempool, and the mempool checks with the application.
      Application[] app = new Application[1];
      Mempool mempool = new Mempool(MempoolConfig.defaults(), tx -> app[0].checkTx(tx));
      app[0] =
          new KvApplication(System::currentTimeMillis, max -> mempool.reap(max, Integer.MAX_VALUE));
      node =
          new ValidatorNode(
              new ValidatorNode.Options(
                  s.genesis(),
                  s.dataDir(),
                  s.validatorKey(),
                  s.consensus().timeouts(),
                  s.consensus().maxBlockBytes(),
                  Duration.ofMillis(s.consensus().pollMs())),
              p2p,
              app[0],
              mempool,
              registry);
      p2p.start();
      node.start();
      return new ValidatorService(p2p, node);
    } catch (RuntimeException e) {
      if (node != null) {
        node.close();
      }
      p2p.close();
      throw e;
    }
  }

  public P2pNode p2p() {
    return p2p;
  }

  public ValidatorNode node() {
    return node;
  }

  @Override
  public void close() {
    // Network first, so no request handler reads a store that is closing.
    p2p.close();
    node.close();
  }
}
