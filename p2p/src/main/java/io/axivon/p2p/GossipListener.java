package io.axivon.p2p;

import org.apache.tuweni.bytes.Bytes;

/** Receives each accepted gossip message of a topic once, on a network thread; must not block. */
@FunctionalInterface
public interface GossipListener {
  void onMessage(NodeId from, String topic, Bytes payload);
}
