package io.axivon.p2p;

import static io.axivon.p2p.TestSupport.await;
import static io.axivon.p2p.TestSupport.metric;
import static org.assertj.core.api.Assertions.assertThat;

import io.axivon.p2p.handshake.SpecHandshake;
import io.axivon.p2p.wire.Message;
import io.prometheus.client.CollectorRegistry;
import java.io.EOFException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.tuweni.bytes.Bytes;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Misbehaving peers, each from its own loopback address, against a node that keeps an honest link:
 * every attacker is cut off, and honest gossip and requests keep flowing.
 */
class AdversarialIT {
  private static final Duration CUT_OFF = Duration.ofSeconds(10);
  private final Random random = new Random(1);
  private final AtomicInteger round = new AtomicInteger();
  private final Set<String> received = ConcurrentHashMap.newKeySet();
  private TestSupport.Cluster cluster;
  private P2pNode target;
  private P2pNode friend;
  private CollectorRegistry metrics;
  private InetSocketAddress address;

  @BeforeEach
  void start() {
    cluster = new TestSupport.Cluster();
    P2pLimits limits =
        TestSupport.fastLimits()
            .handshakeTimeout(Duration.ofSeconds(1))
            .slowPeerTimeout(Duration.ofMillis(500))
            .writeBufferHighWaterMark(256 * 1024)
            .messageRate(200, 200)
            .build();
    target = cluster.start(limits, List.of());
    friend = cluster.start(TestSupport.fastLimits().build(), List.of(target.localAddress()));
    metrics = cluster.registry(target);
    address = target.listenAddress();
    target.subscribe(
        "chat",
        GossipValidator.acceptAll(),
        (from, topic, payload) -> received.add(payload.toHexString()));
    friend.onRequest("echo", (from, req) -> CompletableFuture.completedFuture(req));
    await(
        "friend connected and subscribed",
        () ->
            friend.peers().stream().anyMatch(p -> p.topics().contains("chat"))
                && target.isConnected(friend.localId()));
  }

  @AfterEach
  void stop() {
    cluster.close();
  }

  private void assertHonestTrafficFlows() throws Exception {
    Bytes payload = Bytes.ofUnsignedInt(round.incrementAndGet());
    assertThat(friend.publish("chat", payload)).isEqualTo(1);
    await("honest gossip", () -> received.contains(payload.toHexString()));
    assertThat(
            target
                .request(friend.localId(), "echo", payload, Duration.ofSeconds(10))
                .get(15, TimeUnit.SECONDS))
        .isEqualTo(payload);
    assertThat(target.isConnected(friend.localId())).isTrue();
    assertThat(target.score(friend.localId())).isZero();
  }

  private double handshakeFailures(String reason) {
    return metric(metrics, "axivon_p2p_handshake_failures_total", "reason", reason);
  }

  @Test
  void dialerDropsAPeerThatIsNotTheExpectedNode() throws Exception {
    NodeId expected = NodeKey.generate().id();
    target.addStaticPeer(new PeerAddress(expected, friend.listenAddress()));
    await("unexpected peer refused", () -> handshakeFailures("unexpected_peer") >= 1);
    assertThat(target.isConnected(expected)).isFalse();
    assertHonestTrafficFlows();
  }

  @Test
  void badSignatureGarbageWrongNetworkAndWrongVersionAreRefused() throws Exception {
    try (RawPeer peer = new RawPeer(address, "127.0.0.2")) {
      SpecHandshake hs = new SpecHandshake(true, TestSupport.NETWORK, 2);
      peer.sendFrame(hs.hello());
      hs.onRemoteHello(peer.readFrame());
      NodeKey claimed = NodeKey.generate();
      peer.sendFrame(hs.auth(claimed.id(), 0, NodeKey.generate().sign(hs.signedMessage(true, 0))));
      assertThat(peer.awaitClosed(CUT_OFF)).isTrue();
      assertThat(target.isConnected(claimed.id())).isFalse();
    }
    assertThat(handshakeFailures("bad_signature")).isEqualTo(1);

    try (RawPeer peer = new RawPeer(address, "127.0.0.3")) {
      byte[] garbage = new byte[1000];
      random.nextBytes(garbage);
      peer.sendRaw(garbage);
      assertThat(peer.awaitClosed(CUT_OFF)).isTrue();
    }
    try (RawPeer peer = new RawPeer(address, "127.0.0.3")) {
      byte[] garbage = new byte[48]; // the right size for a hello, but no magic
      random.nextBytes(garbage);
      peer.sendFrame(garbage);
      assertThat(peer.awaitClosed(CUT_OFF)).isTrue();
    }
    await(
        "garbage counted",
        () -> handshakeFailures("frame_too_large") + handshakeFailures("malformed") >= 2);

    try (RawPeer peer = new RawPeer(address, "127.0.0.4")) {
      peer.sendFrame(new SpecHandshake(true, TestSupport.NETWORK + 1, 2).hello());
      assertThat(peer.awaitClosed(CUT_OFF)).isTrue();
    }
    try (RawPeer peer = new RawPeer(address, "127.0.0.4")) {
      peer.sendFrame(new SpecHandshake(true, TestSupport.NETWORK, 3).hello());
      assertThat(peer.awaitClosed(CUT_OFF)).isTrue();
    }
    await("network mismatch counted", () -> handshakeFailures("network_mismatch") == 1);
    await("version mismatch counted", () -> handshakeFailures("version_mismatch") == 1);
    assertHonestTrafficFlows();
  }

  @Test
  void peerStallingMidHandshakeIsCutOffAtTheTimeout() throws Exception {
    try (RawPeer peer = new RawPeer(address, "127.0.0.5")) {
      byte[] hello = new SpecHandshake(true, TestSupport.NETWORK, 2).hello();
      peer.sendRaw(ByteBuffer.allocate(14).putInt(hello.length).put(hello, 0, 10).array());
      assertThat(peer.awaitClosed(CUT_OFF)).isTrue();
    }
    assertThat(handshakeFailures("timeout")).isEqualTo(1);
    assertHonestTrafficFlows();
  }

  @Test
  void oversizeFrameAfterTheHandshakeIsRefusedBeforeItsBodyArrives() throws Exception {
    NodeKey key = NodeKey.generate();
    try (RawPeer peer = new RawPeer(address, "127.0.0.6")) {
      peer.handshake(key, TestSupport.NETWORK, 2);
      await("attacker admitted", () -> target.isConnected(key.id()));
      peer.sendRaw(ByteBuffer.allocate(4).putInt(Integer.MAX_VALUE).array()); // and no body
      assertThat(peer.awaitClosed(CUT_OFF)).isTrue();
    }
    assertThat(metric(metrics, "axivon_p2p_messages_dropped_total", "reason", "frame_too_large"))
        .isEqualTo(1);
    assertThat(target.score(key.id())).isNegative();
    assertHonestTrafficFlows();
  }

  @Test
  void garbageOrMalformedMessagesAfterTheHandshakeAreCutOff() throws Exception {
    NodeKey key = NodeKey.generate();
    try (RawPeer peer = new RawPeer(address, "127.0.0.7")) {
      peer.handshake(key, TestSupport.NETWORK, 2);
      byte[] garbage = new byte[100];
      random.nextBytes(garbage);
      peer.sendFrame(garbage);
      assertThat(peer.awaitClosed(CUT_OFF)).isTrue();
    }
    try (RawPeer peer = new RawPeer(address, "127.0.0.7")) {
      SpecHandshake hs = peer.handshake(key, TestSupport.NETWORK, 2);
      peer.sendFrame(hs.sender().seal(new byte[] {0x7f, 1, 2})); // no such message type
      assertThat(peer.awaitClosed(CUT_OFF)).isTrue();
    }
    await(
        "violations counted",
        () ->
            metric(metrics, "axivon_p2p_messages_dropped_total", "reason", "decrypt_failed") == 1
                && metric(
                        metrics, "axivon_p2p_messages_dropped_total", "reason", "malformed_message")
                    == 1);
    // two malformed frames at 50 points each reach the ban threshold
    await("attacker banned", () -> target.isBanned(key.id()));
    assertThat(target.isBanned(InetAddress.getByName("127.0.0.7"))).isTrue();
    assertHonestTrafficFlows();
  }

  @Test
  void peerThatStopsReadingIsDroppedNotBufferedForever() throws Exception {
    NodeKey key = NodeKey.generate();
    try (RawPeer peer = new RawPeer(address, "127.0.0.8", 4096)) {
      peer.handshake(key, TestSupport.NETWORK, 2);
      peer.send(new Message.Subscriptions(List.of("bulk")));
      await(
          "attacker subscribed",
          () ->
              target.peers().stream()
                  .anyMatch(p -> p.id().equals(key.id()) && p.topics().contains("bulk")));
      // Gossip keeps flowing while the peer reads nothing: its kernel buffers fill, our outbound
      // buffer stays above the high-water mark, and the slow-peer timer cuts it off. Publish until
      // that happens rather than a fixed amount: how much the kernel absorbs first varies with
      // load.
      byte[] chunk = new byte[64 * 1024];
      long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(30);
      while (target.isConnected(key.id()) && System.nanoTime() < deadline) {
        random.nextBytes(chunk);
        target.publish("bulk", Bytes.wrap(chunk.clone()));
      }
      await("slow peer dropped", () -> !target.isConnected(key.id()));
    }
    assertThat(metric(metrics, "axivon_p2p_messages_dropped_total", "reason", "slow_peer"))
        .isPositive();
    assertHonestTrafficFlows();
  }

  @Test
  void floodingPastTheRateLimitEndsInABan() throws Exception {
    NodeKey key = NodeKey.generate();
    try (RawPeer peer = new RawPeer(address, "127.0.0.9")) {
      peer.handshake(key, TestSupport.NETWORK, 2);
      for (int i = 0; i < 600 && !target.isBanned(key.id()); i++) {
        peer.send(new Message.Ping(i));
      }
      await("flooder banned", () -> target.isBanned(key.id()));
      assertThat(peer.awaitClosed(CUT_OFF)).isTrue();
    }
    assertThat(metric(metrics, "axivon_p2p_messages_dropped_total", "reason", "rate_limited"))
        .isPositive();
    assertThat(metric(metrics, "axivon_p2p_bans_total", "kind", "node")).isEqualTo(1);
    // the banned IP is refused at accept, before any handshake
    try (RawPeer peer = new RawPeer(address, "127.0.0.9")) {
      org.assertj.core.api.Assertions.assertThatThrownBy(peer::readFrame)
          .isInstanceOfAny(EOFException.class, java.net.SocketException.class);
    }
    assertHonestTrafficFlows();
  }

  @Test
  void repeatedBadHandshakesBanTheAddress() throws Exception {
    InetAddress ip = InetAddress.getByName("127.0.0.10");
    for (int i = 0; i < 4; i++) {
      try (RawPeer peer = new RawPeer(address, "127.0.0.10")) {
        peer.sendFrame(new byte[3]);
        assertThat(peer.awaitClosed(CUT_OFF)).isTrue();
      }
    }
    await("address banned", () -> target.isBanned(ip));
    assertThat(metric(metrics, "axivon_p2p_bans_total", "kind", "ip")).isEqualTo(1);
    // nor is the banned address dialed: a static peer there gets no connection while one on
    // another address, added at the same moment, does
    try (java.net.ServerSocket banned = new java.net.ServerSocket(0, 5, ip);
        java.net.ServerSocket open =
            new java.net.ServerSocket(0, 5, InetAddress.getByName("127.0.0.11"))) {
      target.addStaticPeer(
          new PeerAddress(
              NodeKey.generate().id(), new java.net.InetSocketAddress(ip, banned.getLocalPort())));
      target.addStaticPeer(
          new PeerAddress(
              NodeKey.generate().id(),
              new java.net.InetSocketAddress(open.getInetAddress(), open.getLocalPort())));
      open.setSoTimeout(30_000);
      open.accept().close();
      banned.setSoTimeout(2_000); // several maintenance ticks after the other was dialed
      org.assertj.core.api.Assertions.assertThatThrownBy(banned::accept)
          .isInstanceOf(java.net.SocketTimeoutException.class);
    }
    assertHonestTrafficFlows();
  }
}
