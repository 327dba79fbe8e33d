package io.axivon.storage.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.axivon.sdk.storage.FlowSubmission;
import io.axivon.sdk.storage.StorageClient;
import io.axivon.sdk.storage.StorageClientException;
import io.axivon.sdk.storage.layout.FileTree;
import io.axivon.sdk.storage.layout.Layout;
import io.axivon.sdk.storage.layout.SegmentWithProof;
import io.axivon.sdk.storage.layout.Submission;
import io.axivon.storage.store.SegmentStore;
import io.axivon.storage.store.StoredFile;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import org.apache.tuweni.bytes.Bytes;
import org.apache.tuweni.bytes.Bytes32;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Two real storage nodes on loopback: upload, download, and a lying node skipped. */
class StorageClientIT {
  @TempDir Path dir;

  /** A flow for tests: submissions appended in order. */
  static final class TestFlow implements FlowView {
    private final List<FlowSubmission> subs = new ArrayList<>();
    private long log;

    synchronized FlowSubmission submit(Submission s) {
      FlowSubmission sub = new FlowSubmission(subs.size(), log, s);
      subs.add(sub);
      log +=
          (s.sectors() + Layout.SEGMENT_SECTORS - 1)
              / Layout.SEGMENT_SECTORS
              * Layout.SEGMENT_SECTORS;
      return sub;
    }

    @Override
    public synchronized Optional<FlowSubmission> byTxSeq(long txSeq) {
      return txSeq < subs.size() ? Optional.of(subs.get((int) txSeq)) : Optional.empty();
    }

    @Override
    public synchronized List<FlowSubmission> byRoot(Bytes32 root) {
      return subs.stream().filter(s -> s.root().equals(root)).toList();
    }

    @Override
    public synchronized long nextTxSeq() {
      return subs.size();
    }

    @Override
    public SyncPoint syncPoint() {
      return new SyncPoint(1, Bytes32.ZERO);
    }
  }

  private static StorageNode.Config config(Path dataDir) {
    return StorageNode.Config.defaults(
            dataDir,
            new StorageService.NetworkIdentity(12700, "0x0000000000000000000000000000000000000001"))
        .withRpcAddress(new InetSocketAddress("127.0.0.1", 0));
  }

  private Path randomFile(String name, int size) throws Exception {
    byte[] data = new byte[size];
    new Random(size).nextBytes(data);
    return Files.write(dir.resolve(name), data);
  }

  @Test
  void uploadThenDownloadFromTwoNodes() throws Exception {
    TestFlow flow = new TestFlow();
    Path file = randomFile("in.bin", 5 * Layout.SEGMENT_SIZE + 12345);
    FileTree tree = FileTree.of(file);
    flow.submit(tree.submission());
    try (StorageNode a = StorageNode.start(config(dir.resolve("a")), flow);
        StorageNode b = StorageNode.start(config(dir.resolve("b")), flow)) {
      StorageClient client =
          StorageClient.of(List.of(a.rpcUri(), b.rpcUri()), Duration.ofSeconds(30), 4);
      StorageClient.UploadReport up = client.upload(file);
      assertThat(up.root()).isEqualTo(tree.root());
      assertThat(up.segmentsSent()).isEqualTo(12); // 6 segments to each node
      assertThat(a.service().fileInfoByTxSeq(0).orElseThrow().finalized()).isTrue();
      assertThat(b.service().fileInfoByTxSeq(0).orElseThrow().finalized()).isTrue();
      // a second run sends nothing: both nodes report the file finalized
      assertThat(client.upload(file).segmentsSent()).isZero();
      // a second submission of the same root is filled by tx seq
      long second = flow.submit(tree.submission()).txSeq();
      assertThat(client.upload(file, second).segmentsSent()).isEqualTo(12);
      assertThat(a.service().fileInfoByTxSeq(second).orElseThrow().finalized()).isTrue();

      Path out = dir.resolve("out/copy.bin");
      StorageClient.DownloadReport down = client.download(tree.root(), out);
      assertThat(down.rejected()).isEmpty();
      assertThat(Files.readAllBytes(out)).isEqualTo(Files.readAllBytes(file));
      try (var listing = Files.list(out.getParent())) {
        assertThat(listing).containsExactly(out); // no temporary file left behind
      }
    }
  }

  @Test
  void aSubmissionIsDownloadedByItsOwnTxSeqWhenAnotherSharesItsRoot() throws Exception {
    TestFlow flow = new TestFlow();
    Path fileA = randomFile("a.bin", 2 * Layout.SEGMENT_SIZE + 100);
    byte[] a = Files.readAllBytes(fileA);
    byte[] b = java.util.Arrays.copyOf(a, a.length + 60); // trailing zeros: the root ignores them
    Path fileB = Files.write(dir.resolve("b.bin"), b);
    FileTree treeA = FileTree.of(fileA);
    FileTree treeB = FileTree.of(fileB);
    assertThat(treeB.root()).isEqualTo(treeA.root());
    FlowSubmission subA = flow.submit(treeA.submission());
    FlowSubmission subB = flow.submit(treeB.submission());
    try (StorageNode node = StorageNode.start(config(dir.resolve("n")), flow)) {
      StorageClient client = StorageClient.of(List.of(node.rpcUri()), Duration.ofSeconds(30), 2);
      client.upload(fileA, subA.txSeq());
      Path out = dir.resolve("out/sub.bin");
      // by root the node serves A, the first file finalized with it; B is not stored yet
      assertThatThrownBy(() -> client.download(subB, out))
          .isInstanceOf(StorageClientException.class);
      client.upload(fileB, subB.txSeq());
      client.download(subB, out);
      assertThat(Files.readAllBytes(out)).isEqualTo(b);
      client.download(subA, out);
      assertThat(Files.readAllBytes(out)).isEqualTo(a);
    }
  }

  @Test
  void rerunSendsOnlyTheSegmentsEachNodeLacks() throws Exception {
    TestFlow flow = new TestFlow();
    Path file = randomFile("half.bin", 9 * Layout.SEGMENT_SIZE + 99);
    byte[] data = Files.readAllBytes(file);
    FileTree tree = FileTree.of(file);
    flow.submit(tree.submission());
    var layout = tree.layout();
    try (StorageNode a = StorageNode.start(config(dir.resolve("a")), flow);
        StorageNode b = StorageNode.start(config(dir.resolve("b")), flow)) {
      // an interrupted upload: a got the even segments (5 of 10), b got segments 0..2
      List<SegmentWithProof> even = new ArrayList<>();
      List<SegmentWithProof> first3 = new ArrayList<>();
      for (long i = 0; i < layout.segments(); i++) {
        SegmentWithProof s =
            tree.segment(i, data, (int) layout.segmentOffset(i), layout.segmentFileBytes(i));
        if (i % 2 == 0) {
          even.add(s);
        }
        if (i < 3) {
          first3.add(s);
        }
      }
      a.service().upload(even);
      b.service().upload(first3);
      var bitmap = a.service().segmentBitmapByTxSeq(0).orElseThrow();
      assertThat(bitmap.segments()).isEqualTo(10);
      assertThat(bitmap.count()).isEqualTo(5);
      assertThat(bitmap.toHex()).isEqualTo("0x5501");

      StorageClient client =
          StorageClient.of(List.of(a.rpcUri(), b.rpcUri()), Duration.ofSeconds(30), 4);
      java.util.concurrent.atomic.AtomicLong planned = new java.util.concurrent.atomic.AtomicLong();
      java.util.concurrent.atomic.AtomicLong done = new java.util.concurrent.atomic.AtomicLong();
      StorageClient.UploadReport up =
          client.upload(
              file,
              -1,
              new StorageClient.Progress() {
                @Override
                public void planned(long segments, long bytes) {
                  planned.addAndGet(segments);
                }

                @Override
                public void transferred(long segments, long bytes) {
                  done.addAndGet(segments);
                }
              });
      assertThat(up.segmentsSent()).isEqualTo(5 + 7); // only the missing ones
      assertThat(planned.get()).isEqualTo(12);
      assertThat(done.get()).isEqualTo(12);
      assertThat(a.service().fileInfoByTxSeq(0).orElseThrow().finalized()).isTrue();
      assertThat(b.service().fileInfoByTxSeq(0).orElseThrow().finalized()).isTrue();
      assertThat(b.service().segmentBitmap(tree.root()).orElseThrow().count()).isEqualTo(10);
      assertThat(a.service().segmentBitmap(Bytes32.ZERO)).isEmpty();
    }
  }

  @Test
  void corruptedSegmentIsDetectedAndSkipped() throws Exception {
    TestFlow flow = new TestFlow();
    Path file = randomFile("in.bin", 3 * Layout.SEGMENT_SIZE + 7);
    byte[] data = Files.readAllBytes(file);
    FileTree tree = FileTree.of(file);
    FlowSubmission sub = flow.submit(tree.submission());
    // the liar's store, written directly: every segment, segment 0 with one byte flipped
    try (SegmentStore liar = SegmentStore.open(dir.resolve("liar"))) {
      StoredFile record =
          new StoredFile(0, tree.root(), data.length, sub.startEntryIndex(), 4, 0, false);
      for (long i = 0; i < 4; i++) {
        var layout = tree.layout();
        SegmentWithProof s =
            tree.segment(i, data, (int) layout.segmentOffset(i), layout.segmentFileBytes(i));
        byte[] bytes = s.data().toArray();
        if (i == 0) {
          bytes[1000] ^= 1;
        }
        liar.put(record, i, Bytes.wrap(bytes), s.proof());
      }
    }
    try (StorageNode liar = StorageNode.start(config(dir.resolve("liar")), flow);
        StorageNode honest = StorageNode.start(config(dir.resolve("honest")), flow);
        // a dead node too: a port bound without listening refuses, and no server can be given it
        java.net.Socket refusing = new java.net.Socket()) {
      refusing.bind(new java.net.InetSocketAddress(java.net.InetAddress.getLoopbackAddress(), 0));
      StorageClient.of(List.of(honest.rpcUri()), Duration.ofSeconds(30), 2).upload(file);
      URI dead = URI.create("http://127.0.0.1:" + refusing.getLocalPort() + "/");
      StorageClient client =
          StorageClient.of(
              List.of(liar.rpcUri(), honest.rpcUri(), dead), Duration.ofSeconds(10), 3);
      Path out = dir.resolve("copy.bin");
      StorageClient.DownloadReport down = client.download(tree.root(), out);
      assertThat(Files.readAllBytes(out)).isEqualTo(data);
      assertThat(down.rejected())
          .anySatisfy(
              r -> {
                assertThat(r.node()).isEqualTo(liar.rpcUri());
                assertThat(r.segment()).isZero();
                assertThat(r.reason()).contains("invalid proof");
              });
      assertThat(down.rejected()).anySatisfy(r -> assertThat(r.node()).isEqualTo(dead));

      // only the liar: the download fails and leaves no file
      Path none = dir.resolve("none.bin");
      StorageClient onlyLiar = StorageClient.of(List.of(liar.rpcUri()), Duration.ofSeconds(10), 2);
      assertThatThrownBy(() -> onlyLiar.download(tree.root(), none))
          .isInstanceOf(StorageClientException.class)
          .hasMessageContaining("no storage node served a valid segment 0");
      assertThat(none).doesNotExist();
      try (var listing = Files.list(dir)) {
        assertThat(listing.map(p -> p.getFileName().toString()))
            .noneMatch(n -> n.endsWith(".part"));
      }
      // an unknown root says so
      assertThatThrownBy(() -> client.download(Bytes32.ZERO, dir.resolve("x")))
          .isInstanceOf(StorageClientException.class)
          .hasMessageContaining("no storage node knows root");
    }
  }

  @Test
  void uploadOfAnUnsubmittedFileSaysSo() throws Exception {
    Path file = randomFile("x.bin", 1000);
    try (StorageNode a = StorageNode.start(config(dir.resolve("a")), new TestFlow())) {
      StorageClient client = StorageClient.of(List.of(a.rpcUri()), Duration.ofSeconds(10), 2);
      assertThatThrownBy(() -> client.upload(file))
          .isInstanceOf(StorageClientException.class)
          .hasMessageContaining("submit the file to the flow first");
    }
  }
}
