package io.axivon.consensus.execution.flow;

import io.axivon.common.crypto.Hashes;
import io.axivon.consensus.execution.system.ModuleRevert;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import org.apache.tuweni.bytes.Bytes;
import org.apache.tuweni.bytes.Bytes32;

/**
 * 0G's {@code Submission { uint256 length; bytes tags; SubmissionNode[] nodes; }}: a file of {@code
 * length} bytes registered as the subtree roots of its padded sectors, largest first
 * (shared/reference/0g-file-root.md, section 6).
 *
 * @param length file size in bytes, as sent (uint256)
 * @param tags opaque uploader bytes (KV transactions put their layout here)
 * @param nodes the submission nodes
 */
public record Submission(BigInteger length, Bytes tags, List<Node> nodes) {
  /** Most tag bytes a submission may carry. */
  public static final int MAX_TAGS = 4096;

  /** Most nodes a submission may carry (a valid one has at most 4 or 5; 64 bounds decoding). */
  public static final int MAX_NODES = 64;

  /**
   * One {@code SubmissionNode { bytes32 root; uint256 height; }}.
   *
   * @param height as sent (uint256)
   */
  public record Node(Bytes32 root, BigInteger height) {}

  public Submission {
    nodes = List.copyOf(nodes);
  }

  /** The padded sector count of a file of {@code chunks} data sectors (0g-file-root.md §3). */
  public static long paddedSectors(long chunks) {
    if (chunks <= 0) {
      throw new IllegalArgumentException("no chunks");
    }
    long p = Long.highestOneBit(chunks);
    if (p == chunks) {
      return chunks;
    }
    p <<= 1;
    long unit = p >= 16 ? p / 16 : 1;
    return (chunks + unit - 1) / unit * unit;
  }

  /** {@code keccak256(root_1 || ... || root_k)}: the event's {@code identity}. */
  public Bytes32 identity() {
    List<Bytes> roots = new ArrayList<>();
    for (Node n : nodes) {
      roots.add(n.root());
    }
    return Hashes.keccak256(Bytes.concatenate(roots));
  }

  /**
   * Checks the submission and returns its heights (each below {@link FlowAccumulator#MAX_LEVEL}).
   *
   * @throws ModuleRevert with the rule it breaks
   */
  public int[] validate() {
    if (nodes.isEmpty()) {
      throw new ModuleRevert("submission has no nodes");
    }
    if (nodes.size() > MAX_NODES) {
      throw new ModuleRevert("submission has " + nodes.size() + " nodes, at most " + MAX_NODES);
    }
    if (tags.size() > MAX_TAGS) {
      throw new ModuleRevert("submission tags are " + tags.size() + " bytes, at most " + MAX_TAGS);
    }
    if (length.signum() == 0) {
      throw new ModuleRevert("submission length is zero");
    }
    int[] heights = new int[nodes.size()];
    for (int i = 0; i < heights.length; i++) {
      BigInteger h = nodes.get(i).height();
      if (h.compareTo(BigInteger.valueOf(FlowAccumulator.MAX_LEVEL)) >= 0) {
        throw new ModuleRevert(
            "node " + i + " height " + h + " is not below " + FlowAccumulator.MAX_LEVEL);
      }
      heights[i] = h.intValueExact();
      if (i > 0 && heights[i] >= heights[i - 1]) {
        throw new ModuleRevert(
            "node heights must strictly decrease: node "
                + i
                + " has height "
                + heights[i]
                + " after "
                + heights[i - 1]);
      }
    }
    long sectors = sectors(heights);
    BigInteger chunks =
        length
            .add(BigInteger.valueOf(FlowAccumulator.SECTOR - 1))
            .divide(BigInteger.valueOf(FlowAccumulator.SECTOR));
    if (chunks.compareTo(BigInteger.valueOf(sectors)) > 0) {
      throw new ModuleRevert(
          "submission length " + length + " needs " + chunks + " sectors, nodes cover " + sectors);
    }
    long padded = paddedSectors(chunks.longValueExact());
    if (padded != sectors) {
      throw new ModuleRevert(
          "submission length "
              + length
              + " pads to "
              + padded
              + " sectors, nodes cover "
              + sectors);
    }
    return heights;
  }

  /** {@code Σ 2^h} over strictly decreasing heights below 62 (fits: at most 2^62 - 1). */
  static long sectors(int[] heights) {
    long s = 0;
    for (int h : heights) {
      s += 1L << h;
    }
    return s;
  }
}
