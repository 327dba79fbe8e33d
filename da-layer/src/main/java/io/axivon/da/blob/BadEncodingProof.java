package io.axivon.da.blob;

import io.axivon.common.InvalidInputException;
import io.axivon.common.codec.Rlp;
import io.axivon.common.codec.RlpCodec;
import io.axivon.common.codec.RlpLimits;
import io.axivon.da.erasure.ErasureCoder;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.apache.tuweni.bytes.Bytes;
import org.apache.tuweni.bytes.Bytes32;

/**
 * Proof that a committed square is badly encoded (specs/da.md §6): line (axis, index) with its
 * committed root, and k of its cells proven under the dataRoot. It is valid iff the line RS(k,
 * k)-decoded from those cells has another root than the committed one, which never happens for a
 * square built by {@link SquareEncoder#encode}.
 */
public record BadEncodingProof(
    Axis axis, int index, int k, LineProof line, List<ShareProof> shares) {
  /** RLP: {@code [axis, index, k, lineProof, [shareProof, …]]}. */
  public static final RlpCodec<BadEncodingProof> CODEC =
      RlpCodec.struct(
          (w, p) ->
              w.writeUInt64(p.axis().code())
                  .writeUInt64(p.index())
                  .writeUInt64(p.k())
                  .write(LineProof.CODEC, p.line())
                  .writeListOf(p.shares(), ShareProof.CODEC),
          r ->
              new BadEncodingProof(
                  Axis.ofCode(r.readUInt64()),
                  r.readInt(),
                  r.readInt(),
                  r.read(LineProof.CODEC),
                  r.readListOf(ShareProof.CODEC)));

  /** 128 share proofs of under 3 KiB each fit. */
  static final RlpLimits LIMITS = new RlpLimits(1 << 20, 5);

  public BadEncodingProof {
    Objects.requireNonNull(axis, "axis");
    Objects.requireNonNull(line, "line");
    BlobSquare.checkWidth(k);
    if (index < 0 || index >= 2 * k) {
      throw new InvalidInputException(
          "line index " + index + " is outside 0.." + (2 * k - 1) + " for k = " + k);
    }
    if (line.axis() != axis || line.index() != index) {
      throw new InvalidInputException(
          "the line proof is for "
              + line.axis()
              + " "
              + line.index()
              + ", not "
              + axis
              + " "
              + index);
    }
    shares = List.copyOf(shares);
    if (shares.size() != k) {
      throw new InvalidInputException(
          "a bad-encoding proof for k = " + k + " needs " + k + " shares, got " + shares.size());
    }
  }

  public static BadEncodingProof decode(Bytes encoded) {
    return Rlp.decode(CODEC, encoded, LIMITS);
  }

  public Bytes encode() {
    return Rlp.encode(CODEC, this);
  }

  /**
   * Whether this proves that the square of width {@code expectedK} under {@code dataRoot} is badly
   * encoded. False for any proof that does not check out, as well as for a well-encoded line.
   */
  public boolean verify(Bytes32 dataRoot, int expectedK, ErasureCoder coder) {
    if (expectedK != k || !line.verify(dataRoot, k)) {
      return false;
    }
    int[] positions = new int[k];
    byte[][] cells = new byte[k][];
    boolean[] seen = new boolean[2 * k];
    for (int i = 0; i < k; i++) {
      ShareProof s = shares.get(i);
      int along = axis == Axis.ROW ? s.row() : s.col();
      int position = axis == Axis.ROW ? s.col() : s.row();
      if (along != index || position >= 2 * k || seen[position] || !s.verify(dataRoot, k)) {
        return false;
      }
      seen[position] = true;
      positions[i] = position;
      cells[i] = s.share().toArrayUnsafe();
    }
    byte[] decoded = Lines.decode(coder, k, positions, cells);
    return !Lines.root(decoded, k).equals(line.lineRoot());
  }

  /**
   * A proof for line (axis, index) of {@code square} from its first k cells, each proven through
   * the line itself; valid when that line is not a codeword.
   */
  public static BadEncodingProof build(ExtendedSquare square, Axis axis, int index) {
    int[] positions = new int[square.k()];
    for (int i = 0; i < positions.length; i++) {
      positions[i] = i;
    }
    return build(square, square.roots(), axis, index, positions, axis);
  }

  /**
   * A proof for line (axis, index) from the cells at {@code positions} (k distinct) of that line,
   * each proven through {@code via} in {@code cells}' trees, with line proofs under {@code
   * committed}. The caller makes sure the trees used are the committed ones.
   */
  static BadEncodingProof build(
      ExtendedSquare cells,
      RowColumnRoots committed,
      Axis axis,
      int index,
      int[] positions,
      Axis via) {
    List<ShareProof> proofs = new ArrayList<>(positions.length);
    for (int p : positions) {
      int row = axis == Axis.ROW ? index : p;
      int col = axis == Axis.ROW ? p : index;
      ShareProof own = cells.shareProof(row, col, via);
      LineProof lineProof = committed.lineProof(via, via == Axis.ROW ? row : col);
      proofs.add(new ShareProof(row, col, own.share(), own.siblings(), lineProof));
    }
    return new BadEncodingProof(
        axis, index, committed.k(), committed.lineProof(axis, index), proofs);
  }

  /**
   * The proof for the first row, else the first column, of {@code square} that is not a codeword;
   * empty when every line is one (the square is well encoded: its cells are shared by its rows and
   * columns, so they cannot disagree).
   */
  public static Optional<BadEncodingProof> find(ExtendedSquare square, ErasureCoder coder) {
    for (Axis axis : Axis.values()) {
      for (int i = 0; i < square.width(); i++) {
        if (!Lines.isCodeword(coder, square.line(axis, i).toArrayUnsafe(), square.k())) {
          return Optional.of(build(square, axis, i));
        }
      }
    }
    return Optional.empty();
  }
}
