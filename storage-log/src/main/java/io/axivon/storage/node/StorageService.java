package io.axivon.storage.node;

import io.axivon.sdk.storage.FileInfo;
import io.axivon.sdk.storage.FlowSubmission;
import io.axivon.sdk.storage.SegmentBitmap;
import io.axivon.sdk.storage.layout.FileLayout;
import io.axivon.sdk.storage.layout.Layout;
import io.axivon.sdk.storage.layout.SegmentWithProof;
import io.axivon.sdk.storage.layout.SegmentWithProof.InvalidSegmentException;
import io.axivon.sdk.storage.layout.ZgProof;
import io.axivon.storage.store.SegmentStore;
import io.axivon.storage.store.SegmentStore.VerifiedSegment;
import io.axivon.storage.store.StoredFile;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.apache.tuweni.bytes.Bytes;
import org.apache.tuweni.bytes.Bytes32;

/**
 * The storage node's behaviour behind its JSON-RPC methods: accepts a segment only for a file the
 * flow knows, only inside this node's shard and only with a valid proof against the file root;
 * serves stored segments with their proofs. Errors are {@link StorageRpcError}s; "not known" is an
 * empty result, never an error (the 0G SDK relies on that). Thread-safe.
 */
public final class StorageService {
  private final FlowView flow;
  private final SegmentStore store;
  private final ShardConfig shard;
  private final NetworkIdentity identity;

  public StorageService(
      FlowView flow, SegmentStore store, ShardConfig shard, NetworkIdentity identity) {
    this.flow = Objects.requireNonNull(flow, "flow");
    this.store = Objects.requireNonNull(store, "store");
    this.shard = Objects.requireNonNull(shard, "shard");
    this.identity = Objects.requireNonNull(identity, "identity");
  }

  /** Chain id and flow contract address reported by {@code zgs_getStatus}. */
  public record NetworkIdentity(long chainId, String flowAddress) {
    public NetworkIdentity {
      Objects.requireNonNull(flowAddress, "flowAddress");
    }
  }

  /** The node's status (0G's {@code Status}). */
  public record Status(
      int connectedPeers, FlowView.SyncPoint sync, long nextTxSeq, NetworkIdentity identity) {}

  public ShardConfig shardConfig() {
    return shard;
  }

  public Status status() {
    return new Status(0, flow.syncPoint(), flow.nextTxSeq(), identity);
  }

  // ---- uploads ----

  /**
   * Stores segments whose submission is found by root ({@code zgs_uploadSegment(s)}). All are
   * checked before any is stored: one bad segment stores none.
   */
  public void upload(List<SegmentWithProof> segments) {
    List<Target> targets = new ArrayList<>(segments.size());
    for (SegmentWithProof s : segments) {
      targets.add(check(s, submissionFor(s)));
    }
    store(targets);
  }

  /** Stores segments of the submission {@code txSeq} ({@code zgs_uploadSegment(s)ByTxSeq}). */
  public void uploadByTxSeq(List<SegmentWithProof> segments, long txSeq) {
    FlowSubmission sub =
        flow.byTxSeq(txSeq)
            .orElseThrow(
                () ->
                    StorageRpcError.invalidParams(
                        "txSeq", "no submission with tx seq " + txSeq + " is known to this node"));
    List<Target> targets = new ArrayList<>(segments.size());
    for (SegmentWithProof s : segments) {
      if (!s.root().equals(sub.root())) {
        throw StorageRpcError.internal("data root and tx seq not match");
      }
      if (s.fileSize() != sub.size()) {
        throw StorageRpcError.invalidParams(
            "fileSize", "segment file size not matched with tx file size");
      }
      targets.add(check(s, sub));
    }
    store(targets);
  }

  private record Target(FlowSubmission sub, SegmentWithProof segment) {}

  private FlowSubmission submissionFor(SegmentWithProof s) {
    List<FlowSubmission> subs = flow.byRoot(s.root());
    if (subs.isEmpty()) {
      throw StorageRpcError.invalidParams(
          "root",
          "no submission with root "
              + s.root()
              + " is known to this node (not submitted, or not synced yet)");
    }
    FlowSubmission sameSize = null;
    for (FlowSubmission sub : subs) {
      if (sub.size() != s.fileSize()) {
        continue;
      }
      if (sameSize == null) {
        sameSize = sub;
      }
      if (!isFinalized(sub)) {
        return sub; // the first submission of this root still missing data
      }
    }
    if (sameSize == null) {
      throw StorageRpcError.invalidParams(
          "fileSize",
          "fileSize "
              + s.fileSize()
              + " matches no submission with root "
              + s.root()
              + " (sizes: "
              + subs.stream().map(FlowSubmission::size).toList()
              + ")");
    }
    return sameSize; // all finalized: check() refuses it
  }

  private Target check(SegmentWithProof s, FlowSubmission sub) {
    if (isFinalized(sub)) {
      throw StorageRpcError.invalidParams("root", StorageRpcError.ALREADY_FINALIZED);
    }
    FileLayout layout = sub.layout();
    if (s.index() < 0 || s.index() >= layout.segments()) {
      throw StorageRpcError.invalidParams(
          "index",
          "segment index "
              + s.index()
              + " is out of range: the file has "
              + layout.segments()
              + " segments");
    }
    long global = sub.globalSegment(s.index());
    if (!shard.holds(global)) {
      throw StorageRpcError.invalidParams(
          "index",
          "segment "
              + s.index()
              + " (global segment "
              + global
              + ") is outside this node's shard "
              + shard.shardId()
              + "/"
              + shard.numShard());
    }
    try {
      s.verify();
    } catch (InvalidSegmentException e) {
      String param =
          switch (e.field()) {
            case FILE_SIZE -> "fileSize";
            case INDEX -> "index";
            case DATA -> "data";
            case PROOF -> "proof";
          };
      throw StorageRpcError.invalidParams(param, e.getMessage());
    }
    return new Target(sub, s);
  }

  private void store(List<Target> targets) {
    Map<Long, List<Target>> byTx = new LinkedHashMap<>();
    for (Target t : targets) {
      byTx.computeIfAbsent(t.sub().txSeq(), k -> new ArrayList<>()).add(t);
    }
    for (List<Target> group : byTx.values()) {
      FlowSubmission sub = group.getFirst().sub();
      List<VerifiedSegment> batch =
          group.stream()
              .map(t -> t.segment())
              .map(s -> new VerifiedSegment(s.index(), s.data(), s.proof()))
              .toList();
      store.putAll(record(sub), batch);
    }
  }

  private StoredFile record(FlowSubmission sub) {
    long expected = expectedHere(sub);
    return new StoredFile(
        sub.txSeq(), sub.root(), sub.size(), sub.startEntryIndex(), expected, 0, expected == 0);
  }

  /** How many of the file's segments fall in this node's shard. */
  private long expectedHere(FlowSubmission sub) {
    return shard.count(sub.globalSegment(0), sub.layout().segments());
  }

  /**
   * Every segment of this node's shard is stored. A file with none in the shard is finalized as
   * soon as it is submitted: no upload or sync would ever write its record, and clients (0G's SDK
   * included) wait for every node to report the file finalized.
   */
  private boolean isFinalized(FlowSubmission sub) {
    return store.file(sub.txSeq()).map(StoredFile::finalized).orElse(false)
        || expectedHere(sub) == 0;
  }

  // ---- queries ----

  /**
   * {@code zgs_getSegmentBitmap} (an Axivon extension): which of the file's segments this node
   * stores, for the submission {@code zgs_getFileInfo} would describe.
   */
  public Optional<SegmentBitmap> segmentBitmap(Bytes32 root) {
    return pick(root).map(this::bitmap);
  }

  /** {@code zgs_getSegmentBitmapByTxSeq}. */
  public Optional<SegmentBitmap> segmentBitmapByTxSeq(long txSeq) {
    return flow.byTxSeq(txSeq).map(this::bitmap);
  }

  private SegmentBitmap bitmap(FlowSubmission sub) {
    long segments = sub.layout().segments();
    if (segments > SegmentBitmap.MAX_SEGMENTS) {
      throw StorageRpcError.invalidParams(
          "root", "the file has " + segments + " segments, more than one bitmap answers");
    }
    return new SegmentBitmap(segments, store.storedSegments(sub.txSeq(), (int) segments));
  }

  /** {@code zgs_getFileInfo}: a finalized submission of this root first, else the first one. */
  public Optional<FileInfo> fileInfo(Bytes32 root, boolean needAvailable) {
    // nothing is ever pruned here, so needAvailable changes nothing
    return pick(root).map(this::info);
  }

  /** {@code zgs_getFileInfoByTxSeq}. */
  public Optional<FileInfo> fileInfoByTxSeq(long txSeq) {
    return flow.byTxSeq(txSeq).map(this::info);
  }

  private Optional<FlowSubmission> pick(Bytes32 root) {
    List<FlowSubmission> subs = flow.byRoot(root);
    for (FlowSubmission sub : subs) {
      if (isFinalized(sub)) {
        return Optional.of(sub);
      }
    }
    return subs.isEmpty() ? Optional.empty() : Optional.of(subs.getFirst());
  }

  private FileInfo info(FlowSubmission sub) {
    Optional<StoredFile> stored = store.file(sub.txSeq());
    boolean finalized = isFinalized(sub);
    long uploaded =
        finalized ? sub.layout().segments() : stored.map(StoredFile::storedSegments).orElse(0L);
    return new FileInfo(sub, finalized, uploaded);
  }

  /**
   * {@code zgs_downloadSegment}: the sectors {@code [start, end)} of the file with this root, or
   * empty when the file or any of those sectors is not stored here.
   */
  public Optional<Bytes> download(Bytes32 root, long start, long end) {
    Optional<FlowSubmission> sub = pick(root);
    return sub.isEmpty() ? Optional.empty() : download(sub.get(), start, end);
  }

  /** {@code zgs_downloadSegmentByTxSeq}. */
  public Optional<Bytes> downloadByTxSeq(long txSeq, long start, long end) {
    Optional<FlowSubmission> sub = flow.byTxSeq(txSeq);
    return sub.isEmpty() ? Optional.empty() : download(sub.get(), start, end);
  }

  private Optional<Bytes> download(FlowSubmission sub, long start, long end) {
    long sectors = sub.layout().sectors();
    if (start < 0 || start >= end) {
      throw StorageRpcError.invalidParams(
          "startIndex", "start index " + start + " must be below the end index " + end);
    }
    if (end - start > Layout.SEGMENT_SECTORS) {
      throw StorageRpcError.invalidParams(
          "endIndex",
          "at most " + Layout.SEGMENT_SECTORS + " chunks per call, asked for " + (end - start));
    }
    if (end > sectors) {
      throw StorageRpcError.invalidParams(
          "endIndex", "end index " + end + " is beyond the file's " + sectors + " chunks");
    }
    byte[] out = new byte[Math.toIntExact((end - start) * Layout.SECTOR_SIZE)];
    int written = 0;
    for (long seg = start / Layout.SEGMENT_SECTORS;
        seg <= (end - 1) / Layout.SEGMENT_SECTORS;
        seg++) {
      Optional<Bytes> data = store.segment(sub.txSeq(), seg);
      if (data.isEmpty()) {
        return Optional.empty();
      }
      long segStart = seg * Layout.SEGMENT_SECTORS;
      long from = Math.max(start, segStart) - segStart;
      long to = Math.min(end, segStart + Layout.SEGMENT_SECTORS) - segStart;
      int len = (int) ((to - from) * Layout.SECTOR_SIZE);
      System.arraycopy(
          data.get().toArrayUnsafe(), (int) (from * Layout.SECTOR_SIZE), out, written, len);
      written += len;
    }
    return Optional.of(Bytes.wrap(out));
  }

  /** {@code zgs_downloadSegmentWithProof}: a stored segment with the proof it was accepted with. */
  public Optional<SegmentWithProof> downloadWithProof(Bytes32 root, long index) {
    Optional<FlowSubmission> sub = pick(root);
    return sub.isEmpty() ? Optional.empty() : downloadWithProof(sub.get(), index);
  }

  /** {@code zgs_downloadSegmentWithProofByTxSeq}. */
  public Optional<SegmentWithProof> downloadWithProofByTxSeq(long txSeq, long index) {
    Optional<FlowSubmission> sub = flow.byTxSeq(txSeq);
    return sub.isEmpty() ? Optional.empty() : downloadWithProof(sub.get(), index);
  }

  private Optional<SegmentWithProof> downloadWithProof(FlowSubmission sub, long index) {
    long segments = sub.layout().segments();
    if (index < 0 || index >= segments) {
      throw StorageRpcError.invalidParams(
          "index",
          "segment index " + index + " is out of range: the file has " + segments + " segments");
    }
    Optional<Bytes> data = store.segment(sub.txSeq(), index);
    Optional<ZgProof> proof = store.proof(sub.txSeq(), index);
    if (data.isEmpty() || proof.isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(
        new SegmentWithProof(sub.root(), data.get(), index, proof.get(), sub.size()));
  }
}
