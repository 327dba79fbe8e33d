package io.axivon.node.da;

import io.axivon.common.InvalidInputException;
import io.axivon.common.crypto.secp256k1.Address;
import io.axivon.node.p2pnode.NodeConfig;
import io.axivon.node.storage.StorageNodeConfig;
import io.axivon.sdk.da.DaClient;
import java.net.URI;
import java.nio.file.Path;

/**
 * {@code axivon da-node}'s configuration file (YAML or JSON); every key is also a flag (keys in
 * specs/cli.md).
 *
 * @param dataDir the node key, the BLS key ({@code bls.key}, made on first start) and the store
 * @param host the P2P address to bind, and to register: it must be one the disperser can dial
 * @param port the P2P port (0 picks one)
 * @param chainRpc chain 0's Ethereum JSON-RPC
 * @param module the DA module's address
 * @param operatorKey the operator account's secp256k1 key file (a staking validator's operator)
 * @param register whether to register (or update) the operator on chain 0 at start
 * @param retentionEpochs lines of epoch e are kept until epoch e + this
 * @param metrics where Prometheus {@code /metrics} is served
 */
public record DaNodeConfig(
    Path dataDir,
    String host,
    int port,
    String chainRpc,
    String module,
    String operatorKey,
    boolean register,
    long retentionEpochs,
    NodeConfig.MetricsEndpoint metrics) {
  /** Clear of the KV node's 9430. */
  public static final int DEFAULT_METRICS_PORT = 9440;

  public static DaNodeConfig defaults() {
    return new DaNodeConfig(
        Path.of("./da-node-data"),
        "127.0.0.1",
        30503,
        "http://127.0.0.1:8545/",
        DaClient.DA_ADDRESS.toString(),
        "",
        true,
        DaNodeService.DEFAULT_RETENTION_EPOCHS,
        new NodeConfig.MetricsEndpoint("127.0.0.1", DEFAULT_METRICS_PORT));
  }

  public DaNodeConfig {
    if (port < 0 || port > 65535) {
      throw new InvalidInputException("port must be 0..65535, got " + port);
    }
    if (retentionEpochs < 1) {
      throw new InvalidInputException("retention-epochs must be at least 1");
    }
    chainRpcUrl(chainRpc);
    moduleAddress(module);
  }

  public URI chainRpcUrl() {
    return chainRpcUrl(chainRpc);
  }

  public Address moduleAddress() {
    return moduleAddress(module);
  }

  static URI chainRpcUrl(String url) {
    return StorageNodeConfig.parseUrl(url);
  }

  static Address moduleAddress(String text) {
    try {
      return Address.fromHex(text);
    } catch (RuntimeException e) {
      throw new InvalidInputException("module: not an address: " + text);
    }
  }
}
