package io.axivon.storage.store;

import static org.assertj.core.api.Assertions.assertThat;

import io.axivon.sdk.storage.layout.FileTree;
import io.axivon.sdk.storage.layout.SegmentWithProof;
import io.axivon.sdk.storage.layout.ZgProof;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.apache.tuweni.bytes.Bytes;
import org.apache.tuweni.bytes.Bytes32;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SegmentStoreTest {
  @TempDir Path dir;

  private static byte[] random(int size) {
    byte[] data = new byte[size];
    new Random(size).nextBytes(data);
    return data;
  }

  @Test
  void storesCountsAndFinalizes() {
    byte[] data = random(600_000); // 3 segments
    FileTree tree = FileTree.of(data);
    StoredFile file = new StoredFile(7, tree.root(), data.length, 4096, 3, 0, false);
    try (SegmentStore store = SegmentStore.open(dir)) {
      assertThat(store.file(7)).isEmpty();
      for (int i = 0; i < 3; i++) {
        SegmentWithProof s = segment(tree, data, i);
        assertThat(store.put(file, i, s.data(), s.proof()))
            .isEqualTo(SegmentStore.PutResult.STORED);
        assertThat(store.file(7).orElseThrow().storedSegments()).isEqualTo(i + 1);
        assertThat(store.file(7).orElseThrow().finalized()).isEqualTo(i == 2);
      }
      SegmentWithProof s1 = segment(tree, data, 1);
      assertThat(store.put(file, 1, s1.data(), s1.proof()))
          .isEqualTo(SegmentStore.PutResult.DUPLICATE);
      assertThat(store.file(7).orElseThrow().storedSegments()).isEqualTo(3);
      assertThat(store.segment(7, 1)).contains(s1.data());
      assertThat(store.proof(7, 1)).contains(s1.proof());
      assertThat(store.segment(7, 3)).isEmpty();
      assertThat(store.segment(8, 0)).isEmpty();
      assertThat(store.has(7, 2)).isTrue();
    }
  }

  @Test
  void restartSeesWhatWasCommitted() {
    byte[] data = random(300_000);
    FileTree tree = FileTree.of(data);
    StoredFile file = new StoredFile(1, tree.root(), data.length, 0, 2, 0, false);
    SegmentWithProof s0 = segment(tree, data, 0);
    try (SegmentStore store = SegmentStore.open(dir)) {
      store.put(file, 0, s0.data(), s0.proof());
    }
    try (SegmentStore store = SegmentStore.open(dir)) {
      StoredFile f = store.file(1).orElseThrow();
      assertThat(f.storedSegments()).isEqualTo(1);
      assertThat(f.finalized()).isFalse();
      assertThat(f.root()).isEqualTo(tree.root());
      assertThat(f.startEntryIndex()).isZero();
      assertThat(store.segment(1, 0)).contains(s0.data());
    }
  }

  @Test
  void severalSubmissionsMayShareARoot() {
    byte[] data = random(1000);
    FileTree tree = FileTree.of(data);
    SegmentWithProof s = segment(tree, data, 0);
    try (SegmentStore store = SegmentStore.open(dir)) {
      for (long seq : new long[] {5, 2, 9}) {
        store.put(
            new StoredFile(seq, tree.root(), 1000, seq * 8, 1, 0, false), 0, s.data(), s.proof());
      }
      store.put(new StoredFile(3, Bytes32.ZERO, 1000, 0, 1, 0, false), 0, s.data(), s.proof());
      assertThat(store.filesByRoot(tree.root()))
          .extracting(StoredFile::txSeq)
          .containsExactly(2L, 5L, 9L);
      assertThat(store.filesByRoot(Bytes32.fromHexString("0x01"))).isEmpty();
      assertThat(store.fileCount()).isEqualTo(4);
    }
  }

  @Test
  void batchIsOneCommit() {
    byte[] data = random(800_000); // 4 segments
    FileTree tree = FileTree.of(data);
    StoredFile file = new StoredFile(0, tree.root(), data.length, 0, 4, 0, false);
    try (SegmentStore store = SegmentStore.open(dir)) {
      List<SegmentStore.VerifiedSegment> batch =
          List.of(0, 1, 2, 1).stream()
              .map(i -> segment(tree, data, i))
              .map(s -> new SegmentStore.VerifiedSegment(s.index(), s.data(), s.proof()))
              .toList();
      assertThat(store.putAll(file, batch)).isEqualTo(3);
      assertThat(store.file(0).orElseThrow().storedSegments()).isEqualTo(3);
    }
  }

  @Test
  void callsThatWaitTogetherShareOneCommit() throws Exception {
    byte[] data = random(1_100_000); // 5 segments
    FileTree tree = FileTree.of(data);
    StoredFile a = new StoredFile(0, tree.root(), data.length, 0, 5, 0, false);
    StoredFile b = new StoredFile(1, tree.root(), data.length, 8192, 5, 0, false);
    try (SegmentStore store = SegmentStore.open(dir);
        ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
      long before = store.commits();
      List<Future<Integer>> calls = new ArrayList<>();
      store.committer.lock(); // as if a commit were under way
      try {
        calls.add(pool.submit(() -> store.putAll(a, verified(tree, data, 0, 1))));
        calls.add(pool.submit(() -> store.putAll(a, verified(tree, data, 1, 2))));
        calls.add(pool.submit(() -> store.putAll(b, verified(tree, data, 4))));
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (store.committer.getQueueLength() < 3) {
          assertThat(System.nanoTime()).as("the calls queue up").isLessThan(deadline);
          Thread.onSpinWait();
        }
      } finally {
        store.committer.unlock();
      }
      int first = calls.get(0).get(30, TimeUnit.SECONDS);
      int second = calls.get(1).get(30, TimeUnit.SECONDS);
      assertThat(first + second).isEqualTo(3); // segment 1 counted once, by whichever came first
      assertThat(calls.get(2).get(30, TimeUnit.SECONDS)).isEqualTo(1);
      assertThat(store.commits()).isEqualTo(before + 1);
      assertThat(store.file(0).orElseThrow().storedSegments()).isEqualTo(3);
      assertThat(store.file(1).orElseThrow().storedSegments()).isEqualTo(1);
      assertThat(store.segment(1, 4)).contains(segment(tree, data, 4).data());
      assertThat(store.proof(0, 2)).contains(segment(tree, data, 2).proof());
      // alone, a call is its own commit
      assertThat(store.putAll(a, verified(tree, data, 3))).isEqualTo(1);
      assertThat(store.commits()).isEqualTo(before + 2);
    }
  }

  private static List<SegmentStore.VerifiedSegment> verified(
      FileTree tree, byte[] data, int... indices) {
    List<SegmentStore.VerifiedSegment> out = new ArrayList<>();
    for (int i : indices) {
      SegmentWithProof s = segment(tree, data, i);
      out.add(new SegmentStore.VerifiedSegment(s.index(), s.data(), s.proof()));
    }
    return out;
  }

  @Test
  void proofCodecRoundTrips() {
    ZgProof one = new ZgProof(List.of(Bytes32.random()), List.of());
    ZgProof three =
        new ZgProof(
            List.of(Bytes32.random(), Bytes32.random(), Bytes32.random(), Bytes32.random()),
            List.of(true, false));
    assertThat(SegmentStore.decodeProof(SegmentStore.encodeProof(one))).isEqualTo(one);
    assertThat(SegmentStore.decodeProof(SegmentStore.encodeProof(three))).isEqualTo(three);
  }

  @Test
  void fileRecordRoundTrips() {
    StoredFile f = new StoredFile(Long.MAX_VALUE, Bytes32.random(), 123, 456, 7, 7, true);
    assertThat(StoredFile.decode(f.encode())).isEqualTo(f);
  }

  static SegmentWithProof segment(FileTree tree, byte[] data, long i) {
    var layout = tree.layout();
    return tree.segment(i, data, (int) layout.segmentOffset(i), layout.segmentFileBytes(i));
  }

  static Bytes bytes(int n) {
    return Bytes.wrap(random(n));
  }
}
