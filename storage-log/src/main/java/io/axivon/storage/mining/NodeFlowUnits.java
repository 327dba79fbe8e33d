package io.axivon.storage.mining;

import io.axivon.common.merkle.MerkleAccumulator;
import io.axivon.common.merkle.MerkleHasher;
import io.axivon.common.merkle.Subtree;
import io.axivon.sdk.mining.MiningContext;
import io.axivon.sdk.mining.Pora;
import io.axivon.sdk.mining.UnitTree;
import io.axivon.sdk.storage.FlowSubmission;
import io.axivon.sdk.storage.layout.Layout;
import io.axivon.storage.node.FlowView;
import io.axivon.storage.store.SegmentStore;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.tuweni.bytes.Bytes;
import org.apache.tuweni.bytes.Bytes32;

/**
 * A storage node's {@link FlowUnits}: unit data from its segment store, node roots from the flow's
 * submission records ({@link FlowView}), and roots inside a node from segment roots (the first
 * lemma of each stored segment's proof, checked when the segment was accepted) and, below one
 * segment, from the segment's data. Sectors of the flow that belong to no file (alignment padding)
 * and a file's padding sectors are zero. A unit whose data segment the node does not hold (another
 * shard's, or not uploaded yet) cannot be read or proven. Thread-safe.
 */
public final class NodeFlowUnits implements FlowUnits {
  private static final int SEG_SECTORS = Layout.SEGMENT_SECTORS;

  // Segments of a sibling block looked at for a held one: a shard of numShard <= this holds one.
  private static final long MAX_NEIGHBOUR_SCAN = 1024;

  private final FlowView flow;
  private final SegmentStore store;
  private final MerkleHasher hasher = new MerkleHasher();
  private final List<FlowSubmission> subs = new ArrayList<>(); // guarded by this
  private final Map<Long, Bytes32> segmentRoots = new ConcurrentHashMap<>(); // by global segment
  private final Map<Long, Bytes> recent = // a few segments: the sealer reads 64 units of each
      new LinkedHashMap<>(8, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Long, Bytes> e) {
          return size() > 4;
        }
      };
  private Bytes32 provenDigest; // guarded by this: the context of `proofs`
  private FlowProofs proofs;

  public NodeFlowUnits(FlowView flow, SegmentStore store) {
    this.flow = flow;
    this.store = store;
  }

  /** The flow length the synced submissions reach, in sectors. */
  public synchronized long syncedLength() {
    refresh();
    if (subs.isEmpty()) {
      return 0;
    }
    FlowSubmission last = subs.getLast();
    return last.startEntryIndex() + last.sectors();
  }

  @Override
  public boolean read(long unit, byte[] out) {
    long pos = unit * Pora.UNIT_SECTORS;
    if (unit < 0 || pos + Pora.UNIT_SECTORS > syncedLength()) {
      return false;
    }
    return readSectors(pos, Pora.UNIT_SECTORS, out, 0);
  }

  @Override
  public Optional<UnitProof> proof(long unit, MiningContext ctx) {
    byte[] data = new byte[Pora.UNIT_BYTES];
    if (!read(unit, data)) {
      return Optional.empty();
    }
    FlowProofs p;
    synchronized (this) {
      if (syncedLength() < ctx.flowLength()) {
        return Optional.empty(); // the view has not seen every submission of the context
      }
      if (!ctx.digest().equals(provenDigest)) {
        List<FlowProofs.Node> nodes = new ArrayList<>();
        for (FlowSubmission s : subs) {
          long start = s.startEntryIndex();
          for (Subtree n : s.submission().nodes()) {
            if (start + n.leafCount() <= ctx.flowLength()) {
              nodes.add(new FlowProofs.Node(start, n.height(), n.root()));
            }
            start += n.leafCount();
          }
        }
        proofs = new FlowProofs(nodes, ctx.flowLength(), this::innerRoot);
        provenDigest = ctx.digest();
      }
      p = proofs;
    }
    try {
      synchronized (p) {
        return Optional.of(new UnitProof(UnitTree.unitRoot(data, 0), p.unitProof(unit)));
      }
    } catch (MissingData e) {
      return Optional.empty();
    }
  }

  private static final class MissingData extends RuntimeException {
    MissingData() {
      super(null, null, false, false);
    }
  }

  // The root of [start, start + 2^height) strictly inside node n (one file's sectors).
  private Bytes32 innerRoot(FlowProofs.Node n, long start, int height) {
    if (height >= Layout.SEGMENT_HEIGHT) {
      try {
        if (height == Layout.SEGMENT_HEIGHT) {
          return segmentRoot(start);
        }
        long mid = start + (1L << (height - 1));
        return hasher.node(innerRoot(n, start, height - 1), innerRoot(n, mid, height - 1));
      } catch (MissingData e) {
        // segments of another shard (or not uploaded): a held neighbour's proof may have the root
        return fromNeighbourProof(start, height).orElseThrow(() -> e);
      }
    }
    byte[] buf = new byte[Pora.SECTOR << height];
    if (!readSectors(start, 1L << height, buf, 0)) {
      throw new MissingData();
    }
    return MerkleAccumulator.ofData(Pora.SECTOR).update(buf).root();
  }

  /**
   * The root of the segment-aligned block {@code [start, start + 2^height)} of a file from the
   * stored proof of a held segment in its sibling block: that proof's sibling at this level is the
   * block's root. A sharded node holds none of the other shards' segments, so this is how it proves
   * its own units. Only where both blocks are made of the file's real segments, for there the
   * file's tree (0G's, whose proofs are stored) and the flow's tree agree: every lower level of the
   * path is paired, so the sibling is {@code lemma[1 + level]}.
   */
  private Optional<Bytes32> fromNeighbourProof(long start, int height) {
    Optional<FlowSubmission> at = submissionAt(start);
    if (at.isEmpty()) {
      return Optional.empty();
    }
    FlowSubmission s = at.get();
    int level = height - Layout.SEGMENT_HEIGHT;
    long size = 1L << level;
    long first = (start - s.startEntryIndex()) / SEG_SECTORS;
    long sibling = first ^ size;
    long count = s.layout().segments();
    if ((start - s.startEntryIndex()) % SEG_SECTORS != 0
        || Math.max(first, sibling) + size > count) {
      return Optional.empty();
    }
    for (long i = sibling; i < sibling + Math.min(size, MAX_NEIGHBOUR_SCAN); i++) {
      Optional<io.axivon.sdk.storage.layout.ZgProof> p = store.proof(s.txSeq(), i);
      if (p.isPresent()
          && p.get().path().size() > level
          && p.get().path().get(level) == (sibling < first)) {
        return Optional.of(p.get().lemma().get(1 + level));
      }
    }
    return Optional.empty();
  }

  // The root of the whole segment at flow position start (a file's segment: files of a node of
  // height >= 10 start on a segment boundary).
  private Bytes32 segmentRoot(long start) {
    Bytes32 cached = segmentRoots.get(start);
    if (cached != null) {
      return cached;
    }
    FlowSubmission s = submissionAt(start).orElseThrow(MissingData::new);
    long index = (start - s.startEntryIndex()) / SEG_SECTORS;
    Bytes32 root;
    if (index >= s.layout().segments()) {
      root = hasher.zeroSubtreeRoot(Pora.SECTOR, Layout.SEGMENT_HEIGHT); // a padding segment
    } else {
      root =
          store
              .proof(s.txSeq(), index)
              .map(p -> p.lemma().getFirst())
              .orElseThrow(MissingData::new);
    }
    segmentRoots.put(start, root);
    return root;
  }

  // Copies flow sectors [pos, pos + count) into out; false if a data segment is missing.
  private boolean readSectors(long pos, long count, byte[] out, int off) {
    Arrays.fill(out, off, off + (int) (count * Pora.SECTOR), (byte) 0);
    long end = pos + count;
    long p = pos;
    while (p < end) {
      Optional<FlowSubmission> at = submissionAt(p);
      if (at.isEmpty()) {
        p = Math.min(end, nextStartAfter(p)); // alignment padding: zero
        continue;
      }
      FlowSubmission s = at.get();
      long fileEnd = Math.min(end, s.startEntryIndex() + s.sectors());
      while (p < fileEnd) {
        long rel = p - s.startEntryIndex();
        long index = rel / SEG_SECTORS;
        long segEnd = Math.min(fileEnd, s.startEntryIndex() + (index + 1) * SEG_SECTORS);
        if (index < s.layout().segments()) {
          Optional<Bytes> seg = segment(s.txSeq(), index);
          if (seg.isEmpty()) {
            return false;
          }
          Bytes d = seg.get();
          long from = (rel % SEG_SECTORS) * Pora.SECTOR;
          long to =
              Math.min(
                  d.size(), (segEnd - s.startEntryIndex() - index * SEG_SECTORS) * Pora.SECTOR);
          if (to > from) {
            System.arraycopy(
                d.toArrayUnsafe(),
                (int) from,
                out,
                off + (int) ((p - pos) * Pora.SECTOR),
                (int) (to - from));
          }
        }
        p = segEnd;
      }
    }
    return true;
  }

  private Optional<Bytes> segment(long txSeq, long index) {
    long key = txSeq * (1L << 32) + index;
    synchronized (recent) {
      Bytes b = recent.get(key);
      if (b != null) {
        return Optional.of(b);
      }
    }
    Optional<Bytes> b = store.segment(txSeq, index);
    b.ifPresent(
        v -> {
          synchronized (recent) {
            recent.put(key, v);
          }
        });
    return b;
  }

  // The submission whose sectors [start, start + sectors) hold pos.
  private synchronized Optional<FlowSubmission> submissionAt(long pos) {
    refresh();
    int lo = 0;
    int hi = subs.size() - 1;
    int found = -1;
    while (lo <= hi) {
      int m = (lo + hi) >>> 1;
      if (subs.get(m).startEntryIndex() <= pos) {
        found = m;
        lo = m + 1;
      } else {
        hi = m - 1;
      }
    }
    if (found < 0) {
      return Optional.empty();
    }
    FlowSubmission s = subs.get(found);
    return pos < s.startEntryIndex() + s.sectors() ? Optional.of(s) : Optional.empty();
  }

  private synchronized long nextStartAfter(long pos) {
    for (FlowSubmission s : subs) { // only for padding, in front of a file
      if (s.startEntryIndex() > pos) {
        return s.startEntryIndex();
      }
    }
    return Long.MAX_VALUE;
  }

  private void refresh() {
    long next = flow.nextTxSeq();
    while (subs.size() < next) {
      Optional<FlowSubmission> s = flow.byTxSeq(subs.size());
      if (s.isEmpty()) {
        return;
      }
      subs.add(s.get());
    }
  }
}
