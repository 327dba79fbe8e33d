package io.axivon.common.merkle;

import io.axivon.common.codec.Rlp;
import io.axivon.common.codec.RlpCodec;
import java.util.List;
import java.util.Objects;
import org.apache.tuweni.bytes.Bytes32;

/**
 * Proof that some leaves form the contiguous range starting at {@code firstLeafIndex} of a tree of
 * {@code leafCount} leaves. Compact: it holds only the siblings at the range's two boundaries (at
 * most two per level), since everything between them is computed from the leaves.
 *
 * <p>The verifier must know {@code leafCount} independently (for a file, from its length): the
 * tree's shape, and so the proof, depends on it.
 */
public record RangeProof(long firstLeafIndex, long leafCount, List<Bytes32> siblings) {
  /** RLP: {@code [firstLeafIndex, leafCount, [sibling, ...]]}. */
  public static final RlpCodec<RangeProof> CODEC =
      RlpCodec.struct(
          (w, p) ->
              w.writeUInt64(p.firstLeafIndex())
                  .writeUInt64(p.leafCount())
                  .writeListOf(p.siblings(), Rlp.BYTES32),
          r -> new RangeProof(r.readUInt64(), r.readUInt64(), r.readListOf(Rlp.BYTES32)));

  public RangeProof {
    if (leafCount <= 0) {
      throw new IllegalArgumentException("leafCount must be > 0, got " + leafCount);
    }
    if (firstLeafIndex < 0 || firstLeafIndex >= leafCount) {
      throw new IllegalArgumentException(
          "firstLeafIndex " + firstLeafIndex + " outside [0, " + leafCount + ")");
    }
    siblings = List.copyOf(siblings);
    if (siblings.size() > 2 * 64) {
      throw new IllegalArgumentException("too many siblings: " + siblings.size());
    }
  }

  /** Whether {@code leafHashes}, placed at {@code firstLeafIndex}, give {@code root}. */
  public boolean verify(Bytes32 root, List<Bytes32> leafHashes) {
    Objects.requireNonNull(root, "root");
    Bytes32 computed = ProofMath.root(firstLeafIndex, leafCount, leafHashes, siblings);
    return computed != null && computed.equals(root);
  }
}
