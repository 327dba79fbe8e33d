package io.axivon.p2p;

import org.apache.tuweni.bytes.Bytes;

/**
 * Judges a gossip message before it is delivered and relayed. Called on a network thread for the
 * first copy of each message only; must be quick and must not block.
 */
@FunctionalInterface
public interface GossipValidator {
  enum Result {
    /** Deliver locally and relay to up to D subscribed peers. */
    ACCEPT,
    /** Neither deliver nor relay; the sender is not blamed (e.g. stale but well-formed). */
    IGNORE,
    /** Neither deliver nor relay, and lower the sender's score (invalid content). */
    REJECT
  }

  Result validate(NodeId from, Bytes payload);

  static GossipValidator acceptAll() {
    return (from, payload) -> Result.ACCEPT;
  }
}
