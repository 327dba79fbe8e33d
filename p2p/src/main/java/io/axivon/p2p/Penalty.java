package io.axivon.p2p;

import java.util.Locale;

/**
 * Score penalties. A node's or IP's score starts at 0 and recovers towards it over time; at or
 * below the ban threshold (default -100) the node and its IP are banned for a while.
 */
public enum Penalty {
  /** A frame failed decryption, was oversize, or did not decode as a message. */
  MALFORMED_FRAME(60),
  /** A handshake message was malformed, mis-signed, or failed decryption (charged to the IP). */
  BAD_HANDSHAKE(30),
  /** The handshake did not finish in time (charged to the IP). */
  HANDSHAKE_TIMEOUT(15),
  /** A gossip validator rejected a message. */
  INVALID_GOSSIP(10),
  /** A message arrived beyond the per-peer rate limit (it is dropped). */
  RATE_LIMITED(5),
  /** A request larger than the protocol allows. */
  OVERSIZE_REQUEST(10),
  /** A peer-exchange response nobody asked for. */
  UNSOLICITED(5),
  /** The peer stopped reading and was cut off. */
  SLOW_PEER(30),
  /**
   * A response failed the requesting protocol's own checks (e.g. a storage segment whose proof does
   * not verify); charged by the protocol through {@link P2pNode#penalize}.
   */
  INVALID_RESPONSE(40);

  private final double points;

  Penalty(double points) {
    this.points = points;
  }

  public double points() {
    return points;
  }

  public String label() {
    return name().toLowerCase(Locale.ROOT);
  }
}
