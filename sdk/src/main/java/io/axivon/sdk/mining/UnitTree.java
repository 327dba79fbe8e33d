package io.axivon.sdk.mining;

import io.axivon.common.merkle.InclusionProof;
import io.axivon.common.merkle.MerkleAccumulator;
import java.util.List;
import org.apache.tuweni.bytes.Bytes32;

/**
 * A seal unit's place in the flow tree (specs/pora.md section 9). The flow root is the perfect tree
 * over {@code 2^k} sectors (specs/flow.md section 4), so a unit (16 sectors, height 4) is leaf
 * {@code recall / 16} of the perfect tree of {@code 2^(k−4)} unit roots, where the tree rule of
 * {@code io.axivon.common.merkle} coincides with the flow's: its {@link InclusionProof} checks it.
 */
public final class UnitTree {
  private UnitTree() {}

  /** The Merkle root of one unit's 16 sectors ({@code data[off..off+4096)}). */
  public static Bytes32 unitRoot(byte[] data, int off) {
    return MerkleAccumulator.ofData(Pora.SECTOR).update(data, off, Pora.UNIT_BYTES).root();
  }

  /** {@code k}: the flow tree's height in sectors, {@code 2^k ≥ max(flowLength, 1)}. */
  public static int height(long flowLength) {
    return flowLength <= 1 ? 0 : 64 - Long.numberOfLeadingZeros(flowLength - 1);
  }

  /** The siblings a unit's proof has under a flow of {@code flowLength ≥ 16} sectors. */
  public static int proofLength(long flowLength) {
    return height(flowLength) - 4;
  }

  /**
   * Whether {@code unitRoot} at unit {@code unit} hashes up to {@code flowRoot} via {@code proof}.
   */
  public static boolean verify(
      Bytes32 flowRoot, long flowLength, long unit, Bytes32 unitRoot, List<Bytes32> proof) {
    long units = 1L << proofLength(flowLength);
    if (unit < 0 || unit >= units) {
      return false;
    }
    return new InclusionProof(unit, units, proof).verify(flowRoot, unitRoot);
  }
}
