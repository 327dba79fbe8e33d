package io.axivon.node.da;

import io.axivon.common.InvalidInputException;
import io.axivon.common.crypto.secp256k1.Address;
import io.axivon.node.p2pnode.NodeConfig;
import io.axivon.node.storage.StorageNodeConfig;
import io.axivon.p2p.NodeId;
import io.axivon.p2p.PeerAddress;
import io.axivon.sdk.da.DaClient;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Path;

/**
 * {@code axivon da-node}'s configuration file (YAML or JSON); every key is also a flag (keys in
 * specs/cli.md).
 *
 * @param dataDir the node key, the BLS key ({@code bls.key}, made on first start) and the store
 * @param host the P2P address to bind, and to register unless {@code advertise} is set
 * @param port the P2P port (0 picks one)
 * @param advertise what to register instead of the bound address, {@code host} or {@code host:port}
 *     (the port defaults to the bound one): the address the disperser dials, e.g. a public name
 *     when the node binds 0.0.0.0 or sits behind NAT; empty registers the bound one
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
    String advertise,
    String chainRpc,
    String module,
    String operatorKey,
    boolean register,
    long retentionEpochs,
    NodeConfig.MetricsEndpoint metrics) {
  /** Clear of the other services' defaults (see ComputeGatewayConfig.DEFAULT_METRICS_PORT). */
  public static final int DEFAULT_METRICS_PORT = 9460;

  public static DaNodeConfig defaults() {
    return new DaNodeConfig(
        Path.of("./da-node-data"),
        "127.0.0.1",
        30503,
        "",
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
    advertise = advertise == null ? "" : advertise.strip();
    if (advertise.isEmpty() && isWildcard(host)) {
      throw new InvalidInputException(
          "host "
              + host
              + " binds every interface, but the disperser cannot dial it: give the address to"
              + " register with advertise (--advertise HOST[:PORT])");
    }
    if (!advertise.isEmpty()) {
      parseAdvertise(advertise, 1);
    }
  }

  /**
   * What the operator registers on chain 0 for a node with {@code id} bound at {@code bound}:
   * {@code <node id hex>@host:port}, the advertised host (and port, when given) or the bound ones.
   */
  public String registeredAddress(NodeId id, InetSocketAddress bound) {
    if (advertise.isEmpty()) {
      return new PeerAddress(id, bound).toString();
    }
    return new PeerAddress(id, parseAdvertise(advertise, bound.getPort())).toString();
  }

  /**
   * {@code host}, {@code host:port}, {@code [v6]} or {@code [v6]:port} (a bare IPv6 address has no
   * port); {@code defaultPort} when none is given.
   */
  static InetSocketAddress parseAdvertise(String text, int defaultPort) {
    String host = text;
    String port = null;
    if (text.startsWith("[")) {
      int close = text.indexOf(']');
      if (close < 0) {
        throw new InvalidInputException("advertise: unclosed '[' in '" + text + "'");
      }
      host = text.substring(1, close);
      String rest = text.substring(close + 1);
      if (!rest.isEmpty()) {
        if (!rest.startsWith(":")) {
          throw new InvalidInputException(
              "advertise: expected ':PORT' after ']' in '" + text + "'");
        }
        port = rest.substring(1);
      }
    } else if (text.indexOf(':') >= 0 && text.indexOf(':') == text.lastIndexOf(':')) {
      host = text.substring(0, text.indexOf(':'));
      port = text.substring(text.indexOf(':') + 1);
    }
    int portNumber = defaultPort;
    if (port != null) {
      try {
        portNumber = Integer.parseInt(port);
      } catch (NumberFormatException e) {
        throw new InvalidInputException("advertise: bad port in '" + text + "'");
      }
      if (portNumber < 1 || portNumber > 65535) {
        throw new InvalidInputException("advertise: port must be 1..65535, got " + portNumber);
      }
    }
    if (host.isEmpty() || host.chars().anyMatch(c -> c <= ' ' || c == '@' || c == '/')) {
      throw new InvalidInputException("advertise: expected HOST or HOST:PORT, got '" + text + "'");
    }
    if (isWildcard(host)) {
      throw new InvalidInputException(
          "advertise: "
              + host
              + " is not an address anyone can dial; give this node's reachable"
              + " name or IP");
    }
    return InetSocketAddress.createUnresolved(host, portNumber);
  }

  private static boolean isWildcard(String host) {
    String h = host.strip();
    return h.equals("0.0.0.0") || h.equals("::") || h.equals("[::]") || h.equals("0:0:0:0:0:0:0:0");
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
