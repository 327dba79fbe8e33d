package io.axivon.p2p;

import java.util.List;
import java.util.Objects;

/**
 * A node's settings.
 *
 * @param bindHost address to listen on (e.g. 0.0.0.0, or 127.0.0.1 for tests)
 * @param bindPort port to listen on; 0 picks a free one
 * @param nodeKey the static identity key
 * @param networkId peers with another network id are refused in the handshake
 * @param staticPeers always dialed, always kept, reconnected with back-off
 */
public record P2pConfig(
    String bindHost,
    int bindPort,
    NodeKey nodeKey,
    long networkId,
    List<PeerAddress> staticPeers,
    P2pLimits limits) {

  public P2pConfig {
    Objects.requireNonNull(bindHost, "bindHost");
    Objects.requireNonNull(nodeKey, "nodeKey");
    Objects.requireNonNull(limits, "limits");
    staticPeers = List.copyOf(staticPeers);
    if (bindPort < 0 || bindPort > 65535) {
      throw new IllegalArgumentException("bind port must be 0-65535, got " + bindPort);
    }
  }

  /** Loopback, a free port, no static peers, default limits. */
  public static P2pConfig loopback(NodeKey nodeKey, long networkId) {
    return new P2pConfig("127.0.0.1", 0, nodeKey, networkId, List.of(), P2pLimits.defaults());
  }

  public P2pConfig withBind(String host, int port) {
    return new P2pConfig(host, port, nodeKey, networkId, staticPeers, limits);
  }

  public P2pConfig withStaticPeers(List<PeerAddress> peers) {
    return new P2pConfig(bindHost, bindPort, nodeKey, networkId, peers, limits);
  }

  public P2pConfig withLimits(P2pLimits newLimits) {
    return new P2pConfig(bindHost, bindPort, nodeKey, networkId, staticPeers, newLimits);
  }
}
