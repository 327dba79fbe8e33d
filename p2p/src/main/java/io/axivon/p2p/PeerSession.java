package io.axivon.p2p;

import io.axivon.p2p.peer.TokenBucket;
import io.axivon.p2p.transport.Connection;
import io.axivon.p2p.transport.ConnectionListener;
import io.axivon.p2p.transport.Violation;
import io.axivon.p2p.wire.Message;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.tuweni.bytes.Bytes;

/** The node's state for one authenticated link; messages are handed to the node. */
final class PeerSession implements ConnectionListener.Session {
  final Connection connection;
  final TokenBucket messageBucket;
  final TokenBucket byteBucket;
  final ConcurrentHashMap<Long, PendingRequest> pending = new ConcurrentHashMap<>();
  final AtomicLong nextRequestId = new AtomicLong();
  final AtomicInteger inboundInFlight = new AtomicInteger();
  volatile Set<String> topics = Set.of();
  volatile boolean pexOutstanding;
  volatile long lastPexNanos;
  volatile long lastPingNanos;

  /**
   * A second link to an already connected node that wins the tie-break: it stands by, receiving but
   * not yet in the peer map, until its first message proves the remote accepted it too; only then
   * does it replace the old link. A link the remote refuses thus never displaces a good one.
   */
  volatile PeerSession standbyFor;

  /** Set once the node decided to drop this link (banned): later messages are ignored. */
  volatile boolean closing;

  private final P2pNode node;

  record PendingRequest(
      CompletableFuture<Bytes> future, int maxResponseBytes, ScheduledFuture<?>[] timer) {}

  PeerSession(P2pNode node, Connection connection, TokenBucket messages, TokenBucket bytes) {
    this.node = node;
    this.connection = connection;
    this.messageBucket = messages;
    this.byteBucket = bytes;
  }

  NodeId id() {
    return connection.remoteId();
  }

  @Override
  public void onMessage(Message message, int wireBytes) {
    node.onMessage(this, message, wireBytes);
  }

  @Override
  public void onViolation(Violation violation, String detail) {
    node.onViolation(this, violation, detail);
  }

  @Override
  public void onClosed() {
    node.onClosed(this);
  }

  void failPending(RequestException.Kind kind, String detail) {
    for (Long id : pending.keySet()) {
      PendingRequest request = pending.remove(id);
      if (request != null) {
        request.future().completeExceptionally(new RequestException(kind, detail));
      }
    }
  }

  @Override
  public String toString() {
    return connection.toString();
  }
}
