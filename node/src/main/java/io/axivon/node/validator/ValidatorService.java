package io.axivon.node.validator;

import io.axivon.common.crypto.bls.BlsPublicKey;
import io.axivon.common.crypto.bls.BlsSecretKey;
import io.axivon.common.crypto.secp256k1.Address;
import io.axivon.common.time.Clock;
import io.axivon.consensus.app.Application;
import io.axivon.consensus.app.KvApplication;
import io.axivon.consensus.app.SerializedApplication;
import io.axivon.consensus.execution.EvmApplication;
import io.axivon.consensus.execution.EvmChain;
import io.axivon.consensus.mempool.Mempool;
import io.axivon.consensus.mempool.MempoolConfig;
import io.axivon.consensus.node.ConsensusGenesis;
import io.axivon.consensus.node.ValidatorNode;
import io.axivon.consensus.types.BlockHeader;
import io.axivon.p2p.NodeKey;
import io.axivon.p2p.P2pConfig;
import io.axivon.p2p.P2pLimits;
import io.axivon.p2p.P2pNode;
import io.axivon.p2p.PeerAddress;
import io.prometheus.client.CollectorRegistry;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import org.apache.tuweni.bytes.Bytes;

/**
 * One validator (or full node) of one chain: its P2P node, mempool, application and consensus node,
 * started and stopped together. The application is the EVM when the genesis has an {@code evm}
 * section (the key-value test application otherwise). {@code axivon validator} runs one; {@code
 * axivon devnet} runs several in one JVM, each with its own sockets and data dir, exactly as
 * separate processes would.
 */
public final class ValidatorService implements AutoCloseable {
  /** Transactions the mempool holds: above go-ethereum's default, for a 1 s block of transfers. */
  static final int MEMPOOL_TXS = 20_000;

  /**
   * @param validatorKey empty for a full node
   */
  public record Settings(
      GenesisFile.Contents genesis,
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
  private final Optional<EvmChain> evm;
  private final ConsensusGenesis genesis;

  private ValidatorService(
      P2pNode p2p, ValidatorNode node, Optional<EvmChain> evm, ConsensusGenesis genesis) {
    this.p2p = p2p;
    this.node = node;
    this.evm = evm;
    this.genesis = genesis;
  }

  /** Starts the P2P node and the consensus node; on failure stops what had started. */
  public static ValidatorService start(Settings s, CollectorRegistry registry) {
    Optional<EvmChain> evm =
        s.genesis().evm().map(g -> EvmChain.open(s.dataDir().resolve("evm"), g));
    P2pNode p2p = null;
    ValidatorNode node = null;
    try {
      ConsensusGenesis genesis =
          s.genesis()
              .consensus(
                  evm.map(c -> c.index().block(0).orElseThrow().stateRoot())
                      .orElseGet(() -> s.genesis().appHash().orElseThrow()));
      p2p =
          new P2pNode(
              new P2pConfig(
                  s.host(), s.port(), s.nodeKey(), s.networkId(), s.peers(), P2pLimits.defaults()),
              registry);
      // The application proposes from the mempool, and the mempool checks with the application.
      Application[] app = new Application[1];
      Mempool mempool =
          new Mempool(
              new MempoolConfig(MEMPOOL_TXS, 64L << 20, 128 << 10, 64, 10),
              tx -> app[0].checkTx(tx));
      ValidatorNode[] self = new ValidatorNode[1];
      if (evm.isPresent()) {
        Function<BlockHeader, Address> coinbase =
            feeRecipients(s.genesis().feeAddresses(), header -> self[0].validatorAt(header));
        app[0] =
            new SerializedApplication(
                new EvmApplication(
                    evm.get(),
                    max -> mempool.reap(max, Integer.MAX_VALUE),
                    Clock.system(),
                    coinbase));
      } else {
        app[0] =
            new KvApplication(
                System::currentTimeMillis, max -> mempool.reap(max, Integer.MAX_VALUE));
      }
      node =
          new ValidatorNode(
              new ValidatorNode.Options(
                  genesis,
                  s.dataDir(),
                  s.validatorKey(),
                  s.consensus().timeouts(),
                  s.consensus().maxBlockBytes(),
                  Duration.ofMillis(s.consensus().pollMs())),
              p2p,
              app[0],
              mempool,
              registry);
      self[0] = node;
      p2p.start();
      node.start();
      return new ValidatorService(p2p, node, evm, genesis);
    } catch (RuntimeException e) {
      if (p2p != null) {
        p2p.close();
      }
      if (node != null) {
        node.close();
      }
      evm.ifPresent(EvmChain::close);
      throw e;
    }
  }

  /**
   * The proposer's fee address; a proposer without one (or unknown) pays its fees to the zero
   * address, i.e. burns them.
   */
  private static Function<BlockHeader, Address> feeRecipients(
      Map<BlsPublicKey, Address> fees, Function<BlockHeader, Optional<BlsPublicKey>> proposer) {
    Address burn = new Address(Bytes.wrap(new byte[Address.SIZE]));
    return header -> proposer.apply(header).map(fees::get).orElse(burn);
  }

  public P2pNode p2p() {
    return p2p;
  }

  public ValidatorNode node() {
    return node;
  }

  /** The EVM chain, when this chain runs one. */
  public Optional<EvmChain> evm() {
    return evm;
  }

  public ConsensusGenesis genesis() {
    return genesis;
  }

  @Override
  public void close() {
    // Network first, so no request handler reads a store that is closing.
    p2p.close();
    node.close();
    evm.ifPresent(EvmChain::close);
  }
}
