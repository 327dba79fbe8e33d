package io.axivon.node.devnet;

import io.axivon.common.crypto.bls.BlsSecretKey;
import io.axivon.common.crypto.secp256k1.Secp256k1PrivateKey;
import io.axivon.da.blob.SquareEncoder;
import io.axivon.da.chain.ChainDaView;
import io.axivon.node.da.DaNodeService;
import io.axivon.node.da.DisperserService;
import io.axivon.node.validator.ValidatorKeyFile;
import io.axivon.sdk.da.DaClient;
import io.axivon.sdk.eth.EthClient;
import io.axivon.sdk.rpc.JsonRpcClient;
import io.prometheus.client.CollectorRegistry;
import java.math.BigInteger;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The devnet's DA network on chain 0: one DA node per validator ({@code DIR/da-i}: BLS key, node
 * key, line store), registered as a DA operator by that validator's operator (fee) account with the
 * node's P2P address, and one disperser ({@code DIR/disperser}: its key funded at genesis and
 * bonded on first start, its record of certified blobs) behind the blob API. Operators registered
 * now count from the next DA epoch (chain 0's staking epochs), so blobs certify from then on; a
 * restart only updates addresses that changed.
 */
public final class DevnetDa implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(DevnetDa.class);

  /** DA node i's P2P port when the devnet uses fixed ports: 30503 + i. */
  public static final int DA_P2P_PORT = 30503;

  /**
   * @param p2pBasePort DA node i listens on base + i; 0 lets the OS pick
   * @param apiPort the blob API's port; 0 lets the OS pick
   * @param bond what the disperser bonds on first start (the module's minimum)
   */
  public record Settings(
      Path dir,
      String host,
      int p2pBasePort,
      int apiPort,
      long networkId,
      URI rpc,
      BigInteger bond) {}

  private final SquareEncoder encoder;
  private final DaClient client;
  private final List<DaNodeService> nodes;
  private final List<Secp256k1PrivateKey> operators;
  private final DisperserService disperser;
  private final Secp256k1PrivateKey disperserKey;

  private DevnetDa(
      SquareEncoder encoder,
      DaClient client,
      List<DaNodeService> nodes,
      List<Secp256k1PrivateKey> operators,
      DisperserService disperser,
      Secp256k1PrivateKey disperserKey) {
    this.encoder = encoder;
    this.client = client;
    this.nodes = nodes;
    this.operators = operators;
    this.disperser = disperser;
    this.disperserKey = disperserKey;
  }

  /** The disperser's key: made with the genesis (which funds it), then read back. */
  static Path disperserKeyFile(Path dir) {
    return dir.resolve("disperser").resolve("disperser.key");
  }

  /**
   * Starts the DA nodes, registers their operators, bonds the disperser and starts it with the API;
   * on failure stops what had started and rethrows.
   *
   * @param operatorKeys validator i's operator (fee) key, which runs DA node i
   */
  static DevnetDa start(
      Settings s,
      List<Secp256k1PrivateKey> operatorKeys,
      Map<String, CollectorRegistry> registries) {
    SquareEncoder encoder = SquareEncoder.create(2);
    DaClient client =
        new DaClient(
            new EthClient(
                new JsonRpcClient(s.rpc(), Duration.ofSeconds(10)),
                // a confirmation waits for its receipt: 50 ms polls cost the certificate little
                // beyond the block it lands in
                Duration.ofMillis(50)),
            DaClient.DA_ADDRESS,
            Duration.ofSeconds(60));
    List<DaNodeService> nodes = new ArrayList<>();
    try {
      SecureRandom random = new SecureRandom();
      List<BlsSecretKey> blsKeys = new ArrayList<>();
      for (int i = 0; i < operatorKeys.size(); i++) {
        Path home = s.dir().resolve("da-" + i);
        Path keyFile = home.resolve("bls.key");
        BlsSecretKey bls =
            Files.exists(keyFile)
                ? ValidatorKeyFile.load(keyFile)
                : ValidatorKeyFile.create(keyFile, random);
        blsKeys.add(bls);
        CollectorRegistry registry = new CollectorRegistry();
        nodes.add(
            DaNodeService.start(
                new DaNodeService.Config(
                    home,
                    s.host(),
                    s.p2pBasePort() == 0 ? 0 : s.p2pBasePort() + i,
                    s.networkId(),
                    operatorKeys.get(i).address().bytes(),
                    DaNodeService.DEFAULT_RETENTION_EPOCHS),
                bls,
                new ChainDaView(client, Optional.empty()),
                encoder.coder(),
                registry));
        registries.put("da-" + i, registry);
      }
      Secp256k1PrivateKey disperserKey = ValidatorKeyFile.loadFeeKey(disperserKeyFile(s.dir()));
      // every account sends its own transaction, so they all go in the same blocks
      try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
        List<Future<?>> sent = new ArrayList<>();
        for (int i = 0; i < nodes.size(); i++) {
          int n = i;
          sent.add(
              pool.submit(
                  () -> {
                    DaNodeService.register(
                        client, operatorKeys.get(n), blsKeys.get(n), nodes.get(n).networkAddress());
                    return null;
                  }));
        }
        sent.add(
            pool.submit(
                () -> {
                  DisperserService.ensureBonded(client, disperserKey, Optional.of(s.bond()));
                  return null;
                }));
        for (Future<?> f : sent) {
          f.get();
        }
      } catch (ExecutionException e) {
        if (e.getCause() instanceof RuntimeException re) {
          throw re;
        }
        throw new IllegalStateException("cannot register the DA network on chain 0", e.getCause());
      }
      CollectorRegistry registry = new CollectorRegistry();
      DisperserService disperser =
          DisperserService.start(
              new DisperserService.Config(
                  s.dir().resolve("disperser"),
                  s.host(),
                  0,
                  s.networkId(),
                  s.apiPort(),
                  Duration.ofSeconds(120),
                  Duration.ofSeconds(30),
                  2),
              new ChainDaView(client, Optional.of(disperserKey)),
              encoder,
              registry);
      registries.put("disperser", registry);
      LOG.info("DA blob API at {}", disperser.url());
      return new DevnetDa(
          encoder, client, List.copyOf(nodes), List.copyOf(operatorKeys), disperser, disperserKey);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      nodes.forEach(DaNodeService::close);
      encoder.close();
      throw new IllegalStateException("interrupted while starting the DA network", e);
    } catch (RuntimeException e) {
      nodes.forEach(DaNodeService::close);
      encoder.close();
      throw e;
    }
  }

  /** The blob API's base URL. */
  public String apiUrl() {
    return disperser.url();
  }

  /** The DA module's client over validator 0's JSON-RPC. */
  public DaClient client() {
    return client;
  }

  /** The DA nodes, node i run for validator i's operator. */
  public List<DaNodeService> nodes() {
    return nodes;
  }

  public DisperserService disperser() {
    return disperser;
  }

  /** Whether the current DA epoch draws its quorums from every devnet operator. */
  public boolean ready() {
    return client.epochInfo().operatorCount() >= nodes.size();
  }

  DevnetManifest.DaEndpoint endpoint() {
    List<DevnetManifest.DaNodeEndpoint> out = new ArrayList<>();
    for (int i = 0; i < nodes.size(); i++) {
      out.add(
          new DevnetManifest.DaNodeEndpoint(
              "da-" + i, operators.get(i).address().toString(), nodes.get(i).networkAddress()));
    }
    return new DevnetManifest.DaEndpoint(
        apiUrl(), disperserKey.address().toString(), client.moduleAddress().toString(), out);
  }

  /** Stops the API and disperser first, then the DA nodes; idempotent per part. */
  @Override
  public void close() {
    try {
      disperser.close();
    } finally {
      for (DaNodeService n : nodes) {
        try {
          n.close();
        } catch (RuntimeException e) {
          LOG.warn("cannot stop a DA node cleanly: {}", e.toString());
        }
      }
      encoder.close();
    }
  }
}
