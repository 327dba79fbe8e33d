package io.axivon.sdk.storage;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import io.axivon.common.InvalidInputException;
import io.axivon.sdk.rpc.JsonRpcClient;
import io.axivon.sdk.rpc.JsonRpcException;
import io.axivon.sdk.storage.layout.FileLayout;
import io.axivon.sdk.storage.layout.FileTree;
import io.axivon.sdk.storage.layout.Layout;
import io.axivon.sdk.storage.layout.SegmentWithProof;
import io.axivon.sdk.storage.layout.Submission;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.tuweni.bytes.Bytes32;

/**
 * Uploads files to and downloads them from storage nodes over their 0G-style JSON-RPC ({@code
 * zgs_*}, specs/storage-rpc.md). Uploads send every segment with its proof, in parallel; downloads
 * fetch every segment with its proof in parallel, verify each against the root, fall back to
 * another node when one fails or lies, and write the file atomically (a temporary file moved into
 * place only when complete). Memory stays bounded: at most {@code parallelism} calls in flight (one
 * segment per download call, up to 4 per upload call), whatever the file size. Thread-safe.
 */
public final class StorageClient {
  private static final String FINALIZED = "already uploaded and finalized";
  private static final int METHOD_NOT_FOUND = -32601;

  /**
   * Segments per upload call: the node stores a call's segments in one fsynced commit, so batching
   * spreads that cost (about 1.3 MiB of JSON per call).
   */
  static final int SEGMENTS_PER_CALL = 4;

  private final List<JsonRpcClient> nodes;
  private final int parallelism;
  private final ObjectMapper mapper = new ObjectMapper();

  /** A client of these nodes, each with its own JSON-RPC client. */
  public StorageClient(List<JsonRpcClient> nodes, int parallelism) {
    if (nodes.isEmpty()) {
      throw new IllegalArgumentException("at least one storage node is needed");
    }
    if (parallelism < 1) {
      throw new IllegalArgumentException("parallelism must be positive, got " + parallelism);
    }
    this.nodes = List.copyOf(nodes);
    this.parallelism = parallelism;
  }

  /**
   * A client of the nodes at these URLs, reading segments' base64 straight from the answers' bytes
   * ({@link SegmentJsonReader}).
   */
  public static StorageClient of(List<URI> urls, Duration timeout, int parallelism) {
    ObjectMapper mapper = new ObjectMapper();
    SegmentJsonReader reader = new SegmentJsonReader(mapper);
    return new StorageClient(
        urls.stream().map(u -> new JsonRpcClient(u, timeout, mapper, reader::read)).toList(),
        parallelism);
  }

  /** The root and flow submission of a file, computed locally (what {@code storage root} shows). */
  public static FileTree tree(Path file) throws IOException {
    return FileTree.of(file);
  }

  /** What {@link #upload} did. */
  public record UploadReport(Bytes32 root, Submission submission, long segmentsSent) {}

  /** What {@link #download} did. */
  public record DownloadReport(Bytes32 root, long size, List<Rejection> rejected) {}

  /** A node's answer that was not used, and why. */
  public record Rejection(URI node, long segment, String reason) {}

  /**
   * Told how a transfer advances, for progress bars; called from several threads at once. Bytes are
   * file bytes (not padding); an upload to n nodes plans each node's share separately.
   */
  public interface Progress {
    /** Does nothing. */
    Progress NONE = (segments, bytes) -> {};

    /** {@code segments} more segments, {@code bytes} more file bytes, are to be transferred. */
    default void planned(long segments, long bytes) {}

    /** {@code segments} more segments, {@code bytes} more file bytes, were transferred. */
    void transferred(long segments, long bytes);
  }

  /**
   * Uploads {@code file}, already submitted to the flow, to every node: each node gets the segments
   * of its shard, except nodes that already hold the file finalized. The submission is found by
   * root ({@code zgs_uploadSegment}). Each node is first asked which segments it stores ({@code
   * zgs_getSegmentBitmap}) and is sent only the others, so rerunning an interrupted upload resumes
   * it; {@link UploadReport#segmentsSent} and the progress count only what is sent.
   *
   * @throws StorageClientException if a node does not know the submission or refuses a segment
   */
  public UploadReport upload(Path file) throws IOException {
    return upload(file, -1);
  }

  /**
   * Like {@link #upload(Path)} for the submission with sequence number {@code txSeq} ({@code
   * zgs_uploadSegmentsByTxSeq}): the way to fill a second submission of a root already stored.
   */
  public UploadReport upload(Path file, long txSeq) throws IOException {
    return upload(file, txSeq, Progress.NONE);
  }

  /** {@link #upload(Path, long)} ({@code txSeq} -1: by root), telling {@code progress}. */
  public UploadReport upload(Path file, long txSeq, Progress progress) throws IOException {
    return upload(FileTree.of(file), file, txSeq, progress);
  }

  /**
   * {@link #upload(Path, long, Progress)} with the file's tree already computed (for its flow
   * submission), so the file is not hashed a second time here. The nodes check every segment
   * against the root, so a tree of other bytes only gets the segments refused.
   *
   * @throws IllegalArgumentException if {@code tree} is not of a file of {@code file}'s size
   */
  public UploadReport upload(FileTree tree, Path file, long txSeq, Progress progress)
      throws IOException {
    long size = Files.size(file);
    if (tree.layout().size() != size) {
      throw new IllegalArgumentException(
          "the tree is of a file of " + tree.layout().size() + " bytes, " + file + " has " + size);
    }
    AtomicLong sent = new AtomicLong();
    FileLayout layout = tree.layout();
    // every node's plan first, so that a node that does not know the file fails the upload before
    // anything is sent
    List<NodePlan> plans = new ArrayList<>();
    for (JsonRpcClient node : nodes) {
      JsonNode info =
          txSeq < 0
              ? node.callRaw("zgs_getFileInfo", tree.root().toHexString(), false)
              : node.callRaw("zgs_getFileInfoByTxSeq", txSeq);
      if (info.isNull()) {
        throw new StorageClientException(
            "node "
                + node.endpoint()
                + " does not know "
                + (txSeq < 0 ? "root " + tree.root() : "tx seq " + txSeq)
                + ": submit the file to the flow first, or wait for the node to sync");
      }
      if (txSeq >= 0 && !tree.root().toHexString().equals(info.at("/tx/dataMerkleRoot").asText())) {
        throw new StorageClientException(
            "tx seq "
                + txSeq
                + " is the file "
                + info.at("/tx/dataMerkleRoot").asText()
                + ", not "
                + tree.root());
      }
      if (info.path("finalized").asBoolean(false)) {
        continue;
      }
      long start = info.at("/tx/startEntryIndex").asLong() / Layout.SEGMENT_SECTORS;
      JsonNode shard = node.callRaw("zgs_getShardConfig");
      int numShard = shard.path("numShard").asInt(1);
      int shardId = shard.path("shardId").asInt(0);
      SegmentBitmap stored = storedSegments(node, tree, txSeq);
      List<Long> mine = new ArrayList<>();
      for (long i = 0; i < layout.segments(); i++) {
        if (Math.floorMod(start + i, numShard) == shardId && !stored.has(i)) {
          mine.add(i);
        }
      }
      progress.planned(mine.size(), fileBytes(layout, mine));
      plans.add(new NodePlan(node, mine));
    }
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ);
        ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
      Semaphore inFlight = new Semaphore(parallelism);
      List<Future<?>> tasks = new ArrayList<>();
      // the nodes' calls interleaved, so that every node verifies and syncs at the same time
      // rather than one node after the other
      for (int from = 0; ; from += SEGMENTS_PER_CALL) {
        boolean any = false;
        Map<List<Long>, UploadCall> calls = new HashMap<>(); // this round's, by segments
        for (NodePlan plan : plans) {
          if (from >= plan.segments().size()) {
            continue;
          }
          any = true;
          List<Long> batch =
              plan.segments()
                  .subList(from, Math.min(plan.segments().size(), from + SEGMENTS_PER_CALL));
          UploadCall call = calls.computeIfAbsent(batch, b -> new UploadCall(tree, ch, b, txSeq));
          JsonRpcClient node = plan.node();
          acquire(inFlight);
          tasks.add(
              pool.submit(
                  () -> {
                    try {
                      sendSegments(node, call);
                      sent.addAndGet(batch.size());
                      progress.transferred(batch.size(), fileBytes(layout, batch));
                    } finally {
                      inFlight.release();
                    }
                    return null;
                  }));
        }
        if (!any) {
          break;
        }
      }
      await(tasks);
    }
    return new UploadReport(tree.root(), tree.submission(), sent.get());
  }

  private record NodePlan(JsonRpcClient node, List<Long> segments) {}

  /**
   * The segments {@code node} already stores ({@code zgs_getSegmentBitmap}, an Axivon extension),
   * so that a rerun sends only the others; none for a node without the method (a 0G node).
   */
  private static SegmentBitmap storedSegments(JsonRpcClient node, FileTree tree, long txSeq) {
    long segments = tree.layout().segments();
    try {
      JsonNode answer =
          txSeq < 0
              ? node.callRaw("zgs_getSegmentBitmap", tree.root().toHexString())
              : node.callRaw("zgs_getSegmentBitmapByTxSeq", txSeq);
      if (answer.isNull()) {
        return new SegmentBitmap(segments, new BitSet());
      }
      return StorageJson.bitmap(answer, segments);
    } catch (JsonRpcException e) {
      if (e.code() == METHOD_NOT_FOUND) {
        return new SegmentBitmap(segments, new BitSet());
      }
      throw new StorageClientException(
          "node " + node.endpoint() + " did not say which segments it stores: " + describe(e), e);
    } catch (InvalidInputException e) {
      throw new StorageClientException(
          "node " + node.endpoint() + " sent a bad segment bitmap: " + e.getMessage(), e);
    }
  }

  private static long fileBytes(FileLayout layout, List<Long> segments) {
    long bytes = 0;
    for (long i : segments) {
      bytes += layout.segmentFileBytes(i);
    }
    return bytes;
  }

  /**
   * The upload call of some segments, written once for every node that is sent the same segments
   * (without shards, all of them): base64 and JSON of a segment are then made once, not per node.
   */
  private final class UploadCall {
    private final FileTree tree;
    private final FileChannel ch;
    private final List<Long> indices;
    private final long txSeq;
    private JsonRpcClient.Prepared prepared; // guarded by this

    UploadCall(FileTree tree, FileChannel ch, List<Long> indices, long txSeq) {
      this.tree = tree;
      this.ch = ch;
      this.indices = indices;
      this.txSeq = txSeq;
    }

    synchronized JsonRpcClient.Prepared prepare(JsonRpcClient node) throws IOException {
      if (prepared == null) {
        FileLayout layout = tree.layout();
        ArrayNode segments = mapper.createArrayNode();
        for (long index : indices) {
          int len = layout.segmentFileBytes(index);
          byte[] buf = new byte[len];
          readFully(ch, buf, layout.segmentOffset(index));
          segments.add(StorageJson.segment(mapper, tree.segment(index, buf, 0, len)));
        }
        prepared =
            txSeq < 0
                ? node.prepare("zgs_uploadSegments", segments)
                : node.prepare("zgs_uploadSegmentsByTxSeq", segments, txSeq);
      }
      return prepared;
    }
  }

  private void sendSegments(JsonRpcClient node, UploadCall call) throws IOException {
    try {
      node.send(call.prepare(node));
    } catch (JsonRpcException e) {
      if (e.data().map(JsonNode::asText).orElse("").contains(FINALIZED)) {
        return; // the node has the whole file already
      }
      throw new StorageClientException(
          "node " + node.endpoint() + " refused segments " + call.indices + ": " + describe(e), e);
    }
  }

  /**
   * Downloads the file with this root into {@code out}, verifying every segment's proof. Segment k
   * is asked first of node {@code k mod n}, then of the others in turn; an answer that fails a
   * check is recorded in the report and the next node is asked. {@code out} appears only once the
   * whole file is written and synced.
   *
   * @throws StorageClientException if no node knows the root, or some segment has no valid source
   */
  public DownloadReport download(Bytes32 root, Path out) throws IOException {
    return download(root, out, Progress.NONE);
  }

  /** {@link #download(Bytes32, Path)}, telling {@code progress}. */
  public DownloadReport download(Bytes32 root, Path out, Progress progress) throws IOException {
    return download(root, sizeOf(root), OptionalLong.empty(), out, progress);
  }

  /**
   * Downloads one flow submission's own data by its sequence number ({@code
   * zgs_downloadSegmentWithProofByTxSeq}), each segment checked against the submission's root and
   * size. Unlike {@link #download(Bytes32, Path)} it is right for a submission whose root another
   * submission of another length shares (a root does not change with trailing zeros, and by root a
   * node serves the first such file it finalized).
   *
   * @throws StorageClientException if some segment has no valid source (not finalized anywhere)
   */
  public DownloadReport download(FlowSubmission submission, Path out) throws IOException {
    return download(
        submission.root(),
        submission.size(),
        OptionalLong.of(submission.txSeq()),
        out,
        Progress.NONE);
  }

  private DownloadReport download(
      Bytes32 root, long size, OptionalLong txSeq, Path out, Progress progress) throws IOException {
    FileLayout layout = new FileLayout(size);
    progress.planned(layout.segments(), size);
    Path dir = out.toAbsolutePath().getParent();
    Files.createDirectories(dir);
    Path tmp = Files.createTempFile(dir, "." + out.getFileName() + ".", ".part");
    List<Rejection> rejected = Collections.synchronizedList(new ArrayList<>());
    boolean done = false;
    try {
      try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE);
          ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
        Semaphore inFlight = new Semaphore(parallelism);
        List<Future<?>> tasks = new ArrayList<>();
        for (long k = 0; k < layout.segments(); k++) {
          long index = k;
          acquire(inFlight);
          tasks.add(
              pool.submit(
                  () -> {
                    try {
                      fetchSegment(root, txSeq, layout, index, ch, rejected);
                      progress.transferred(1, layout.segmentFileBytes(index));
                    } finally {
                      inFlight.release();
                    }
                    return null;
                  }));
        }
        await(tasks);
        ch.truncate(size);
        ch.force(true);
      }
      Files.move(tmp, out, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      done = true;
    } finally {
      if (!done) {
        Files.deleteIfExists(tmp);
      }
    }
    return new DownloadReport(root, size, List.copyOf(rejected));
  }

  private long sizeOf(Bytes32 root) {
    List<String> problems = new ArrayList<>();
    for (JsonRpcClient node : nodes) {
      try {
        JsonNode info = node.callRaw("zgs_getFileInfo", root.toHexString(), true);
        if (info.isNull()) {
          problems.add(node.endpoint() + ": unknown root");
          continue;
        }
        long size = info.at("/tx/size").asLong(-1);
        if (size > 0) {
          return size;
        }
        problems.add(node.endpoint() + ": no size in its file info");
      } catch (JsonRpcException e) {
        problems.add(node.endpoint() + ": " + describe(e));
      }
    }
    throw new StorageClientException("no storage node knows root " + root + " (" + problems + ")");
  }

  private void fetchSegment(
      Bytes32 root,
      OptionalLong txSeq,
      FileLayout layout,
      long index,
      FileChannel ch,
      List<Rejection> rejected)
      throws IOException {
    int n = nodes.size();
    for (int attempt = 0; attempt < n; attempt++) {
      JsonRpcClient node = nodes.get((int) ((index + attempt) % n));
      String problem;
      try {
        JsonNode answer =
            txSeq.isPresent()
                ? node.callRaw("zgs_downloadSegmentWithProofByTxSeq", txSeq.getAsLong(), index)
                : node.callRaw("zgs_downloadSegmentWithProof", root.toHexString(), index);
        if (answer.isNull()) {
          problem = "does not hold the segment";
        } else {
          SegmentWithProof s = StorageJson.segment(answer, "result");
          problem = check(s, root, layout, index);
          if (problem == null) {
            int len = layout.segmentFileBytes(index);
            ch.write(
                ByteBuffer.wrap(s.data().toArrayUnsafe(), 0, len), layout.segmentOffset(index));
            return;
          }
        }
      } catch (JsonRpcException e) {
        problem = describe(e);
      } catch (RuntimeException e) { // a malformed answer: the node is broken or lying
        problem = "malformed answer: " + e.getMessage();
      }
      rejected.add(new Rejection(node.endpoint(), index, problem));
    }
    throw new StorageClientException(
        "no storage node served a valid segment " + index + " of root " + root);
  }

  /** Null when {@code s} is segment {@code index} of the file, else what is wrong. */
  private static String check(SegmentWithProof s, Bytes32 root, FileLayout layout, long index) {
    if (!s.root().equals(root)) {
      return "answered for root " + s.root();
    }
    if (s.index() != index) {
      return "answered with segment " + s.index();
    }
    if (s.fileSize() != layout.size()) {
      return "answered with file size " + s.fileSize() + ", expected " + layout.size();
    }
    try {
      s.verify();
      return null;
    } catch (RuntimeException e) {
      return "bad segment: " + e.getMessage();
    }
  }

  private static void readFully(FileChannel ch, byte[] buf, long position) throws IOException {
    ByteBuffer b = ByteBuffer.wrap(buf);
    while (b.hasRemaining()) {
      if (ch.read(b, position + b.position()) < 0) {
        throw new IOException("file shrank while uploading");
      }
    }
  }

  private static String describe(JsonRpcException e) {
    return e.getMessage() + e.data().map(d -> " (" + d.asText() + ")").orElse("");
  }

  private static void acquire(Semaphore s) {
    try {
      s.acquire();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new StorageClientException("interrupted", e);
    }
  }

  private static void await(List<Future<?>> tasks) throws IOException {
    try {
      for (Future<?> t : tasks) {
        t.get();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      tasks.forEach(t -> t.cancel(true));
      throw new StorageClientException("interrupted", e);
    } catch (ExecutionException e) {
      tasks.forEach(t -> t.cancel(true));
      Throwable cause = e.getCause();
      if (cause instanceof IOException io) {
        throw io;
      }
      if (cause instanceof UncheckedIOException io) {
        throw io.getCause();
      }
      if (cause instanceof RuntimeException re) {
        throw re;
      }
      throw new StorageClientException(cause.toString(), cause);
    }
  }
}
