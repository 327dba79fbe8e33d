package io.axivon.p2p;

/** Hears about peers coming and going, on a network thread; must not block. */
public interface PeerListener {
  void onConnected(PeerInfo peer);

  void onDisconnected(NodeId peer);
}
