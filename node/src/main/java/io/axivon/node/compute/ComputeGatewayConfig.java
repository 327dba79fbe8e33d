package io.axivon.node.compute;

import io.axivon.common.InvalidInputException;
import io.axivon.compute.demo.DemoUpstream;
import io.axivon.compute.gateway.GatewayConfig;
import io.axivon.node.p2pnode.NodeConfig;
import io.axivon.node.storage.StorageNodeConfig;
import io.axivon.sdk.compute.ServingDomain;
import io.axivon.sdk.compute.Verifiability;
import java.math.BigInteger;
import java.net.URI;
import java.util.Locale;

/**
 * {@code axivon compute-gateway}'s configuration file (YAML or JSON); every key is also a flag
 * (keys in specs/cli.md).
 *
 * @param port where the gateway listens (8090; 0 picks one)
 * @param upstream the provider's service the gateway fronts, or {@code demo} for the built-in demo
 *     service ({@link DemoUpstream}) started in the same process
 * @param providerKey the provider's secp256k1 key file (64 hex digits): signs settlements,
 *     registrations and responses; relative paths are from the config file's directory
 * @param journal the file of accepted, not yet settled requests (relative: as providerKey)
 * @param maxBodyBytes the largest request body forwarded (larger: 413)
 * @param fsync force each journal line to disk before forwarding
 * @param chain chain 0's JSON-RPC and the serving module's address
 * @param service the service the gateway sells
 * @param settlement when accumulated requests are settled
 * @param metrics where Prometheus {@code /metrics} is served
 * @param mcpUserKey the key file MCP's call_service pays with (relative: as providerKey); empty:
 *     none, call_service is refused
 */
public record ComputeGatewayConfig(
    int port,
    String upstream,
    String providerKey,
    String journal,
    long maxBodyBytes,
    boolean fsync,
    Chain chain,
    Service service,
    Settlement settlement,
    NodeConfig.MetricsEndpoint metrics,
    String mcpUserKey) {
  /**
   * The gateway's Prometheus port. One host can run every service on its default: validator 9400
   * (testnet 9410 + i), storage node 9420, KV node 9430, gateway 9440, DA node 9460, disperser
   * 9470.
   */
  public static final int DEFAULT_METRICS_PORT = 9440;

  /** {@code upstream} value that runs the built-in demo service. */
  public static final String DEMO = "demo";

  /**
   * {@code upstream} value that runs the built-in demo upstream for its erasure-encode service
   * ({@link io.axivon.compute.demo.ErasureEncodeService}): the same server, another path.
   */
  public static final String ERASURE = "erasure";

  public static ComputeGatewayConfig defaults() {
    return new ComputeGatewayConfig(
        GatewayConfig.DEFAULT_PORT,
        DEMO,
        null,
        "./gateway-journal.log",
        1L << 20,
        false,
        Chain.defaults(),
        Service.defaults(),
        Settlement.defaults(),
        new NodeConfig.MetricsEndpoint("127.0.0.1", DEFAULT_METRICS_PORT),
        "");
  }

  public ComputeGatewayConfig {
    if (port < 0 || port > 65535) {
      throw new IllegalArgumentException("port must be 0..65535, got " + port);
    }
    if (maxBodyBytes < 1 || maxBodyBytes > 64L << 20) {
      throw new IllegalArgumentException(
          "max-body-bytes must be in [1, 64 MiB], got " + maxBodyBytes);
    }
    if (upstream != null && !DEMO.equals(upstream) && !ERASURE.equals(upstream)) {
      StorageNodeConfig.parseUrl(upstream);
    }
  }

  /** Whether the gateway runs the built-in demo upstream ({@code demo} or {@code erasure}). */
  public boolean demo() {
    return DEMO.equals(upstream) || ERASURE.equals(upstream);
  }

  /** The built-in service's path: the digest's, or the erasure encoder's. */
  public String demoPath() {
    return ERASURE.equals(upstream)
        ? io.axivon.compute.demo.ErasureEncodeService.PATH
        : DemoUpstream.PATH;
  }

  /**
   * Chain 0.
   *
   * @param rpc its Ethereum JSON-RPC URL
   * @param serving the serving module's address
   */
  public record Chain(String rpc, String serving) {
    public static Chain defaults() {
      return new Chain("http://127.0.0.1:8545/", ServingDomain.SERVING_ADDRESS.toString());
    }

    public Chain {
      StorageNodeConfig.parseUrl(rpc);
      servingAddress(serving);
    }

    public URI rpcUrl() {
      return StorageNodeConfig.parseUrl(rpc);
    }

    static io.axivon.common.crypto.secp256k1.Address servingAddress(String text) {
      try {
        return io.axivon.common.crypto.secp256k1.Address.fromHex(
            text.startsWith("0x") ? text : "0x" + text);
      } catch (InvalidInputException | NullPointerException e) {
        throw new InvalidInputException("serving address is not a 20-byte hex address: " + text);
      }
    }
  }

  /**
   * The service sold, as registered on chain.
   *
   * @param url the public URL users reach the gateway at; empty: {@code http://127.0.0.1:PORT}
   * @param inputPrice wei per input unit (request body byte)
   * @param outputPrice wei per output unit (response body byte)
   * @param verifiability {@code none}, {@code signed-response} or {@code tee-attested}
   * @param register whether the gateway adds (or updates) the service on chain when it starts;
   *     otherwise the service must already be registered by the provider's key
   */
  public record Service(
      String name,
      String type,
      String url,
      String model,
      String inputPrice,
      String outputPrice,
      String verifiability,
      boolean register) {
    public static Service defaults() {
      return new Service(
          DemoUpstream.SERVICE_NAME, "http", "", "demo-digest", "1", "1", "signed-response", true);
    }

    public Service {
      price("service.input-price", inputPrice);
      price("service.output-price", outputPrice);
      verifiability(verifiability);
    }

    public BigInteger inputPriceWei() {
      return price("service.input-price", inputPrice);
    }

    public BigInteger outputPriceWei() {
      return price("service.output-price", outputPrice);
    }

    public Verifiability verifiabilityValue() {
      return verifiability(verifiability);
    }

    static Verifiability verifiability(String label) {
      for (Verifiability v : Verifiability.values()) {
        if (v.label().equals(label == null ? "" : label.toLowerCase(Locale.ROOT))) {
          return v;
        }
      }
      throw new InvalidInputException(
          "service.verifiability must be none, signed-response or tee-attested, got " + label);
    }

    static BigInteger price(String key, String wei) {
      try {
        BigInteger v = new BigInteger(wei);
        if (v.signum() < 0) {
          throw new NumberFormatException();
        }
        return v;
      } catch (NumberFormatException | NullPointerException e) {
        throw new InvalidInputException(key + " must be a whole number of wei, got " + wei);
      }
    }
  }

  /**
   * When accumulated requests are settled on chain.
   *
   * @param batchSize settle once this many are pending, at most this many at once
   * @param intervalMs also settle whatever is pending this often
   */
  public record Settlement(int batchSize, long intervalMs) {
    public static Settlement defaults() {
      return new Settlement(100, 5000);
    }

    public Settlement {
      if (batchSize < 1 || batchSize > 256) {
        throw new IllegalArgumentException(
            "settlement.batch-size must be 1..256, got " + batchSize);
      }
      if (intervalMs < 10) {
        throw new IllegalArgumentException(
            "settlement.interval-ms must be >= 10, got " + intervalMs);
      }
    }
  }
}
