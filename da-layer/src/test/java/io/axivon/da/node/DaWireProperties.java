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

  /** decodeStore and the general codec: both refuse, or both give the same store. */
  private static void sameOutcome(Bytes tagged) {
    DaWire.Store general;
    try {
      general = DaWire.decodeStoreGeneral(tagged);
    } catch (InvalidInputException e) {
      org.assertj.core.api.Assertions.assertThatThrownBy(() -> DaWire.decodeStore(tagged))
          .isInstanceOf(InvalidInputException.class);
      return;
    }
    DaWire.Store fast = DaWire.decodeStore(tagged);
    assertThat(fast).isEqualTo(general);
    assertThat(DaWire.encode(fast)).isEqualTo(tagged);
  }

  @Property(tries = 40)
  void storeDecodedWithOneCopyEqualsTheGeneralDecoding(
      @ForAll @IntRange(min = 1, max = 100_000) int size,
      @ForAll long seed,
      @ForAll long epoch,
      @ForAll @IntRange(min = 0, max = 63) int a,
      @ForAll @IntRange(min = 1, max = 5) int b,
      @ForAll @IntRange(min = 0, max = 1 << 20) int mutations) {
    ExtendedSquare sq = square(size, seed);
    int n = 2 * sq.k();
    int first = a % n;
    int count = 1 + (b - 1) % (n - first);
    Bytes store = DaWire.encodeStore(epoch, seed & 0xffff, sq.roots(), first, count, sq::copyLine);
    DaWire.Store fast = DaWire.decodeStore(store);
    assertThat(fast).isEqualTo(DaWire.decodeStoreGeneral(store));
    assertThat(fast.pairs()).hasSize(count);
    // lines are copies: changing the request afterwards changes nothing decoded
    byte[] raw = store.toArray();
    DaWire.Store fromRaw = DaWire.decodeStore(Bytes.wrap(raw));
    java.util.Arrays.fill(raw, (byte) 0x55);
    assertThat(fromRaw).isEqualTo(fast);
    // mutations where the headers are: the start, and around every line header
    byte[] lineHeader = Bytes.fromHexString("b9").toArray();
    List<Integer> spots = new java.util.ArrayList<>();
    byte[] orig = store.toArray();
    for (int i = 0; i < Math.min(orig.length, 200); i++) {
      spots.add(i);
    }
    for (int i = 0; i < orig.length; i++) {
      if (orig[i] == lineHeader[0] || (orig[i] & 0xff) == 0xf9 || (orig[i] & 0xff) == 0xfa) {
        for (int d = -6; d <= 6; d++) {
          if (i + d >= 0 && i + d < orig.length && spots.size() < 5000) {
            spots.add(i + d);
          }
        }
      }
    }
    Random random = new Random(seed ^ mutations);
    for (int t = 0; t < 12; t++) {
      int at = spots.get(random.nextInt(spots.size()));
      byte[] m = orig.clone();
      switch (random.nextInt(5)) {
        case 0 -> m[at] = (byte) random.nextInt(256);
        case 1 -> m[at] = (byte) (m[at] + (random.nextBoolean() ? 1 : -1));
        case 2 -> m = java.util.Arrays.copyOf(m, Math.max(1, at));
        case 3 -> {
          byte[] longer = new byte[m.length + 1];
          System.arraycopy(m, 0, longer, 0, at);
          longer[at] = (byte) random.nextInt(256);
          System.arraycopy(m, at, longer, at + 1, m.length - at);
          m = longer;
        }
        default -> {
          byte[] shorter = new byte[m.length - 1];
          System.arraycopy(m, 0, shorter, 0, at);
          System.arraycopy(m, at + 1, shorter, at, m.length - at - 1);
          m = shorter;
        }
      }
      m[0] = 1; // keep the store tag
      sameOutcome(Bytes.wrap(m));
    }
  }

  @Property
  void storeGarbageGetsTheSameOutcomeBothWays(@ForAll @Size(max = 300) byte[] raw) {
    byte[] tagged = new byte[raw.length + 1];
    tagged[0] = 1;
    System.arraycopy(raw, 0, tagged, 1, raw.length);
    sameOutcome(Bytes.wrap(tagged));
  }

  @Property(tries = 300)
  void smallHandBuiltStoresGetTheSameOutcomeBothWays(
      @ForAll @IntRange(min = 0, max = 5) int shape, @ForAll long seed) {
    // small stores (k = 1 lines of 4 KiB; short or oddly framed items) with one field altered
    Random random = new Random(seed);
    ExtendedSquare sq = square(1 + random.nextInt(100), seed);
    Bytes good =
        DaWire.encodeStore(random.nextLong(), random.nextInt(300), sq.roots(), 0, 2, sq::copyLine);
    byte[] m = good.toArray();
    int at = 1 + random.nextInt(Math.min(m.length - 1, 40 + shape * 2000));
    m[at] = (byte) random.nextInt(256);
    sameOutcome(Bytes.wrap(m));
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
