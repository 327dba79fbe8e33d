package io.axivon.da.disperser;

import io.axivon.common.InvalidInputException;
import io.axivon.da.cert.DaOperator;
import io.axivon.da.chain.DaChain;
import io.axivon.p2p.NodeId;
import io.axivon.p2p.P2pNode;
import io.axivon.p2p.PeerAddress;
import io.axivon.p2p.PeerInfo;
import io.axivon.p2p.PeerListener;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** Links to quorum members at the addresses they registered on chain, waiting for the handshake. */
public final class PeerConnector implements PeerListener {
  private final P2pNode p2p;
  private final DaChain chain;
  private final Map<NodeId, CompletableFuture<Void>> waiting = new ConcurrentHashMap<>();

  public PeerConnector(P2pNode p2p, DaChain chain) {
    this.p2p = p2p;
    this.chain = chain;
    p2p.addPeerListener(this);
  }

  public P2pNode p2p() {
    return p2p;
  }

  /**
   * The member's P2P id, linked within {@code timeout}.
   *
   * @throws InvalidInputException if the operator registered no usable address
   * @throws MemberUnreachableException if no link came up in time
   */
  public NodeId connect(DaOperator member, Duration timeout) throws InterruptedException {
    String text =
        chain
            .address(member.id())
            .orElseThrow(
                () ->
                    new InvalidInputException(
                        "operator " + member.id().toHexString() + " registered no address"));
    PeerAddress address = PeerAddress.parse(text);
    NodeId id = address.id();
    if (p2p.isConnected(id)) {
      return id;
    }
    CompletableFuture<Void> linked = waiting.computeIfAbsent(id, x -> new CompletableFuture<>());
    p2p.addStaticPeer(address);
    if (p2p.isConnected(id)) {
      return id;
    }
    try {
      linked.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
      return id;
    } catch (TimeoutException | ExecutionException e) {
      throw new MemberUnreachableException("no link to " + text + " within " + timeout);
    } finally {
      waiting.remove(id, linked);
    }
  }

  @Override
  public void onConnected(PeerInfo peer) {
    CompletableFuture<Void> f = waiting.get(peer.id());
    if (f != null) {
      f.complete(null);
    }
  }

  @Override
  public void onDisconnected(NodeId peer) {}

  /** A quorum member could not be reached (as opposed to refusing or lying). */
  public static final class MemberUnreachableException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public MemberUnreachableException(String message) {
      super(message);
    }
  }
}
