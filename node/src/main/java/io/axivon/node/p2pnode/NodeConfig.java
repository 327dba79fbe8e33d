package io.axivon.node.p2pnode;

import java.nio.file.Path;
import java.util.List;

/**
 * {@code axivon node}'s configuration file (YAML or JSON); every key is also a flag.
 *
 * @param dataDir where the node key lives
 * @param networkId peers of another network are refused
 * @param p2p the P2P listener and its peers
 * @param metrics the Prometheus endpoint
 */
public record NodeConfig(Path dataDir, long networkId, P2p p2p, MetricsEndpoint metrics) {
  public static NodeConfig defaults() {
    return new NodeConfig(
        Path.of("./node-data"), 12700, P2p.defaults(), MetricsEndpoint.defaults());
  }

  /**
   * @param peers static peers, {@code <node id hex>@host:port}
   */
  public record P2p(String host, int port, List<String> peers) {
    public static P2p defaults() {
      return new P2p("127.0.0.1", 30303, List.of());
    }
  }

  public record MetricsEndpoint(String host, int port) {
    public static MetricsEndpoint defaults() {
      return new MetricsEndpoint("127.0.0.1", 9400);
    }
  }
}
