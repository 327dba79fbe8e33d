package io.axivon.storage.sync;

import static org.assertj.core.api.Assertions.assertThat;

import io.axivon.p2p.NodeId;
import io.axivon.p2p.NodeKey;
import io.axivon.p2p.P2pConfig;
import io.axivon.p2p.P2pLimits;
import io.axivon.p2p.P2pNode;
import io.axivon.p2p.PeerAddress;
import io.axivon.sdk.storage.layout.FileLayout;
import io.axivon.sdk.storage.layout.FileTree;
import io.axivon.sdk.storage.layout.Layout;
import io.axivon.sdk.storage.layout.SegmentWithProof;
import io.axivon.storage.node.FlowView;
import io.axivon.storage.node.InMemoryFlowView;
import io.axivon.storage.node.ShardConfig;
import io.axivon.storage.node.StorageNode;
import io.axivon.storage.node.StorageService;
import io.axivon.storage.sync.SegmentSyncProtocol.ProvenSegment;
import io.axivon.storage.sync.SegmentSyncProtocol.Request;
import io.axivon.storage.sync.SegmentSyncProtocol.Response;
import io.prometheus.client.CollectorRegistry;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.function.BooleanSupplier;
import org.apache.tuweni.bytes.Bytes;
import org.apache.tuweni.bytes.Bytes32;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Storage nodes on loopback over real P2P, sharing one flow: segments move by sync alone. */
class SegmentSyncIT {
  private static final long NETWORK = 77;
  private static final StorageService.NetworkIdentity IDENTITY =
      new StorageService.NetworkIdentity(12700, "0x0000000000000000000000000000000000000abc");

  private final InMemoryFlowView flow =
      new InMemoryFlowView(new FlowView.SyncPoint(1, Bytes32.ZERO));
  private final List<AutoCloseable> open = new ArrayList<>();

  @TempDir Path dir;

  @AfterEach
  void closeAll() throws Exception {
    for (AutoCloseable c : open.reversed()) {
      c.close();
    }
    await(
        "sync threads to end",
        () ->
            Thread.getAllStackTraces().keySet().stream()
                .noneMatch(t -> t.isAlive() && t.getName().startsWith("axivon-storage-sync")));
  }

  private static P2pLimits fastLimits() {
    return P2pLimits.defaults().toBuilder()
        .handshakeTimeout(Duration.ofSeconds(3))
        .maintenanceInterval(Duration.ofMillis(50))
        .pexInterval(Duration.ofMillis(300))
        .pingInterval(Duration.ofSeconds(1))
        .reconnect(Duration.ofMillis(50), Duration.ofSeconds(1))
        .ioThreads(1)
        .build();
  }

  private StorageNode node(String name, CollectorRegistry registry, List<PeerAddress> peers)
      throws InterruptedException {
    return node(name, registry, peers, ShardConfig.ALL);
  }

  private StorageNode node(
      String name, CollectorRegistry registry, List<PeerAddress> peers, ShardConfig shard)
      throws InterruptedException {
    P2pConfig p2p =
        P2pConfig.loopback(NodeKey.generate(), NETWORK)
            .withLimits(fastLimits())
            .withStaticPeers(peers);
    SyncSettings sync =
        SyncSettings.defaults(p2p)
            .withInterval(Duration.ofMillis(50))
            .withBackoff(Duration.ofMillis(50), Duration.ofMillis(400));
    StorageNode.Config config =
        StorageNode.Config.defaults(dir.resolve(name), IDENTITY)
            .withRpcAddress(new InetSocketAddress("127.0.0.1", 0))
            .withShard(shard)
            .withSync(sync);
    StorageNode node = StorageNode.start(config, flow, registry);
    open.add(node);
    return node;
  }

  private record File(byte[] data, FileTree tree) {
    FileLayout layout() {
      return tree.layout();
    }

    SegmentWithProof segment(long i) {
      FileLayout l = layout();
      return tree.segment(i, data, (int) l.segmentOffset(i), l.segmentFileBytes(i));
    }
  }

  /**
   * A file of 5 full segments and a partial one, submitted to the flow and uploaded to {@code to}.
   */
  private File uploadTo(StorageNode to) {
    byte[] data = new byte[5 * Layout.SEGMENT_SIZE + 3000];
    new Random(11).nextBytes(data);
    File f = new File(data, FileTree.of(data));
    flow.submit(f.tree().submission());
    List<SegmentWithProof> segments = new ArrayList<>();
    for (long i = 0; i < f.layout().segments(); i++) {
      segments.add(f.segment(i));
    }
    to.service().upload(segments);
    assertThat(to.service().fileInfo(f.tree().root(), false).orElseThrow().finalized()).isTrue();
    return f;
  }

  private static boolean finalized(StorageNode node, File f) {
    return node.service().fileInfo(f.tree().root(), false).map(i -> i.finalized()).orElse(false);
  }

  /** Every segment the node serves verifies on its own and matches the original. */
  private static void assertHoldsVerifiedCopy(StorageNode node, File f) {
    for (long i = 0; i < f.layout().segments(); i++) {
      SegmentWithProof s = node.service().downloadWithProof(f.tree().root(), i).orElseThrow();
      s.verify();
      assertThat(s.data()).isEqualTo(f.segment(i).data());
    }
    byte[] first = node.service().download(f.tree().root(), 0, 1024).orElseThrow().toArray();
    assertThat(first).isEqualTo(java.util.Arrays.copyOf(f.data(), Layout.SEGMENT_SIZE));
  }

  private static double metric(CollectorRegistry registry, String name) {
    Double v = registry.getSampleValue(name);
    return v == null ? 0 : v;
  }

  @Test
  void aNodeSyncsAFileUploadedOnlyToItsPeerAndServesIt() throws Exception {
    CollectorRegistry regA = new CollectorRegistry();
    CollectorRegistry regB = new CollectorRegistry();
    StorageNode a = node("a", regA, List.of());
    StorageNode b = node("b", regB, List.of(a.p2p().orElseThrow().localAddress()));
    // gossip reaches only peers linked and subscribed when it is published
    NodeId bId = b.p2p().orElseThrow().localId();
    await(
        "a to see b subscribed to announcements",
        () ->
            a.p2p().orElseThrow().peers().stream()
                .anyMatch(
                    p -> p.id().equals(bId) && p.topics().contains(FinalizedAnnouncement.TOPIC)));
    File f = uploadTo(a);

    await("b to hold the file", () -> finalized(b, f));
    assertHoldsVerifiedCopy(b, f);
    assertThat(metric(regB, "axivon_storage_sync_segments_total")).isEqualTo(6);
    assertThat(metric(regB, "axivon_storage_sync_files_completed_total")).isEqualTo(1);
    assertThat(metric(regB, "axivon_storage_sync_rejected_total")).isZero();
    // a announced the file once the upload finalized it
    await(
        "b to hear a's announcement",
        () -> metric(regB, "axivon_storage_sync_announcements_received_total") >= 1);

    // b now serves what it synced: a third node peered with b alone gets the file from it
    CollectorRegistry regC = new CollectorRegistry();
    StorageNode c = node("c", regC, List.of(b.p2p().orElseThrow().localAddress()));
    await("c to hold the file", () -> finalized(c, f));
    assertHoldsVerifiedCopy(c, f);
    assertThat(metric(regA, "axivon_storage_sync_segments_total")).isZero();
  }

  @Test
  void aShardedNodeSyncsOnlyItsShard() throws Exception {
    StorageNode a = node("a", new CollectorRegistry(), List.of());
    CollectorRegistry regB = new CollectorRegistry();
    StorageNode b =
        node("b", regB, List.of(a.p2p().orElseThrow().localAddress()), new ShardConfig(1, 2));
    File f = uploadTo(a); // the flow's first file: segment i is global segment i

    await("b to hold its shard of the file", () -> finalized(b, f));
    for (long i = 0; i < f.layout().segments(); i++) {
      var s = b.service().downloadWithProof(f.tree().root(), i);
      if (i % 2 == 1) {
        s.orElseThrow().verify();
        assertThat(s.orElseThrow().data()).isEqualTo(f.segment(i).data());
      } else {
        assertThat(s).as("segment %d is outside b's shard", i).isEmpty();
      }
    }
    assertThat(metric(regB, "axivon_storage_sync_segments_total")).isEqualTo(3);
  }

  @Test
  void aPeerServingATamperedSegmentIsPenalisedAndAnHonestPeerCompletesTheFile() throws Exception {
    StorageNode honest = node("honest", new CollectorRegistry(), List.of());
    File f = uploadTo(honest);

    // a peer that answers every request with the right proofs over flipped data
    P2pNode liar =
        new P2pNode(
            P2pConfig.loopback(NodeKey.generate(), NETWORK).withLimits(fastLimits()),
            new CollectorRegistry());
    open.add(liar);
    liar.onRequest(
        SegmentSyncProtocol.ID,
        SegmentSyncProtocol.LIMITS,
        (from, payload) -> {
          List<ProvenSegment> out = new ArrayList<>();
          for (long i : Request.decode(payload).indices()) {
            SegmentWithProof s = f.segment(i);
            byte[] bad = s.data().toArray();
            bad[17] ^= 1;
            out.add(new ProvenSegment(i, Bytes.wrap(bad), s.proof()));
          }
          return CompletableFuture.completedFuture(new Response(out).encode());
        });
    liar.start();

    CollectorRegistry regB = new CollectorRegistry();
    StorageNode b = node("b", regB, List.of(liar.localAddress()));
    P2pNode bp2p = b.p2p().orElseThrow();
    await("b to reject the liar", () -> metric(regB, "axivon_storage_sync_rejected_total") > 0);
    assertThat(bp2p.score(liar.localId())).isNegative();
    assertThat(
            regB.getSampleValue(
                "axivon_p2p_penalties_total",
                new String[] {"reason"},
                new String[] {"invalid_response"}))
        .isNotNull();
    for (long i = 0; i < f.layout().segments(); i++) {
      assertThat(b.service().downloadWithProof(f.tree().root(), i)).isEmpty();
    }
    assertThat(metric(regB, "axivon_storage_sync_segments_total")).isZero();

    bp2p.addStaticPeer(honest.p2p().orElseThrow().localAddress());
    await("b to hold the file", () -> finalized(b, f));
    assertHoldsVerifiedCopy(b, f);
    assertThat(metric(regB, "axivon_storage_sync_segments_total")).isEqualTo(6);
    assertThat(metric(regB, "axivon_storage_sync_files_completed_total")).isEqualTo(1);
  }

  private static void await(String what, BooleanSupplier condition) {
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() - deadline > 0) {
        throw new AssertionError("timed out waiting for: " + what);
      }
      try {
        Thread.sleep(20); // polling a condition, not waiting for luck
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError("interrupted waiting for: " + what, e);
      }
    }
  }
}
