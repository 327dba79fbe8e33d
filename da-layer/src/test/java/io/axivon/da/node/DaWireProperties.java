package io.axivon.da.node;

import static org.assertj.core.api.Assertions.assertThat;

import io.axivon.common.InvalidInputException;
import io.axivon.common.crypto.bls.BlsSecretKey;
import io.axivon.da.blob.Axis;
import io.axivon.da.blob.ExtendedSquare;
import io.axivon.da.blob.Lines;
import io.axivon.da.blob.SquareEncoder;
import io.axivon.da.cert.DaCertificate;
import java.util.List;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import net.jqwik.api.lifecycle.AfterContainer;
import org.apache.tuweni.bytes.Bytes;
import org.apache.tuweni.bytes.Bytes32;

class DaWireProperties {
  private static final SquareEncoder ENCODER = SquareEncoder.create(1);

  @AfterContainer
  static void close() {
    ENCODER.close();
  }

  private static ExtendedSquare square(int size, long seed) {
    byte[] b = new byte[size];
    new Random(seed).nextBytes(b);
    return ENCODER.encode(Bytes.wrap(b));
  }

  @Property(tries = 30)
  void requestsAndRepliesRoundTrip(
      @ForAll @IntRange(min = 1, max = 40_000) int size,
      @ForAll long seed,
      @ForAll @IntRange(min = 0, max = 1_000_000) long epoch,
      @ForAll @IntRange(min = 0, max = 7) int line) {
    ExtendedSquare sq = square(size, seed);
    int k = sq.k();
    int i = line % (2 * k);
    List<DaWire.Request> requests =
        List.of(
            new DaWire.Store(
                epoch,
                3,
                sq.roots(),
                List.of(new DaWire.LinePair(i, sq.line(Axis.ROW, i), sq.line(Axis.COLUMN, i)))),
            new DaWire.Sign(sq.dataRoot(), epoch, 3),
            new DaWire.GetLine(sq.dataRoot(), Axis.COLUMN, i),
            new DaWire.GetShare(sq.dataRoot(), i, (i + 1) % (2 * k)));
    for (DaWire.Request r : requests) {
      assertThat(DaWire.decodeRequest(DaWire.encode(r))).isEqualTo(r);
    }
    BlsSecretKey key = BlsSecretKey.keyGen(Bytes32.leftPad(Bytes.of(5)));
    List<DaWire.Reply> replies =
        List.of(
            new DaWire.Stored(),
            new DaWire.Signed(DaCertificate.sign(key, sq.dataRoot(), epoch, 3)),
            new DaWire.LineReply(sq.roots(), sq.line(Axis.ROW, i)),
            new DaWire.ShareReply(sq.shareProof(i, 0, Axis.ROW)));
    for (DaWire.Reply r : replies) {
      assertThat(DaWire.decodeReply(DaWire.encode(r))).isEqualTo(r);
    }
  }

  @Property(tries = 30)
  void storeBuiltFromTheSquareEqualsTheGeneralEncoding(
      @ForAll @IntRange(min = 1, max = 300_000) int size,
      @ForAll long seed,
      @ForAll @IntRange(min = 0, max = 1_000_000) long epoch,
      @ForAll @IntRange(min = 0, max = 63) int a,
      @ForAll @IntRange(min = 1, max = 64) int b) {
    ExtendedSquare sq = square(size, seed);
    int n = 2 * sq.k();
    int first = a % n;
    int count = 1 + (b - 1) % (n - first);
    List<DaWire.LinePair> pairs = new java.util.ArrayList<>();
    for (int i = first; i < first + count; i++) {
      pairs.add(new DaWire.LinePair(i, sq.line(Axis.ROW, i), sq.line(Axis.COLUMN, i)));
    }
    DaWire.Store store = new DaWire.Store(epoch, 3, sq.roots(), pairs);
    Bytes fast = DaWire.encodeStore(epoch, 3, sq.roots(), first, count, sq::copyLine);
    assertThat(fast).isEqualTo(DaWire.encode(store));
    assertThat(DaWire.decodeRequest(fast)).isEqualTo(store);
  }

  @Property(tries = 20)
  void shareProofFromALineEqualsTheSquaresProof(
      @ForAll @IntRange(min = 1, max = 40_000) int size,
      @ForAll long seed,
      @ForAll @IntRange(min = 0, max = 7) int a,
      @ForAll @IntRange(min = 0, max = 7) int b,
      @ForAll boolean viaRow) {
    ExtendedSquare sq = square(size, seed);
    int n = 2 * sq.k();
    int row = a % n;
    int col = b % n;
    Axis via = viaRow ? Axis.ROW : Axis.COLUMN;
    int index = viaRow ? row : col;
    var proof = Lines.shareProof(sq.roots(), via, index, sq.line(via, index), viaRow ? col : row);
    assertThat(proof).isEqualTo(sq.shareProof(row, col, via));
    assertThat(proof.verify(sq.dataRoot(), sq.k())).isTrue();
  }

  @Property
  void garbageIsRefusedWithInvalidInput(@ForAll @Size(max = 300) byte[] raw) {
    for (boolean request : new boolean[] {true, false}) {
      try {
        if (request) {
          DaWire.Request r = DaWire.decodeRequest(Bytes.wrap(raw));
          assertThat(DaWire.encode(r)).isEqualTo(Bytes.wrap(raw));
        } else {
          DaWire.Reply r = DaWire.decodeReply(Bytes.wrap(raw));
          assertThat(DaWire.encode(r)).isEqualTo(Bytes.wrap(raw));
        }
      } catch (InvalidInputException e) {
        assertThat(e.getMessage()).isNotBlank();
      }
    }
  }
}
