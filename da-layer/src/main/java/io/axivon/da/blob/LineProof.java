package io.axivon.da.blob;

import io.axivon.common.InvalidInputException;
import io.axivon.common.codec.Rlp;
import io.axivon.common.codec.RlpCodec;
import io.axivon.common.merkle.InclusionProof;
import java.util.List;
import java.util.Objects;
import org.apache.tuweni.bytes.Bytes32;

/**
 * That {@code lineRoot} is the root of row or column {@code index} under a dataRoot: its {@code
 * log2(4k)} siblings in the dataRoot tree (specs/da.md §5).
 */
public record LineProof(Axis axis, int index, Bytes32 lineRoot, List<Bytes32> siblings) {
  /** At most 2k = 256 lines per axis. */
  static final int MAX_INDEX = 2 * BlobSquare.MAX_K - 1;

  /** log2(4 · 128). */
  static final int MAX_SIBLINGS = 9;

  /** RLP: {@code [axis, index, lineRoot, [sibling, …]]}. */
  public static final RlpCodec<LineProof> CODEC =
      RlpCodec.struct(
          (w, p) ->
              w.writeUInt64(p.axis().code())
                  .writeUInt64(p.index())
                  .writeBytes(p.lineRoot())
                  .writeListOf(p.siblings(), Rlp.BYTES32),
          r ->
              new LineProof(
                  Axis.ofCode(r.readUInt64()),
                  r.readInt(),
                  r.readBytes32(),
                  r.readListOf(Rlp.BYTES32)));

  public LineProof {
    Objects.requireNonNull(axis, "axis");
    Objects.requireNonNull(lineRoot, "lineRoot");
    if (index < 0 || index > MAX_INDEX) {
      throw new InvalidInputException("line index " + index + " is outside 0.." + MAX_INDEX);
    }
    siblings = List.copyOf(siblings);
    if (siblings.size() > MAX_SIBLINGS) {
      throw new InvalidInputException(
          "line proof has " + siblings.size() + " siblings, at most " + MAX_SIBLINGS);
    }
  }

  /** Whether this proves the line's root under {@code dataRoot} for a square of width k. */
  public boolean verify(Bytes32 dataRoot, int k) {
    BlobSquare.checkWidth(k);
    if (index >= 2 * k || siblings.size() != PerfectTree.log2(4 * k)) {
      return false;
    }
    int leaf = axis == Axis.ROW ? index : 2 * k + index;
    return new InclusionProof(leaf, 4L * k, siblings).verify(dataRoot, lineRoot);
  }
}
