package io.axivon.node.da;

import io.axivon.common.crypto.bls.Bls;
import io.axivon.common.crypto.bls.BlsSecretKey;
import io.axivon.common.crypto.secp256k1.Secp256k1PrivateKey;
import io.axivon.da.chain.ChainDaView;
import io.axivon.da.erasure.ErasureCoder;
import io.axivon.da.node.DaNode;
import io.axivon.da.node.DaNodeStore;
import io.axivon.da.node.DaWire;
import io.axivon.node.p2pnode.NodeKeyFile;
import io.axivon.p2p.P2pConfig;
import io.axivon.p2p.P2pNode;
import io.axivon.sdk.da.DaClient;
import io.prometheus.client.CollectorRegistry;
import java.math.BigInteger;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.apache.tuweni.bytes.Bytes;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One DA node as a service: its P2P node (key in {@code HOME/node.key}), its line store in {@code
 * HOME/store} and the {@link DaNode} answering the disperser and readers, with chain 0 seen through
 * a {@link ChainDaView}. The operator's registration on chain 0 is {@link #register}'s job.
 */
public final class DaNodeService implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(DaNodeService.class);

  /** Lines are kept this many epochs: long enough that a devnet never prunes what it showed. */
  public static final long DEFAULT_RETENTION_EPOCHS = 1_000_000;

  /**
   * @param home where the node key and the store live
   * @param port P2P port; 0 lets the OS pick
   * @param operatorId the operator's account on chain 0 (its DA operator id)
   */
  public record Config(
      Path home, String host, int port, long networkId, Bytes operatorId, long retentionEpochs) {}

  private final P2pNode p2p;
  private final DaNodeStore store;
  private final DaNode node;
  private final java.util.concurrent.atomic.AtomicBoolean closed =
      new java.util.concurrent.atomic.AtomicBoolean();

  private DaNodeService(P2pNode p2p, DaNodeStore store, DaNode node) {
    this.p2p = p2p;
    this.store = store;
    this.node = node;
  }

  /** Opens the store, starts the P2P node and serves; on failure closes what it opened. */
  public static DaNodeService start(
      Config config,
      BlsSecretKey key,
      ChainDaView chain,
      ErasureCoder coder,
      CollectorRegistry registry) {
    P2pNode p2p =
        new P2pNode(
            new P2pConfig(
                config.host(),
                config.port(),
                NodeKeyFile.loadOrCreate(config.home().resolve("node.key")),
                config.networkId(),
                List.of(),
                DaWire.p2pLimits()),
            registry);
    DaNodeStore store = null;
    try {
      store = DaNodeStore.open(config.home().resolve("store"));
      DaNode node =
          new DaNode(
              p2p,
              store,
              key,
              config.operatorId(),
              chain,
              coder,
              config.retentionEpochs(),
              registry);
      p2p.start();
      return new DaNodeService(p2p, store, node);
    } catch (RuntimeException e) {
      p2p.close();
      if (store != null) {
        store.close();
      }
      throw e;
    }
  }

  public P2pNode p2p() {
    return p2p;
  }

  public DaNode node() {
    return node;
  }

  /** What the operator registers on chain 0: {@code <node id hex>@host:port}. */
  public String networkAddress() {
    return p2p.localAddress().toString();
  }

  /**
   * Makes chain 0 list {@code operator}'s account as a DA operator with {@code blsKey} at {@code
   * networkAddress}: registers it (with a proof of possession) if it is not, or updates its address
   * if that changed (a restart on OS-picked ports). Registration counts from the next epoch; an
   * address update at once.
   *
   * @throws io.axivon.common.InvalidInputException with the module's reason if it refuses
   */
  public static void register(
      DaClient client, Secp256k1PrivateKey operator, BlsSecretKey blsKey, String networkAddress)
      throws InterruptedException {
    Bytes pk = blsKey.publicKey().toBytes();
    Optional<DaClient.Operator> now = client.operator(operator.address());
    if (now.isEmpty()) {
      client.send(
          DaClient.registerOperatorCall(pk, Bls.provePossession(blsKey).toBytes(), networkAddress),
          BigInteger.ZERO,
          operator,
          "registerOperator");
      LOG.info("registered DA operator {} at {}", operator.address(), networkAddress);
      return;
    }
    if (!now.get().blsKey().equals(pk)) {
      LOG.warn(
          "DA operator {} is registered with another BLS key; its node cannot sign for it",
          operator.address());
    }
    if (!now.get().networkAddress().equals(networkAddress)) {
      client.send(
          DaClient.updateOperatorCall(networkAddress), BigInteger.ZERO, operator, "updateOperator");
      LOG.info("DA operator {} now listens at {}", operator.address(), networkAddress);
    }
  }

  /** Stops the node; idempotent (a test may stop one node before the devnet stops them all). */
  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    node.close();
    p2p.close();
    store.close();
  }
}
