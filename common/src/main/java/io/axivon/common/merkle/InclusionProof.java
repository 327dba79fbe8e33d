package io.axivon.common.merkle;

import io.axivon.common.codec.Rlp;
import io.axivon.common.codec.RlpCodec;
import java.util.List;
import java.util.Objects;
import org.apache.tuweni.bytes.Bytes32;

/**
 * Proof that a leaf is at {@code leafIndex} in a tree of {@code leafCount} leaves: the sibling of
 * each node on the path to the root, bottom up. Levels where the path node is unpaired (and moves
 * up unchanged) have no sibling.
 *
 * <p>The verifier must know {@code leafCount} independently (for a file, from its length): the
 * tree's shape, and so the proof, depends on it.
 */
public record InclusionProof(long leafIndex, long leafCount, List<Bytes32> siblings) {
  /** RLP: {@code [leafIndex, leafCount, [sibling, ...]]}. */
  public static final RlpCodec<InclusionProof> CODEC =
      RlpCodec.struct(
          (w, p) ->
              w.writeUInt64(p.leafIndex())
                  .writeUInt64(p.leafCount())
                  .writeListOf(p.siblings(), Rlp.BYTES32),
          r -> new InclusionProof(r.readUInt64(), r.readUInt64(), r.readListOf(Rlp.BYTES32)));

  public InclusionProof {
    if (leafCount <= 0) {
      throw new IllegalArgumentException("leafCount must be > 0, got " + leafCount);
    }
    if (leafIndex < 0 || leafIndex >= leafCount) {
      throw new IllegalArgumentException(
          "leafIndex " + leafIndex + " outside [0, " + leafCount + ")");
    }
    siblings = List.copyOf(siblings);
    if (siblings.size() > 64) {
      throw new IllegalArgumentException("too many siblings: " + siblings.size());
    }
  }

  /** Whether {@code leafHash} at {@code leafIndex} gives {@code root}. */
  public boolean verify(Bytes32 root, Bytes32 leafHash) {
    Objects.requireNonNull(root, "root");
    Bytes32 computed = ProofMath.root(leafIndex, leafCount, List.of(leafHash), siblings);
    return computed != null && computed.equals(root);
  }
}
