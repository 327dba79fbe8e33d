package io.axivon.bench;

import io.axivon.common.crypto.Hashes;
import io.axivon.sdk.storage.FlowSubmission;
import io.axivon.sdk.storage.StorageClient;
import io.axivon.sdk.storage.layout.FileTree;
import io.axivon.sdk.storage.layout.Layout;
import io.axivon.sdk.storage.layout.Submission;
import io.axivon.storage.node.FlowView;
import io.axivon.storage.node.ShardConfig;
import io.axivon.storage.node.StorageNode;
import io.axivon.storage.node.StorageService;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.apache.commons.io.file.PathUtils;
import org.apache.tuweni.bytes.Bytes32;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The storage log's costs against their references, in one run, all on a file of {@code mib} MiB
 * (scores are operations per second: multiply by {@code mib} for MiB/s):
 *
 * <ul>
 *   <li>{@code fileRoot} (0G file root and submission, streaming) against {@code keccakReference}
 *       (one raw Keccak-256 over the same bytes): the tree hashes each 256-byte sector (2 Keccak
 *       blocks) plus one 64-byte node per sector, so about 0.63 of raw Keccak is the ceiling.
 *   <li>{@code upload} (StorageClient to {@code nodes} storage nodes on loopback, with the file's
 *       tree already computed for its flow submission as the CLI does: proofs, base64 JSON-RPC,
 *       proof check and an fsynced LMDB commit on each node for the calls of four segments that
 *       arrive together) and {@code download} (every segment with its proof, spread over the nodes,
 *       verified, written to a temporary file, synced and moved into place) against {@code
 *       fileReadReference}, a plain read of the same file, and {@code fileCopyReference}, a plain
 *       copy of it to a new file, synced (the least any transfer that lands the bytes on disk
 *       costs).
 * </ul>
 *
 * With {@code sharded} false every node keeps the whole file (each upload stores it {@code nodes}
 * times); with true node k keeps the segments of shard k/{@code nodes}. Each upload goes to a fresh
 * flow submission of the same root, so every iteration stores the whole file again.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 2, time = 3)
@Measurement(iterations = 3, time = 5)
@Fork(
    value = 1,
    jvmArgsAppend = {
      "--enable-native-access=ALL-UNNAMED",
      "--add-opens=java.base/java.nio=ALL-UNNAMED",
      "--add-opens=java.base/sun.nio.ch=ALL-UNNAMED",
      "-Xmx2g"
    })
public class StorageBench {
  @Param({"32"})
  public int mib;

  @Param({"8"})
  public int parallelism;

  @Param({"2"})
  public int nodes;

  @Param({"false"})
  public boolean sharded;

  private byte[] data;
  private Path dir;
  private Path file;
  private Bytes32 root;
  private FileTree tree;
  private Submission submission;
  private BenchFlow flow;
  private final List<StorageNode> running = new ArrayList<>();
  private StorageClient client;
  private int downloads;

  /** Submissions appended in order, each at the next segment boundary. */
  static final class BenchFlow implements FlowView {
    private final List<FlowSubmission> subs = new ArrayList<>();
    private long log;

    synchronized long submit(Submission s) {
      subs.add(new FlowSubmission(subs.size(), log, s));
      log +=
          (s.sectors() + Layout.SEGMENT_SECTORS - 1)
              / Layout.SEGMENT_SECTORS
              * Layout.SEGMENT_SECTORS;
      return subs.size() - 1;
    }

    @Override
    public synchronized Optional<FlowSubmission> byTxSeq(long txSeq) {
      return txSeq < subs.size() ? Optional.of(subs.get((int) txSeq)) : Optional.empty();
    }

    @Override
    public synchronized List<FlowSubmission> byRoot(Bytes32 r) {
      return subs.stream().filter(s -> s.root().equals(r)).toList();
    }

    @Override
    public synchronized long nextTxSeq() {
      return subs.size();
    }

    @Override
    public SyncPoint syncPoint() {
      return new SyncPoint(0, Bytes32.ZERO);
    }
  }

  @Setup(Level.Trial)
  public void setUp() throws Exception {
    data = new byte[mib << 20];
    new SplittableRandom(42).nextBytes(data);
    dir = Files.createTempDirectory("storage-bench");
    file = Files.write(dir.resolve("file.bin"), data);
    tree = FileTree.of(file);
    root = tree.root();
    submission = tree.submission();
    flow = new BenchFlow();
    List<URI> urls = new ArrayList<>();
    for (int k = 0; k < nodes; k++) {
      StorageNode node =
          StorageNode.start(
              StorageNode.Config.defaults(
                      dir.resolve("node-" + k),
                      new StorageService.NetworkIdentity(
                          12700, "0x0000000000000000000000000000000000000001"))
                  .withRpcAddress(new InetSocketAddress("127.0.0.1", 0))
                  .withShard(sharded ? new ShardConfig(k, nodes) : ShardConfig.ALL),
              flow);
      running.add(node);
      urls.add(node.rpcUri());
    }
    client = StorageClient.of(urls, Duration.ofSeconds(60), parallelism);
    flow.submit(submission);
    client.upload(file); // so that download has a finalized file from the start
  }

  @TearDown(Level.Trial)
  public void tearDown() throws IOException {
    running.forEach(StorageNode::close);
    PathUtils.deleteDirectory(dir);
  }

  @Benchmark
  public Bytes32 fileRoot() {
    return FileTree.of(data).root();
  }

  @Benchmark
  public byte[] keccakReference() {
    return Hashes.keccak256(data);
  }

  @Benchmark
  public long upload() throws IOException {
    long txSeq = flow.submit(submission);
    return client.upload(tree, file, txSeq, StorageClient.Progress.NONE).segmentsSent();
  }

  @Benchmark
  public long download() throws IOException {
    Path out = dir.resolve("out-" + (downloads++ % 2) + ".bin");
    return client.download(root, out).size();
  }

  @Benchmark
  public long fileReadReference() throws IOException {
    ByteBuffer buf = ByteBuffer.allocate(Layout.SEGMENT_SIZE);
    long total = 0;
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
      while (ch.read(buf) > 0) {
        total += buf.position();
        buf.clear();
      }
    }
    return total;
  }

  @Benchmark
  public long fileCopyReference() throws IOException {
    Path out = dir.resolve("copy-" + (downloads++ % 2) + ".bin");
    ByteBuffer buf = ByteBuffer.allocate(Layout.SEGMENT_SIZE);
    long total = 0;
    try (FileChannel in = FileChannel.open(file, StandardOpenOption.READ);
        FileChannel o =
            FileChannel.open(
                out,
                StandardOpenOption.WRITE,
                StandardOpenOption.CREATE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
      while (in.read(buf) > 0) {
        buf.flip();
        while (buf.hasRemaining()) {
          total += o.write(buf);
        }
        buf.clear();
      }
      o.force(true);
    }
    return total;
  }
}
