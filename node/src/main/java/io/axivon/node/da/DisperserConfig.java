package io.axivon.node.da;

import io.axivon.common.InvalidInputException;
import io.axivon.da.api.BlobApiServer;
import io.axivon.node.p2pnode.NodeConfig;
import io.axivon.sdk.da.DaClient;
import java.math.BigInteger;
import java.nio.file.Path;
import java.util.Optional;

/**
 * {@code axivon disperser}'s configuration file (YAML or JSON); every key is also a flag (keys in
 * specs/cli.md).
 *
 * @param dataDir the P2P node key and the record of certified blobs
 * @param host where the blob API and the P2P node bind
 * @param p2pPort the P2P port (0 picks one: nobody dials the disperser)
 * @param apiPort the blob API's port (0 picks one)
 * @param chainRpc chain 0's Ethereum JSON-RPC
 * @param module the DA module's address
 * @param key the disperser account's secp256k1 key file; it pays blob fees
 * @param bondWei what to bond at start if the account is not a bonded disperser yet (empty: bond
 *     nothing and refuse to start unbonded)
 * @param putTimeoutSeconds how long the Alt-DA {@code POST /put} waits for the certificate
 * @param metrics where Prometheus {@code /metrics} is served
 */
public record DisperserConfig(
    Path dataDir,
    String host,
    int p2pPort,
    int apiPort,
    String chainRpc,
    String module,
    String key,
    String bondWei,
    long putTimeoutSeconds,
    NodeConfig.MetricsEndpoint metrics) {
  /** Clear of the other services' defaults (see ComputeGatewayConfig.DEFAULT_METRICS_PORT). */
  public static final int DEFAULT_METRICS_PORT = 9470;

  public static DisperserConfig defaults() {
    return new DisperserConfig(
        Path.of("./disperser-data"),
        "127.0.0.1",
        0,
        BlobApiServer.DEFAULT_PORT,
        "http://127.0.0.1:8545/",
        DaClient.DA_ADDRESS.toString(),
        "",
        "",
        120,
        new NodeConfig.MetricsEndpoint("127.0.0.1", DEFAULT_METRICS_PORT));
  }

  public DisperserConfig {
    if (p2pPort < 0 || p2pPort > 65535) {
      throw new InvalidInputException("p2p-port must be 0..65535, got " + p2pPort);
    }
    if (apiPort < 0 || apiPort > 65535) {
      throw new InvalidInputException("api-port must be 0..65535, got " + apiPort);
    }
    if (putTimeoutSeconds < 1) {
      throw new InvalidInputException("put-timeout-seconds must be at least 1");
    }
    DaNodeConfig.chainRpcUrl(chainRpc);
    DaNodeConfig.moduleAddress(module);
    bond();
  }

  public java.net.URI chainRpcUrl() {
    return DaNodeConfig.chainRpcUrl(chainRpc);
  }

  public io.axivon.common.crypto.secp256k1.Address moduleAddress() {
    return DaNodeConfig.moduleAddress(module);
  }

  public Optional<BigInteger> bond() {
    if (bondWei == null || bondWei.isBlank()) {
      return Optional.empty();
    }
    try {
      BigInteger b = new BigInteger(bondWei.strip());
      if (b.signum() <= 0) {
        throw new InvalidInputException("bond-wei must be positive, got " + bondWei);
      }
      return Optional.of(b);
    } catch (NumberFormatException e) {
      throw new InvalidInputException("bond-wei must be a whole number of wei, got " + bondWei);
    }
  }
}
