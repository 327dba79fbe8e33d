package io.axivon.node.da;

import io.axivon.common.InvalidInputException;
import io.axivon.common.crypto.secp256k1.Secp256k1PrivateKey;
import io.axivon.da.api.BlobApiServer;
import io.axivon.da.blob.SquareEncoder;
import io.axivon.da.chain.ChainDaView;
import io.axivon.da.disperser.Disperser;
import io.axivon.da.disperser.DisperserStore;
import io.axivon.da.node.DaWire;
import io.axivon.node.p2pnode.NodeKeyFile;
import io.axivon.p2p.P2pConfig;
import io.axivon.p2p.P2pNode;
import io.axivon.sdk.da.DaClient;
import io.prometheus.client.CollectorRegistry;
import java.math.BigInteger;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The disperser as a service: its P2P node (key in {@code HOME/node.key}), its record of certified
 * blobs in {@code HOME/blobs} (so keys stay retrievable across restarts), the {@link Disperser}
 * confirming through a {@link ChainDaView} with its bonded key, and the blob API ({@link
 * BlobApiServer}, REST and OP Alt-DA) in front.
 */
public final class DisperserService implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(DisperserService.class);

  /**
   * @param p2pPort 0 lets the OS pick
   * @param apiPort the blob API's port; 0 lets the OS pick
   * @param putTimeout how long the Alt-DA {@code POST /put} waits for the certificate
   * @param encoderThreads threads of the square encoder
   */
  public record Config(
      Path home,
      String host,
      int p2pPort,
      long networkId,
      int apiPort,
      Duration putTimeout,
      Duration requestTimeout,
      int encoderThreads) {}

  private final P2pNode p2p;
  private final SquareEncoder encoder;
  private final DisperserStore store;
  private final Disperser disperser;
  private final BlobApiServer api;
  private final String host;

  private DisperserService(
      P2pNode p2p,
      SquareEncoder encoder,
      DisperserStore store,
      Disperser disperser,
      BlobApiServer api,
      String host) {
    this.p2p = p2p;
    this.encoder = encoder;
    this.store = store;
    this.disperser = disperser;
    this.api = api;
    this.host = host;
  }

  /**
   * Bonds {@code key}'s account as a disperser with {@code bond} wei unless it already is one.
   *
   * @throws InvalidInputException if it is not bonded and no bond was given, or the module refuses
   */
  public static void ensureBonded(
      DaClient client, Secp256k1PrivateKey key, Optional<BigInteger> bond)
      throws InterruptedException {
    if (client.disperser(key.address()).active()) {
      return;
    }
    BigInteger value =
        bond.orElseThrow(
            () ->
                new InvalidInputException(
                    "account "
                        + key.address()
                        + " is not a bonded disperser on chain 0: pass --bond to bond it"));
    client.send(DaClient.registerDisperserCall(), value, key, "registerDisperser");
    LOG.info("bonded disperser {} with {} wei", key.address(), value);
  }

  /** Starts the P2P node, the disperser and the API; on failure closes what it opened. */
  public static DisperserService start(
      Config config, ChainDaView chain, SquareEncoder encoder, CollectorRegistry registry) {
    P2pNode p2p =
        new P2pNode(
            new P2pConfig(
                config.host(),
                config.p2pPort(),
                NodeKeyFile.loadOrCreate(config.home().resolve("node.key")),
                config.networkId(),
                List.of(),
                DaWire.p2pLimits()),
            registry);
    DisperserStore store = null;
    Disperser disperser = null;
    try {
      store = DisperserStore.open(config.home().resolve("blobs"));
      disperser =
          new Disperser(
              p2p,
              chain,
              encoder,
              new Disperser.Settings(0, config.requestTimeout()),
              Optional.of(store),
              registry);
      p2p.start();
      BlobApiServer api =
          BlobApiServer.start(
              disperser,
              config.putTimeout(),
              new InetSocketAddress(config.host(), config.apiPort()));
      return new DisperserService(p2p, encoder, store, disperser, api, config.host());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      closeQuietly(disperser, p2p, store);
      throw new IllegalStateException("interrupted while starting the blob API", e);
    } catch (RuntimeException e) {
      closeQuietly(disperser, p2p, store);
      throw e;
    }
  }

  private static void closeQuietly(Disperser d, P2pNode p2p, DisperserStore store) {
    if (d != null) {
      d.close();
    }
    p2p.close();
    if (store != null) {
      store.close();
    }
  }

  /** The blob API's base URL, {@code http://host:port}. */
  public String url() {
    return "http://" + host + ":" + api.address().getPort();
  }

  public Disperser disperser() {
    return disperser;
  }

  public P2pNode p2p() {
    return p2p;
  }

  public SquareEncoder encoder() {
    return encoder;
  }

  /** Stops the API first (no new blobs), then the disperser, its links and its store. */
  @Override
  public void close() {
    api.close();
    disperser.close();
    p2p.close();
    store.close();
  }
}
