package io.axivon.da.blob;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.axivon.common.InvalidInputException;
import io.axivon.da.erasure.ErasureBackends;
import io.axivon.da.erasure.ReedSolomon;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.apache.tuweni.bytes.Bytes;

class DaBlobProperties {
  private static final int S = BlobSquare.SHARE_SIZE;

  private static ReedSolomon coder() {
    return new ReedSolomon(ErasureBackends.best(), 1);
  }

  /** Blob sizes that give squares of width 1 to 8, with the edges of each width likely. */
  private static int blobSize(Random rnd) {
    int k = 1 << rnd.nextInt(4);
    int cap = BlobSquare.capacity(k);
    int lo = k == 1 ? 1 : BlobSquare.capacity(k / 2) + 1;
    return switch (rnd.nextInt(4)) {
      case 0 -> lo;
      case 1 -> cap;
      default -> lo + rnd.nextInt(cap - lo + 1);
    };
  }

  private static List<Integer> shuffled(int n, Random rnd) {
    List<Integer> all = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      all.add(i);
    }
    Collections.shuffle(all, rnd);
    return all;
  }

  @Property(tries = 60)
  void anyKRowsOrColumnsRecoverTheBlob(@ForAll long seed, @ForAll boolean byColumns) {
    Random rnd = new Random(seed);
    Bytes blob = BlobSquareTest.randomBlob(rnd, blobSize(rnd));
    try (ReedSolomon rs = coder();
        SquareEncoder enc = new SquareEncoder(rs, 1)) {
      ExtendedSquare sq = enc.encode(blob);
      Axis axis = byColumns ? Axis.COLUMN : Axis.ROW;
      int count = sq.k() + rnd.nextInt(sq.k() + 1);
      Map<Integer, Bytes> lines = new HashMap<>();
      for (int i : shuffled(sq.width(), rnd).subList(0, count)) {
        lines.put(i, sq.line(axis, i));
      }
      Recovery.Result result = Recovery.recover(sq.dataRoot(), sq.roots(), axis, lines, enc);
      assertThat(result).isInstanceOf(Recovery.Result.Recovered.class);
      assertThat(((Recovery.Result.Recovered) result).blob()).isEqualTo(blob);
    }
  }

  @Property(tries = 40)
  void shareProofsVerifyRoundTripAndFailOnAnyBitFlip(@ForAll long seed, @ForAll boolean viaColumn) {
    Random rnd = new Random(seed);
    try (ReedSolomon rs = coder();
        SquareEncoder enc = new SquareEncoder(rs, 1)) {
      ExtendedSquare sq = enc.encode(BlobSquareTest.randomBlob(rnd, blobSize(rnd)));
      int row = rnd.nextInt(sq.width());
      int col = rnd.nextInt(sq.width());
      ShareProof proof = sq.shareProof(row, col, viaColumn ? Axis.COLUMN : Axis.ROW);
      assertThat(proof.verify(sq.dataRoot(), sq.k())).isTrue();
      Bytes encoded = proof.encode();
      assertThat(ShareProof.decode(encoded)).isEqualTo(proof);
      if (sq.k() > 1) {
        assertThat(proof.verify(sq.dataRoot(), sq.k() / 2)).isFalse();
      }
      assertThat(proof.verify(sq.dataRoot(), sq.k() * 2)).isFalse();
      byte[] flipped = encoded.toArray();
      int bit = rnd.nextInt(flipped.length * 8);
      flipped[bit / 8] ^= (byte) (1 << (bit % 8));
      ShareProof tampered;
      try {
        tampered = ShareProof.decode(Bytes.wrap(flipped));
      } catch (InvalidInputException e) {
        return; // refused at decoding: fine
      }
      assertThat(tampered.verify(sq.dataRoot(), sq.k())).as("bit %d", bit).isFalse();
    }
  }

  @Property(tries = 40)
  void aCorruptedExtensionYieldsAFraudProofThatVerifies(@ForAll long seed) {
    Random rnd = new Random(seed);
    try (ReedSolomon rs = coder();
        SquareEncoder enc = new SquareEncoder(rs, 1)) {
      ExtendedSquare honest = enc.encode(BlobSquareTest.randomBlob(rnd, blobSize(rnd)));
      int k = honest.k();
      int n = 2 * k;
      byte[][] rows = new byte[n][];
      for (int r = 0; r < n; r++) {
        rows[r] = honest.line(Axis.ROW, r).toArray();
      }
      // a disperser that changes one byte of one cell and commits to the result
      int row = rnd.nextInt(n);
      int col = rnd.nextInt(n);
      rows[row][col * S + rnd.nextInt(S)] ^= (byte) (1 + rnd.nextInt(255));
      ExtendedSquare bad = enc.commit(k, rows);

      BadEncodingProof proof = BadEncodingProof.find(bad, rs).orElseThrow();
      assertThat(proof.verify(bad.dataRoot(), k, rs)).isTrue();
      assertThat(proof.verify(honest.dataRoot(), k, rs)).isFalse();
      BadEncodingProof decoded = BadEncodingProof.decode(proof.encode());
      assertThat(decoded).isEqualTo(proof);
      assertThat(decoded.verify(bad.dataRoot(), k, rs)).isTrue();

      // the row through the bad cell, proven with k cells through the columns, also convicts
      int[] positions = shuffled(n, rnd).subList(0, k).stream().mapToInt(i -> i).toArray();
      BadEncodingProof viaColumns =
          BadEncodingProof.build(bad, bad.roots(), Axis.ROW, row, positions, Axis.COLUMN);
      assertThat(viaColumns.verify(bad.dataRoot(), k, rs)).isTrue();

      // recovery from any k rows notices and proves it
      Map<Integer, Bytes> lines = new HashMap<>();
      Axis axis = rnd.nextBoolean() ? Axis.ROW : Axis.COLUMN;
      for (int i : shuffled(n, rnd).subList(0, k)) {
        lines.put(i, bad.line(axis, i));
      }
      Recovery.Result result = Recovery.recover(bad.dataRoot(), bad.roots(), axis, lines, enc);
      assertThat(result).isInstanceOf(Recovery.Result.BadlyEncoded.class);
      assertThat(((Recovery.Result.BadlyEncoded) result).proof().verify(bad.dataRoot(), k, rs))
          .isTrue();
    }
  }

  @Property(tries = 40)
  void aCorrectExtensionNeverYieldsAValidFraudProof(@ForAll long seed) {
    Random rnd = new Random(seed);
    try (ReedSolomon rs = coder();
        SquareEncoder enc = new SquareEncoder(rs, 1)) {
      ExtendedSquare sq = enc.encode(BlobSquareTest.randomBlob(rnd, blobSize(rnd)));
      int k = sq.k();
      assertThat(BadEncodingProof.find(sq, rs)).isEmpty();
      Axis axis = rnd.nextBoolean() ? Axis.ROW : Axis.COLUMN;
      int index = rnd.nextInt(2 * k);
      int[] positions = shuffled(2 * k, rnd).subList(0, k).stream().mapToInt(i -> i).toArray();
      Axis via = rnd.nextBoolean() ? Axis.ROW : Axis.COLUMN;
      BadEncodingProof proof = BadEncodingProof.build(sq, sq.roots(), axis, index, positions, via);
      assertThat(proof.verify(sq.dataRoot(), k, rs)).isFalse();
      assertThat(BadEncodingProof.decode(proof.encode())).isEqualTo(proof);
    }
  }

  @Property(tries = 40)
  void nodeChecksPassHonestLinesAndConvictEveryKindOfBadEncoding(@ForAll long seed) {
    Random rnd = new Random(seed);
    try (ReedSolomon rs = coder();
        SquareEncoder enc = new SquareEncoder(rs, 1)) {
      int size = blobSize(rnd);
      ExtendedSquare a = enc.encode(BlobSquareTest.randomBlob(rnd, size));
      int k = a.k();
      int n = 2 * k;
      int i = rnd.nextInt(n);
      int j = rnd.nextInt(n);
      Map<Integer, Bytes> rows = Map.of(i, a.line(Axis.ROW, i));
      Map<Integer, Bytes> cols = Map.of(j, a.line(Axis.COLUMN, j));
      assertThat(NodeCheck.check(a.dataRoot(), a.roots(), rows, cols, rs))
          .isInstanceOf(NodeCheck.Result.Valid.class);

      // a line that is not what its root commits to is refused, not stored
      byte[] lie = a.line(Axis.ROW, i).toArray();
      lie[rnd.nextInt(lie.length)] ^= 1;
      assertThatThrownBy(
              () -> NodeCheck.check(a.dataRoot(), a.roots(), Map.of(i, Bytes.wrap(lie)), cols, rs))
          .isInstanceOf(InvalidInputException.class)
          .hasMessage("row " + i + " does not match its committed root");

      // a committed cell change: the node holding that row proves it
      byte[][] cells = new byte[n][];
      for (int r = 0; r < n; r++) {
        cells[r] = a.line(Axis.ROW, r).toArray();
      }
      cells[i][rnd.nextInt(n * S)] ^= (byte) (1 + rnd.nextInt(255));
      ExtendedSquare bad = enc.commit(k, cells);
      NodeCheck.Result r1 =
          NodeCheck.check(
              bad.dataRoot(), bad.roots(), Map.of(i, bad.line(Axis.ROW, i)), Map.of(), rs);
      assertThat(r1).isInstanceOf(NodeCheck.Result.BadlyEncoded.class);
      assertThat(((NodeCheck.Result.BadlyEncoded) r1).proof().verify(bad.dataRoot(), k, rs))
          .isTrue();

      // rows of one square and columns of another, every line a codeword: the crossing cell
      // convicts
      ExtendedSquare b = enc.encode(BlobSquareTest.randomBlob(rnd, size));
      RowColumnRoots mixed = new RowColumnRoots(k, a.roots().rowRoots(), b.roots().columnRoots());
      if (!a.share(i, j).equals(b.share(i, j))) {
        NodeCheck.Result r2 =
            NodeCheck.check(
                mixed.dataRoot(),
                mixed,
                Map.of(i, a.line(Axis.ROW, i)),
                Map.of(j, b.line(Axis.COLUMN, j)),
                rs);
        assertThat(r2).isInstanceOf(NodeCheck.Result.BadlyEncoded.class);
        BadEncodingProof proof = ((NodeCheck.Result.BadlyEncoded) r2).proof();
        assertThat(proof.verify(mixed.dataRoot(), k, rs)).isTrue();
        assertThat(BadEncodingProof.decode(proof.encode()).verify(mixed.dataRoot(), k, rs))
            .isTrue();
      }
    }
  }

  @Property(tries = 30)
  void checkOfStoredLinesGivesTheVerdictOfTheFullCheck(@ForAll long seed) {
    Random rnd = new Random(seed);
    try (ReedSolomon rs = coder();
        SquareEncoder enc = new SquareEncoder(rs, 1)) {
      ExtendedSquare a = enc.encode(BlobSquareTest.randomBlob(rnd, blobSize(rnd)));
      int k = a.k();
      int n = 2 * k;
      byte[][] cells = new byte[n][];
      for (int r = 0; r < n; r++) {
        cells[r] = a.line(Axis.ROW, r).toArray();
      }
      if (rnd.nextBoolean()) { // half the squares badly encoded, committed as they are
        cells[rnd.nextInt(n)][rnd.nextInt(n * S)] ^= (byte) (1 + rnd.nextInt(255));
      }
      ExtendedSquare sq = enc.commit(k, cells);
      Map<Integer, Bytes> rows = new HashMap<>();
      Map<Integer, Bytes> cols = new HashMap<>();
      int first = rnd.nextInt(n);
      for (int i = first; i < Math.min(n, first + 1 + rnd.nextInt(n)); i++) {
        rows.put(i, sq.line(Axis.ROW, i));
        cols.put(i, sq.line(Axis.COLUMN, i));
      }
      NodeCheck.Result full = NodeCheck.check(sq.dataRoot(), sq.roots(), rows, cols, rs);
      NodeCheck.Result stored =
          NodeCheck.checkStored(sq.dataRoot(), sq.roots(), rows, cols, rs, rnd);
      assertThat(stored).isEqualTo(full);
      if (stored instanceof NodeCheck.Result.BadlyEncoded bad) {
        assertThat(bad.proof().verify(sq.dataRoot(), k, rs)).isTrue();
      }
      // sizes are still checked without hashing
      assertThatThrownBy(
              () ->
                  NodeCheck.checkStored(
                      sq.dataRoot(), sq.roots(), Map.of(first, Bytes.of(1, 2)), Map.of(), rs, rnd))
          .isInstanceOf(InvalidInputException.class);
    }
  }

  @Property(tries = 200)
  void decodersRefuseGarbageWithInvalidInputOrReencodeExactly(
      @ForAll long seed, @ForAll @IntRange(min = 0, max = 3) int which) {
    Random rnd = new Random(seed);
    byte[] junk = new byte[rnd.nextInt(80)];
    rnd.nextBytes(junk);
    if (junk.length > 0 && rnd.nextBoolean()) {
      junk[0] = (byte) (0xc0 + rnd.nextInt(64)); // a list header, to get past the first byte
    }
    Bytes in = Bytes.wrap(junk);
    try {
      Bytes again =
          switch (which) {
            case 0 -> ShareProof.decode(in).encode();
            case 1 -> BadEncodingProof.decode(in).encode();
            case 2 -> RowColumnRoots.decode(in).encode();
            default ->
                io.axivon.common.codec.Rlp.encode(
                    LineProof.CODEC, io.axivon.common.codec.Rlp.decode(LineProof.CODEC, in));
          };
      assertThat(again).isEqualTo(in);
    } catch (InvalidInputException expected) {
      assertThat(expected.getMessage()).isNotBlank();
    }
  }

  /**
   * The random parity check agrees with re-encoding: codewords always pass, and a line with any
   * byte changed fails (a false pass has probability 2^-64, never seen).
   */
  @Property(tries = 60)
  void randomParityChecksAgreeWithReencoding(
      @ForAll @IntRange(min = 1, max = 40) int k,
      @ForAll @IntRange(min = 1, max = 6) int count,
      @ForAll long seed) {
    Random rnd = new Random(seed);
    try (ReedSolomon rs = coder()) {
      List<byte[]> lines = new ArrayList<>();
      for (int i = 0; i < count; i++) {
        byte[] line = new byte[2 * k * S];
        byte[] data = new byte[k * S];
        rnd.nextBytes(data);
        System.arraycopy(data, 0, line, 0, k * S);
        java.lang.foreign.MemorySegment whole = java.lang.foreign.MemorySegment.ofArray(line);
        java.lang.foreign.MemorySegment[] d = new java.lang.foreign.MemorySegment[k];
        java.lang.foreign.MemorySegment[] p = new java.lang.foreign.MemorySegment[k];
        for (int c = 0; c < k; c++) {
          d[c] = whole.asSlice((long) c * S, S);
          p[c] = whole.asSlice((long) (k + c) * S, S);
        }
        rs.encode(k, k, d, p, S);
        lines.add(line);
      }
      assertThat(Lines.areCodewords(rs, lines, k, rnd)).isTrue();
      byte[] bad = lines.get(rnd.nextInt(count));
      bad[rnd.nextInt(bad.length)] ^= (byte) (1 + rnd.nextInt(255));
      assertThat(Lines.isCodeword(rs, bad, k)).isFalse();
      assertThat(Lines.areCodewords(rs, lines, k, rnd)).isFalse();
    }
  }
}
