package io.axivon.da.blob;

import io.axivon.common.InvalidInputException;
import io.axivon.common.codec.Rlp;
import io.axivon.common.codec.RlpCodec;
import io.axivon.common.codec.RlpLimits;
import io.axivon.common.crypto.Hashes;
import io.axivon.common.merkle.InclusionProof;
import java.util.List;
import java.util.Objects;
import org.apache.tuweni.bytes.Bytes;
import org.apache.tuweni.bytes.Bytes32;

/**
 * One share of cell (row, col) with its path to the root of its row or column ({@code line.axis()})
 * and that root's path to the dataRoot (specs/da.md §5).
 */
public record ShareProof(int row, int col, Bytes share, List<Bytes32> siblings, LineProof line) {
  /** log2(2 · 128). */
  static final int MAX_SIBLINGS = 8;

  /** RLP: {@code [row, col, share, [sibling, …], lineProof]}. */
  public static final RlpCodec<ShareProof> CODEC =
      RlpCodec.struct(
          (w, p) ->
              w.writeUInt64(p.row())
                  .writeUInt64(p.col())
                  .writeBytes(p.share())
                  .writeListOf(p.siblings(), Rlp.BYTES32)
                  .write(LineProof.CODEC, p.line()),
          r ->
              new ShareProof(
                  r.readInt(),
                  r.readInt(),
                  r.readFixedBytes(BlobSquare.SHARE_SIZE),
                  r.readListOf(Rlp.BYTES32),
                  r.read(LineProof.CODEC)));

  /** Room for one encoded share proof. */
  static final RlpLimits LIMITS = new RlpLimits(4096, 3);

  public ShareProof {
    Objects.requireNonNull(share, "share");
    Objects.requireNonNull(line, "line");
    if (row < 0 || row > LineProof.MAX_INDEX || col < 0 || col > LineProof.MAX_INDEX) {
      throw new InvalidInputException(
          "cell (" + row + ", " + col + ") is outside 0.." + LineProof.MAX_INDEX);
    }
    if (share.size() != BlobSquare.SHARE_SIZE) {
      throw new InvalidInputException(
          "share must be " + BlobSquare.SHARE_SIZE + " bytes, got " + share.size());
    }
    siblings = List.copyOf(siblings);
    if (siblings.size() > MAX_SIBLINGS) {
      throw new InvalidInputException(
          "share proof has " + siblings.size() + " siblings, at most " + MAX_SIBLINGS);
    }
    int expected = line.axis() == Axis.ROW ? row : col;
    if (line.index() != expected) {
      throw new InvalidInputException(
          "share ("
              + row
              + ", "
              + col
              + ") is proven through "
              + line.axis().name().toLowerCase(java.util.Locale.ROOT)
              + " "
              + line.index()
              + ", which does not hold it");
    }
  }

  public static ShareProof decode(Bytes encoded) {
    return Rlp.decode(CODEC, encoded, LIMITS);
  }

  public Bytes encode() {
    return Rlp.encode(CODEC, this);
  }

  /** The share's position in its line: the column in a row, the row in a column. */
  public int positionInLine() {
    return line.axis() == Axis.ROW ? col : row;
  }

  /** Whether the share is at (row, col) of the square of width k committed to by dataRoot. */
  public boolean verify(Bytes32 dataRoot, int k) {
    BlobSquare.checkWidth(k);
    if (row >= 2 * k || col >= 2 * k || siblings.size() != PerfectTree.log2(2 * k)) {
      return false;
    }
    if (!line.verify(dataRoot, k)) {
      return false;
    }
    Bytes32 leaf = Hashes.keccak256(share);
    return new InclusionProof(positionInLine(), 2L * k, siblings).verify(line.lineRoot(), leaf);
  }
}
