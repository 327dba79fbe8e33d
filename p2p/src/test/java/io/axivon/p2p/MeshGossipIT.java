package io.axivon.p2p;

import static io.axivon.p2p.TestSupport.await;
import static io.axivon.p2p.TestSupport.metric;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.tuweni.bytes.Bytes;
import org.junit.jupiter.api.Test;

/** Many nodes on loopback forming a mesh from one bootstrap node plus peer exchange. */
class MeshGossipIT {
  private static final int NODES = 10;

  @Test
  void meshFromStaticPeersAndPexDeliversEveryMessageExactlyOnce() {
    try (TestSupport.Cluster cluster = new TestSupport.Cluster()) {
      P2pLimits limits = TestSupport.fastLimits().gossipFanOut(3).build();
      P2pNode bootstrap = cluster.start(limits, List.of());
      for (int i = 1; i < NODES; i++) {
        cluster.start(limits, List.of(bootstrap.localAddress()));
      }
      List<P2pNode> nodes = cluster.nodes;

      // delivery counts per (receiving node, payload); node 9 is not subscribed to "blocks"
      Map<String, AtomicInteger> deliveries = new ConcurrentHashMap<>();
      P2pNode bystander = nodes.get(NODES - 1);
      for (P2pNode node : nodes) {
        if (node == bystander) {
          node.subscribe("other", GossipValidator.acceptAll(), (f, t, p) -> {});
          continue;
        }
        node.subscribe(
            "blocks",
            GossipValidator.acceptAll(),
            (from, topic, payload) ->
                deliveries
                    .computeIfAbsent(
                        node.localId().shortHex() + "/" + text(payload), k -> new AtomicInteger())
                    .incrementAndGet());
      }

      await(
          "a full mesh through peer exchange",
          () -> nodes.stream().allMatch(n -> n.peers().size() == NODES - 1));
      await(
          "every node to know every subscription",
          () ->
              nodes.stream()
                  .allMatch(
                      n ->
                          n.peers().stream().filter(p -> p.topics().contains("blocks")).count()
                              == (n == bystander ? NODES - 1 : NODES - 2)));

      List<String> published = new ArrayList<>();
      for (int p = 0; p < 3; p++) {
        P2pNode publisher = nodes.get(p * 3);
        for (int m = 0; m < 20; m++) {
          String body = "block-" + p + "-" + m;
          assertThat(publisher.publish("blocks", Bytes.wrap(body.getBytes(StandardCharsets.UTF_8))))
              .isEqualTo(NODES - 2);
          published.add(publisher.localId().shortHex() + "|" + body);
        }
      }

      int expected = published.size() * (NODES - 2); // every subscriber except the publisher
      await("every subscriber to get every message", () -> deliveries.size() == expected);
      for (String entry : published) {
        String publisher = entry.substring(0, entry.indexOf('|'));
        String body = entry.substring(entry.indexOf('|') + 1);
        for (P2pNode node : nodes) {
          AtomicInteger count = deliveries.get(node.localId().shortHex() + "/" + body);
          if (node == bystander || node.localId().shortHex().equals(publisher)) {
            assertThat(count).as("%s must not get %s", node.localId().shortHex(), body).isNull();
          } else {
            assertThat(count).as("deliveries of %s", body).isNotNull();
            assertThat(count.get()).isEqualTo(1);
          }
        }
      }
      double duplicates = 0;
      for (P2pNode node : nodes) {
        duplicates +=
            metric(
                cluster.registry(node), "axivon_p2p_messages_dropped_total", "reason", "duplicate");
      }
      assertThat(duplicates).as("relays overlap, and the seen-cache drops the copies").isPositive();
      assertThat(
              metric(cluster.registry(bystander), "axivon_p2p_messages_in_total", "type", "gossip"))
          .isZero();
    }
  }

  @Test
  void relaysCarryMessagesAcrossHopsAndRejectedMessagesCostTheSender() {
    try (TestSupport.Cluster cluster = new TestSupport.Cluster()) {
      // a line a - b - c - d: the ends take one peer and the middle two, so peer exchange cannot
      // add a shortcut (with two slots at a, a could dial c, learned from b, before d takes c's
      // second slot, and d would never join)
      P2pLimits limits = TestSupport.fastLimits().maxPeers(2).scoreRecoveryPerSecond(0.01).build();
      P2pLimits end = limits.toBuilder().maxPeers(1).build();
      P2pNode a = cluster.start(end, List.of());
      P2pNode b = cluster.start(limits, List.of(a.localAddress()));
      P2pNode c = cluster.start(limits, List.of(b.localAddress()));
      P2pNode d = cluster.start(end, List.of(c.localAddress()));
      Map<String, List<String>> got = new ConcurrentHashMap<>();
      for (P2pNode node : List.of(a, b, c, d)) {
        node.subscribe(
            "votes",
            (from, payload) ->
                payload.get(0) == (byte) 0xff
                    ? GossipValidator.Result.REJECT
                    : GossipValidator.Result.ACCEPT,
            (from, topic, payload) ->
                got.computeIfAbsent(
                        node.localId().shortHex(),
                        k -> new java.util.concurrent.CopyOnWriteArrayList<>())
                    .add(payload.toHexString()));
      }
      await(
          "the line to form",
          () ->
              a.isConnected(b.localId())
                  && b.isConnected(c.localId())
                  && c.isConnected(d.localId())
                  && d.peers().stream().anyMatch(p -> p.topics().contains("votes"))
                  && a.peers().stream().anyMatch(p -> p.topics().contains("votes"))
                  && b.peers().stream().filter(p -> p.topics().contains("votes")).count() == 2
                  && c.peers().stream().filter(p -> p.topics().contains("votes")).count() == 2);
      assertThat(a.peers()).hasSize(1);

      a.publish("votes", Bytes.of(1, 2, 3));
      await("d, three hops away, to get it", () -> got.containsKey(d.localId().shortHex()));
      assertThat(got.get(b.localId().shortHex())).containsExactly("0x010203");
      assertThat(got.get(c.localId().shortHex())).containsExactly("0x010203");

      for (int i = 0; i < 3; i++) {
        a.publish("votes", Bytes.of(0xff, i));
      }
      await("b to blame a for invalid votes", () -> b.score(a.localId()) < -29);
      assertThat(got.get(b.localId().shortHex())).hasSize(1);
      assertThat(metric(cluster.registry(c), "axivon_p2p_messages_in_total", "type", "gossip"))
          .as("rejected messages are not relayed")
          .isEqualTo(1);
    }
  }

  @Test
  void aTopicValidatedOnItsOwnExecutorNeverHoldsUpAnotherTopicAndIsStillRelayed() throws Exception {
    try (TestSupport.Cluster cluster = new TestSupport.Cluster()) {
      // one I/O thread per node: everything a connection reads is handled on it
      P2pLimits limits = TestSupport.fastLimits().maxPeers(2).ioThreads(1).build();
      P2pLimits end = limits.toBuilder().maxPeers(1).build();
      P2pNode a = cluster.start(end, List.of());
      P2pNode b = cluster.start(limits, List.of(a.localAddress()));
      P2pNode c = cluster.start(end, List.of(b.localAddress()));
      java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
      java.util.concurrent.ExecutorService slowLane =
          java.util.concurrent.Executors.newSingleThreadExecutor();
      List<String> votesAtB = new java.util.concurrent.CopyOnWriteArrayList<>();
      List<String> txsAtC = new java.util.concurrent.CopyOnWriteArrayList<>();
      try {
        for (P2pNode node : List.of(a, b, c)) {
          node.subscribe(
              "votes",
              GossipValidator.acceptAll(),
              (from, topic, payload) -> {
                if (node == b) {
                  votesAtB.add(payload.toHexString());
                }
              });
        }
        a.subscribe("txs", GossipValidator.acceptAll(), (f, t, p) -> {});
        c.subscribe("txs", GossipValidator.acceptAll(), (f, t, p) -> txsAtC.add(p.toHexString()));
        // b's validator for "txs" waits, as a mempool check waits for a block's execution
        b.subscribe(
            "txs",
            (from, payload) -> {
              try {
                release.await();
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
              return GossipValidator.Result.ACCEPT;
            },
            (f, t, p) -> {},
            slowLane);
        await(
            "the line to form",
            () ->
                a.isConnected(b.localId())
                    && b.isConnected(c.localId())
                    && a.peers().stream().anyMatch(p -> p.topics().contains("txs"))
                    && b.peers().stream().filter(p -> p.topics().contains("txs")).count() == 2
                    && b.peers().stream().filter(p -> p.topics().contains("votes")).count() == 2);

        a.publish("txs", Bytes.of(7));
        a.publish("votes", Bytes.of(1));
        await("b to get the vote while its tx check still waits", () -> votesAtB.size() == 1);
        assertThat(txsAtC).as("not relayed before b's check accepts it").isEmpty();
        release.countDown();
        await("c, behind b, to get the tx relayed", () -> txsAtC.equals(List.of("0x07")));
      } finally {
        release.countDown();
        slowLane.shutdownNow();
      }
    }
  }

  private static String text(Bytes payload) {
    return new String(payload.toArrayUnsafe(), StandardCharsets.UTF_8);
  }
}
