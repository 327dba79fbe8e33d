package io.axivon.storage.mining;

import static org.assertj.core.api.Assertions.assertThat;

import io.axivon.common.merkle.MerkleTree;
import io.axivon.sdk.mining.MiningContext;
import io.axivon.sdk.mining.Pora;
import io.axivon.sdk.mining.UnitTree;
import io.axivon.sdk.storage.FlowSubmission;
import io.axivon.sdk.storage.layout.FileTree;
import io.axivon.sdk.storage.layout.Layout;
import io.axivon.storage.node.FlowView;
import io.axivon.storage.node.InMemoryFlowView;
import io.axivon.storage.node.ShardConfig;
import io.axivon.storage.node.StorageService;
import io.axivon.storage.store.SegmentStore;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.apache.tuweni.bytes.Bytes32;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The storage node's units and proofs against a naive tree over the flow of real uploads. */
class NodeFlowUnitsTest {
  private static final StorageService.NetworkIdentity ID =
      new StorageService.NetworkIdentity(1, "0x0000000000000000000000000000000000001001");

  private record Flow(InMemoryFlowView view, byte[] flat, long length) {}

  // Files of mixed sizes (under a sector up to several segments), uploaded through the service.
  private static Flow upload(
      StorageService service, InMemoryFlowView view, long seed, int[] sizes) {
    return upload(service, view, seed, sizes, ShardConfig.ALL);
  }

  // The same, the service keeping only the segments of its shard.
  private static Flow upload(
      StorageService service, InMemoryFlowView view, long seed, int[] sizes, ShardConfig shard) {
    Random r = new Random(seed);
    byte[] flat = new byte[1 << 23];
    long length = 0;
    for (int size : sizes) {
      byte[] data = new byte[size];
      r.nextBytes(data);
      FileTree tree = FileTree.of(data);
      FlowSubmission sub = view.submit(tree.submission());
      System.arraycopy(data, 0, flat, (int) (sub.startEntryIndex() * Pora.SECTOR), size);
      length = sub.startEntryIndex() + sub.sectors();
      List<io.axivon.sdk.storage.layout.SegmentWithProof> segs = new ArrayList<>();
      for (long i = 0; i < tree.layout().segments(); i++) {
        if (!shard.holds(sub.globalSegment(i))) {
          continue;
        }
        int off = (int) (i * Layout.SEGMENT_SIZE);
        segs.add(tree.segment(i, data, off, Math.min(Layout.SEGMENT_SIZE, size - off)));
      }
      if (!segs.isEmpty()) {
        service.upload(segs);
      }
    }
    return new Flow(view, flat, length);
  }

  private static MerkleTree naive(byte[] flat, long flowLength) {
    int k = UnitTree.height(flowLength);
    byte[] tree = Arrays.copyOf(flat, (int) ((1L << k) * Pora.SECTOR));
    List<Bytes32> roots = new ArrayList<>();
    for (int u = 0; u < tree.length / Pora.UNIT_BYTES; u++) {
      roots.add(UnitTree.unitRoot(tree, u * Pora.UNIT_BYTES));
    }
    return MerkleTree.ofLeafHashes(roots);
  }

  @Test
  void unitsAndProofsMatchTheNaiveTree(@TempDir Path dir) {
    try (SegmentStore store = SegmentStore.open(dir)) {
      InMemoryFlowView view = new InMemoryFlowView(new FlowView.SyncPoint(1, Bytes32.ZERO));
      StorageService service = new StorageService(view, store, ShardConfig.ALL, ID);
      Flow f =
          upload(service, view, 7, new int[] {700, 5000, 600_000, 100, 262_144, 1_100_000, 40});
      MerkleTree tree = naive(f.flat(), f.length());
      MiningContext ctx = new MiningContext(3, 0, tree.root(), f.length(), Bytes32.random());
      NodeFlowUnits units = new NodeFlowUnits(view, store);
      assertThat(units.syncedLength()).isEqualTo(f.length());
      byte[] buf = new byte[Pora.UNIT_BYTES];
      long whole = f.length() / Pora.UNIT_SECTORS;
      int proven = 0;
      for (long u = 0; u < whole; u++) {
        assertThat(units.read(u, buf)).isTrue();
        assertThat(buf)
            .isEqualTo(
                Arrays.copyOfRange(
                    f.flat(), (int) u * Pora.UNIT_BYTES, (int) (u + 1) * Pora.UNIT_BYTES));
        if (u % 7 == 0 || u == whole - 1) { // every proof costs a walk: a spread of units
          FlowUnits.UnitProof p = units.proof(u, ctx).orElseThrow();
          assertThat(p.unitRoot()).isEqualTo(tree.leafHash((int) u));
          assertThat(p.siblings()).isEqualTo(tree.inclusionProof((int) u).siblings());
          assertThat(
                  UnitTree.verify(ctx.flowRoot(), ctx.flowLength(), u, p.unitRoot(), p.siblings()))
              .isTrue();
          proven++;
        }
      }
      assertThat(proven).isGreaterThan(100);
      // a unit that ends past the synced flow cannot be read
      assertThat(units.read(whole + 1, buf)).isFalse();
    }
  }

  @Test
  void aUnitWhoseSegmentIsMissingIsNeitherReadNorProven(@TempDir Path dir) {
    try (SegmentStore store = SegmentStore.open(dir)) {
      InMemoryFlowView view = new InMemoryFlowView(new FlowView.SyncPoint(1, Bytes32.ZERO));
      StorageService service = new StorageService(view, store, ShardConfig.ALL, ID);
      Flow f = upload(service, view, 9, new int[] {5000});
      // a second file registered but only its first segment uploaded
      byte[] data = new byte[3 * Layout.SEGMENT_SIZE];
      new Random(2).nextBytes(data);
      FileTree t = FileTree.of(data);
      FlowSubmission sub = view.submit(t.submission());
      service.upload(List.of(t.segment(0, data, 0, Layout.SEGMENT_SIZE)));
      System.arraycopy(data, 0, f.flat(), (int) (sub.startEntryIndex() * Pora.SECTOR), data.length);
      long length = sub.startEntryIndex() + sub.sectors();
      MerkleTree tree = naive(f.flat(), length);
      MiningContext ctx = new MiningContext(1, 0, tree.root(), length, Bytes32.random());
      NodeFlowUnits units = new NodeFlowUnits(view, store);
      long first = sub.startEntryIndex() / Pora.UNIT_SECTORS;
      byte[] buf = new byte[Pora.UNIT_BYTES];
      assertThat(units.read(first, buf)).isTrue();
      long inSecond = first + Layout.SEGMENT_SECTORS / Pora.UNIT_SECTORS; // segment 1
      assertThat(units.read(inSecond, buf)).isFalse();
      assertThat(units.proof(inSecond, ctx)).isEmpty();
      // a held unit is proven with the missing neighbour's root from its own stored proof
      FlowUnits.UnitProof p = units.proof(first, ctx).orElseThrow();
      assertThat(p.siblings()).isEqualTo(tree.inclusionProof((int) first).siblings());
      // the small first file's units are proven through subtrees that avoid the big file's inside
      assertThat(units.proof(0, ctx)).isPresent();
    }
  }

  @Test
  void aShardedNodeReadsAndProvesEveryUnitOfItsShard(@TempDir Path dir) {
    for (ShardConfig shard : List.of(new ShardConfig(1, 2), new ShardConfig(2, 4))) {
      try (SegmentStore store = SegmentStore.open(dir.resolve("s" + shard.shardId()))) {
        InMemoryFlowView view = new InMemoryFlowView(new FlowView.SyncPoint(1, Bytes32.ZERO));
        StorageService service = new StorageService(view, store, shard, ID);
        Flow f =
            upload(
                service,
                view,
                23,
                new int[] {700, 1_300_000, 5000, 2_200_000, 262_144, 600_000, 40},
                shard);
        MerkleTree tree = naive(f.flat(), f.length());
        MiningContext ctx = new MiningContext(4, 0, tree.root(), f.length(), Bytes32.random());
        NodeFlowUnits units = new NodeFlowUnits(view, store);
        byte[] buf = new byte[Pora.UNIT_BYTES];
        long whole = f.length() / Pora.UNIT_SECTORS;
        int proven = 0;
        for (long u = 0; u < whole; u++) {
          long position = u * Pora.UNIT_SECTORS;
          if (!Pora.inShard(position, shard.shardId(), shard.numShard())) {
            continue;
          }
          if (!units.read(u, buf)) {
            continue; // a unit of no file's segment of ours (padding of another shard's file)
          }
          if (u % 5 == 0) {
            FlowUnits.UnitProof p = units.proof(u, ctx).orElseThrow(() -> new AssertionError());
            assertThat(p.unitRoot()).isEqualTo(tree.leafHash((int) u));
            assertThat(p.siblings()).isEqualTo(tree.inclusionProof((int) u).siblings());
            proven++;
          }
        }
        assertThat(proven).as("shard %s", shard).isGreaterThan(20);
      }
    }
  }
}
