package io.axivon.p2p.transport;

import io.axivon.p2p.PeerAddress;
import io.axivon.p2p.handshake.HandshakeFailure;
import io.axivon.p2p.wire.Message;
import java.net.InetSocketAddress;

/** What the transport reports to the node. Calls come on the link's event-loop thread. */
public interface ConnectionListener {

  /** Whether to accept a new inbound TCP connection from this address (e.g. not banned). */
  boolean acceptInbound(InetSocketAddress remote);

  /** A handshake failed; {@code dialed} is the address we dialed, or null for an inbound link. */
  void onHandshakeFailed(InetSocketAddress remote, PeerAddress dialed, HandshakeFailure failure);

  /**
   * A link is authenticated. Returns the session that receives its messages, or null after closing
   * the connection (duplicate, banned, too many peers).
   */
  Session onEstablished(Connection connection);

  /** The per-link receiver of an authenticated connection. */
  interface Session {
    void onMessage(Message message, int wireBytes);

    /** The transport is about to close the link for this reason. */
    void onViolation(Violation violation, String detail);

    /** The link is closed; called exactly once. */
    void onClosed();
  }
}
