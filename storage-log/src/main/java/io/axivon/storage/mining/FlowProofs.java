package io.axivon.storage.mining;

import io.axivon.common.merkle.MerkleHasher;
import io.axivon.sdk.mining.Pora;
import io.axivon.sdk.mining.UnitTree;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.tuweni.bytes.Bytes32;

/**
 * Proofs of seal units against a context's flow root (specs/flow.md section 4, specs/pora.md
 * section 9), built from the flow's submission nodes as the {@code Submit} events list them: a
 * subtree made of whole nodes and padding is folded from the node roots and zero subtrees; only a
 * subtree strictly inside one node needs that node's data, through {@link Inner}. Subtree roots are
 * cached, so after the first proof of a context the upper levels cost nothing.
 */
public final class FlowProofs {
  /** A submission node: the perfect subtree of {@code 2^height} sectors at {@code start}. */
  public record Node(long start, int height, Bytes32 root) {
    public Node {
      if (height < 0 || height > 61 || start < 0 || (start & ((1L << height) - 1)) != 0) {
        throw new IllegalArgumentException("node must be aligned to its size");
      }
    }

    long end() {
      return start + (1L << height);
    }
  }

  /** Roots of subtrees strictly inside a node, from the node's data (segments and their proofs). */
  public interface Inner {
    Bytes32 root(Node node, long start, int height);
  }

  private record Key(long start, int height) {}

  private final List<Node> nodes;
  private final long flowLength;
  private final Inner inner;
  private final MerkleHasher hasher = new MerkleHasher();
  private final Map<Key, Bytes32> cache = new HashMap<>();

  /**
   * @param nodes the flow's nodes in flow order, all ending at or before {@code flowLength}
   * @param flowLength the context's flow length in sectors
   */
  public FlowProofs(List<Node> nodes, long flowLength, Inner inner) {
    this.nodes = List.copyOf(nodes);
    this.flowLength = flowLength;
    this.inner = inner;
    long end = 0;
    for (Node n : this.nodes) {
      if (n.start() < end || n.end() > flowLength) {
        throw new IllegalArgumentException("nodes overlap or pass the flow length");
      }
      end = n.end();
    }
  }

  /** The flow root: the perfect tree over {@code 2^k ≥ max(flowLength, 1)} sectors. */
  public Bytes32 root() {
    return subtreeRoot(0, UnitTree.height(flowLength));
  }

  /** The siblings of unit {@code unit} from level 4 up to the root, bottom up. */
  public List<Bytes32> unitProof(long unit) {
    int k = UnitTree.height(flowLength);
    List<Bytes32> out = new ArrayList<>();
    long start = unit * Pora.UNIT_SECTORS;
    for (int j = 4; j < k; j++) {
      long sibling = start ^ (1L << j);
      out.add(subtreeRoot(sibling, j));
      start &= ~(1L << j);
    }
    return out;
  }

  /** The root of the aligned subtree {@code [start, start + 2^height)}. */
  public Bytes32 subtreeRoot(long start, int height) {
    Key key = new Key(start, height);
    Bytes32 v = cache.get(key);
    if (v == null) {
      v = compute(start, height);
      cache.put(key, v);
    }
    return v;
  }

  private Bytes32 compute(long start, int height) {
    long end = start + (1L << height);
    if (start >= flowLength) {
      return hasher.zeroSubtreeRoot(Pora.SECTOR, height);
    }
    int i = lastStartingAtOrBefore(start);
    if (i >= 0 && nodes.get(i).end() >= end) { // inside one node (or the node itself)
      Node n = nodes.get(i);
      return n.start() == start && n.height() == height ? n.root() : inner.root(n, start, height);
    }
    int next = i + 1;
    boolean touches =
        (i >= 0 && nodes.get(i).end() > start)
            || (next < nodes.size() && nodes.get(next).start() < end);
    if (!touches) {
      return hasher.zeroSubtreeRoot(Pora.SECTOR, height); // padding between nodes
    }
    long mid = start + (1L << (height - 1));
    return hasher.node(subtreeRoot(start, height - 1), subtreeRoot(mid, height - 1));
  }

  // The index of the last node whose start is <= pos, or -1.
  private int lastStartingAtOrBefore(long pos) {
    int lo = 0;
    int hi = nodes.size() - 1;
    int found = -1;
    while (lo <= hi) {
      int m = (lo + hi) >>> 1;
      if (nodes.get(m).start() <= pos) {
        found = m;
        lo = m + 1;
      } else {
        hi = m - 1;
      }
    }
    return found;
  }
}
