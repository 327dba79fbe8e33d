package io.axivon.node.devnet;

import java.util.List;

/**
 * What a running devnet serves, as printed at start and written to {@code DIR/devnet.json} so
 * scripts and tests find every endpoint (format in specs/cli.md).
 *
 * @param metrics the Prometheus endpoint URL
 * @param chainId chain 0's consensus chain id
 * @param p2p chain 0's validators' P2P nodes, each dialable as {@code enode}
 */
public record DevnetManifest(
    String version,
    long networkId,
    String chainId,
    String dataDir,
    String metrics,
    List<P2pEndpoint> p2p) {

  public DevnetManifest {
    p2p = List.copyOf(p2p);
  }

  /**
   * One P2P node.
   *
   * @param enode {@code <node id hex>@host:port}, the form {@code axivon node --peer} takes
   */
  public record P2pEndpoint(int index, String nodeId, String address, String enode) {}
}
