package io.axivon.p2p;

import static io.axivon.p2p.TestSupport.await;
import static io.axivon.p2p.TestSupport.metric;
import static io.axivon.p2p.TestSupport.threadsOf;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.prometheus.client.CollectorRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.tuweni.bytes.Bytes;
import org.junit.jupiter.api.Test;

class LifecycleIT {

  @Test
  void closeStopsEveryThreadAndIsIdempotent() {
    NodeKey key = NodeKey.generate();
    P2pNode node =
        new P2pNode(
            P2pConfig.loopback(key, TestSupport.NETWORK)
                .withLimits(TestSupport.fastLimits().ioThreads(2).build()),
            new CollectorRegistry());
    assertThat(node.start().getPort()).isPositive();
    assertThat(threadsOf(key.id())).isNotEmpty();
    assertThatThrownBy(node::start).isInstanceOf(IllegalStateException.class);
    node.close();
    node.close();
    await("threads gone", () -> threadsOf(key.id()).isEmpty());

    P2pNode neverStarted =
        new P2pNode(P2pConfig.loopback(NodeKey.generate(), 1), new CollectorRegistry());
    neverStarted.close();
    await("threads gone", () -> threadsOf(neverStarted.localId()).isEmpty());
  }

  @Test
  void staticPeerIsReconnectedAfterItRestarts() {
    try (TestSupport.Cluster cluster = new TestSupport.Cluster()) {
      NodeKey serverKey = NodeKey.generate();
      P2pNode server = cluster.start(serverKey, TestSupport.fastLimits().build(), List.of());
      int port = server.listenAddress().getPort();
      P2pNode client =
          cluster.start(TestSupport.fastLimits().build(), List.of(server.localAddress()));
      List<String> events = new CopyOnWriteArrayList<>();
      client.addPeerListener(
          new PeerListener() {
            @Override
            public void onConnected(PeerInfo peer) {
              events.add("up " + peer.id().shortHex());
            }

            @Override
            public void onDisconnected(NodeId peer) {
              events.add("down " + peer.shortHex());
            }
          });
      await("connected", () -> client.isConnected(serverKey.id()));

      server.close();
      await("client notices", () -> !client.isConnected(serverKey.id()));
      // same identity, same port: the client's back-off loop finds it again
      P2pNode restarted =
          new P2pNode(
              P2pConfig.loopback(serverKey, TestSupport.NETWORK)
                  .withBind("127.0.0.1", port)
                  .withLimits(TestSupport.fastLimits().build()),
              new CollectorRegistry());
      cluster.nodes.add(restarted);
      cluster.registries.add(new CollectorRegistry());
      restarted.start();
      await("reconnected", () -> client.isConnected(serverKey.id()));
      // Listeners are told after the link is up, on another thread: wait for the event itself.
      String up = "up " + serverKey.id().shortHex();
      String down = "down " + serverKey.id().shortHex();
      await(
          "down then up events",
          () -> events.indexOf(down) >= 0 && events.lastIndexOf(up) > events.indexOf(down));
      assertThat(events).containsSubsequence(down, up);
    }
  }

  @Test
  void maxPeersIsEnforcedOnInboundLinks() {
    try (TestSupport.Cluster cluster = new TestSupport.Cluster()) {
      P2pNode hub = cluster.start(TestSupport.fastLimits().maxPeers(2).build(), List.of());
      AtomicInteger current = new AtomicInteger();
      AtomicInteger max = new AtomicInteger();
      hub.addPeerListener(
          new PeerListener() {
            @Override
            public void onConnected(PeerInfo peer) {
              max.accumulateAndGet(current.incrementAndGet(), Math::max);
            }

            @Override
            public void onDisconnected(NodeId peer) {
              current.decrementAndGet();
            }
          });
      for (int i = 0; i < 4; i++) {
        cluster.start(TestSupport.fastLimits().build(), List.of(hub.localAddress()));
      }
      await("hub full", () -> hub.peers().size() == 2);
      await(
          "two dialers turned away",
          () ->
              cluster.nodes.subList(1, 5).stream()
                      .filter(
                          n ->
                              metric(
                                      cluster.registry(n),
                                      "axivon_p2p_messages_in_total",
                                      "type",
                                      "disconnect")
                                  > 0)
                      .count()
                  >= 2);
      assertThat(max.get()).isEqualTo(2);
      assertThat(hub.peers()).hasSize(2);
      // the turned-away dialers found each other or the admitted ones through peer exchange
      await(
          "everyone has a peer", () -> cluster.nodes.stream().allMatch(n -> !n.peers().isEmpty()));
    }
  }

  @Test
  void nodesDialingEachOtherSettleOnOneSharedLink() throws Exception {
    try (TestSupport.Cluster cluster = new TestSupport.Cluster()) {
      List<P2pNode[]> pairs = new ArrayList<>();
      for (int i = 0; i < 4; i++) {
        P2pNode a = cluster.start(TestSupport.fastLimits().build(), List.of());
        P2pNode b = cluster.start(TestSupport.fastLimits().build(), List.of(a.localAddress()));
        a.addStaticPeer(b.localAddress()); // both now dial, often at the same moment
        pairs.add(new P2pNode[] {a, b});
      }
      for (P2pNode[] pair : pairs) {
        P2pNode a = pair[0];
        P2pNode b = pair[1];
        await(
            "one link, seen from both ends as the same connection",
            () -> {
              List<PeerInfo> fromA = a.peers();
              List<PeerInfo> fromB = b.peers();
              return fromA.size() == 1
                  && fromB.size() == 1
                  && fromA.get(0).outbound() != fromB.get(0).outbound()
                  && fromA.get(0).remoteAddress().getPort()
                      == b.listenAddress().getPort()
                      == fromA.get(0).outbound();
            });
        b.onRequest("ping", (from, req) -> CompletableFuture.completedFuture(req));
        assertThat(
                a.request(b.localId(), "ping", Bytes.of(1), Duration.ofSeconds(10))
                    .get(15, TimeUnit.SECONDS))
            .isEqualTo(Bytes.of(1));
      }
    }
  }
}
