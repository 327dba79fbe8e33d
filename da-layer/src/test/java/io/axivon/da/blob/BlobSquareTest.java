package io.axivon.da.blob;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.axivon.common.InvalidInputException;
import io.axivon.common.crypto.Hashes;
import io.axivon.common.merkle.MerkleTree;
import io.axivon.da.erasure.ErasureBackends;
import io.axivon.da.erasure.ReedSolomon;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.apache.tuweni.bytes.Bytes;
import org.apache.tuweni.bytes.Bytes32;
import org.junit.jupiter.api.Test;

class BlobSquareTest {
  private static final int S = BlobSquare.SHARE_SIZE;

  static Bytes randomBlob(Random rnd, int size) {
    byte[] b = new byte[size];
    rnd.nextBytes(b);
    return Bytes.wrap(b);
  }

  @Test
  void widthIsTheSmallestPowerOfTwoThatHoldsHeaderAndBlob() {
    assertThat(BlobSquare.widthFor(1)).isEqualTo(1);
    assertThat(BlobSquare.widthFor(2044)).isEqualTo(1);
    assertThat(BlobSquare.widthFor(2045)).isEqualTo(2);
    assertThat(BlobSquare.widthFor(4 * S - 4)).isEqualTo(2);
    assertThat(BlobSquare.widthFor(4 * S - 3)).isEqualTo(4);
    assertThat(BlobSquare.widthFor(BlobSquare.MAX_BLOB_SIZE)).isEqualTo(128);
    assertThat(BlobSquare.MAX_BLOB_SIZE).isEqualTo((32 << 20) - 4);
    assertThat(BlobSquare.capacity(2)).isEqualTo(8188);
  }

  @Test
  void emptyAndOversizeBlobsAndBadWidthsAreRefused() {
    assertThatThrownBy(() -> BlobSquare.widthFor(0))
        .isInstanceOf(InvalidInputException.class)
        .hasMessage("blob is empty");
    assertThatThrownBy(() -> BlobSquare.widthFor(BlobSquare.MAX_BLOB_SIZE + 1L))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("exceeds the maximum of 33554428 bytes");
    assertThatThrownBy(() -> BlobSquare.checkWidth(3)).isInstanceOf(InvalidInputException.class);
    assertThatThrownBy(() -> BlobSquare.checkWidth(256)).isInstanceOf(InvalidInputException.class);
  }

  @Test
  void layoutPutsTheHeaderThenTheBlobRowMajorAndReadsBack() {
    Bytes blob = randomBlob(new Random(1), 3 * S);
    int k = BlobSquare.widthFor(blob.size());
    assertThat(k).isEqualTo(2);
    byte[][] rows = new byte[2 * k][2 * k * S];
    for (int r = 0; r < k; r++) {
      BlobSquare.layOutRow(blob.toArrayUnsafe(), rows[r], r, k);
    }
    assertThat(Bytes.wrap(rows[0], 0, 4)).isEqualTo(Bytes.fromHexString("0x00001800"));
    // share 1 (row 0, column 1) holds payload bytes 2048..4095: blob bytes 2044..4091
    assertThat(Bytes.wrap(rows[0], S, S)).isEqualTo(blob.slice(S - 4, S));
    // share 2 starts row 1
    assertThat(Bytes.wrap(rows[1], 0, S)).isEqualTo(blob.slice(2 * S - 4, S));
    assertThat(Bytes.wrap(rows[1], S + 4, S - 4)).isEqualTo(Bytes.wrap(new byte[S - 4]));
    assertThat(BlobSquare.read(rows, k)).isEqualTo(blob);
  }

  @Test
  void readRefusesHeadersThatDoNotFitOrBelongInAnotherWidth() {
    byte[][] rows = new byte[4][4 * S];
    assertThatThrownBy(() -> BlobSquare.read(rows, 2))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("header says 0 bytes");
    rows[0][3] = 10; // 10 bytes belong in k = 1
    assertThatThrownBy(() -> BlobSquare.read(rows, 2))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("width 1, not 2");
    rows[0][2] = 0x7f; // far more than 4 shares
    assertThatThrownBy(() -> BlobSquare.read(rows, 2))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("cannot hold");
  }

  @Test
  void extensionIsTheTensorCodeAndRootsFollowTheCommonTreeRule() {
    Random rnd = new Random(7);
    Bytes blob = randomBlob(rnd, 5 * S);
    try (ReedSolomon rs = new ReedSolomon(ErasureBackends.best(), 1);
        SquareEncoder enc = new SquareEncoder(rs, 2)) {
      ExtendedSquare sq = enc.encode(blob);
      int k = sq.k();
      int n = 2 * k;
      assertThat(k).isEqualTo(4);
      // reference: columns first, each line coded alone with byte[][] shards
      byte[][][] cells = new byte[n][n][];
      for (int r = 0; r < k; r++) {
        for (int c = 0; c < k; c++) {
          cells[r][c] = sq.share(r, c).toArray();
        }
      }
      for (int c = 0; c < k; c++) {
        byte[][] data = new byte[k][];
        byte[][] parity = new byte[k][S];
        for (int r = 0; r < k; r++) {
          data[r] = cells[r][c];
        }
        rs.encode(k, k, data, parity, S);
        for (int r = 0; r < k; r++) {
          cells[k + r][c] = parity[r];
        }
      }
      for (int r = 0; r < n; r++) {
        byte[][] data = new byte[k][];
        byte[][] parity = new byte[k][S];
        System.arraycopy(cells[r], 0, data, 0, k);
        rs.encode(k, k, data, parity, S);
        System.arraycopy(parity, 0, cells[r], k, k);
      }
      List<Bytes32> lineRoots = new ArrayList<>();
      for (int r = 0; r < n; r++) {
        List<Bytes32> leaves = new ArrayList<>();
        for (int c = 0; c < n; c++) {
          assertThat(sq.share(r, c).toArrayUnsafe()).as("cell %d %d", r, c).isEqualTo(cells[r][c]);
          leaves.add(Hashes.keccak256(Bytes.wrap(cells[r][c])));
        }
        lineRoots.add(MerkleTree.ofLeafHashes(leaves).root());
      }
      for (int c = 0; c < n; c++) {
        List<Bytes32> leaves = new ArrayList<>();
        for (int r = 0; r < n; r++) {
          leaves.add(Hashes.keccak256(Bytes.wrap(cells[r][c])));
        }
        lineRoots.add(MerkleTree.ofLeafHashes(leaves).root());
      }
      assertThat(sq.roots().rowRoots()).isEqualTo(lineRoots.subList(0, n));
      assertThat(sq.roots().columnRoots()).isEqualTo(lineRoots.subList(n, 2 * n));
      assertThat(sq.dataRoot()).isEqualTo(MerkleTree.ofLeafHashes(lineRoots).root());
      assertThat(sq.blob()).isEqualTo(blob);
      assertThat(BadEncodingProof.find(sq, rs)).isEmpty();
    }
  }

  @Test
  void oneThreadAndSeveralGiveTheSameSquare() {
    Bytes blob = randomBlob(new Random(3), 40_000);
    try (ReedSolomon rs = new ReedSolomon(ErasureBackends.best(), 1);
        SquareEncoder one = new SquareEncoder(rs, 1);
        SquareEncoder three = new SquareEncoder(rs, 3)) {
      assertThat(three.encode(blob).roots()).isEqualTo(one.encode(blob).roots());
    }
  }

  @Test
  void rootsCodecRoundTripsAndIsStrict() {
    try (ReedSolomon rs = new ReedSolomon(ErasureBackends.best(), 1);
        SquareEncoder enc = new SquareEncoder(rs, 1)) {
      RowColumnRoots roots = enc.encode(randomBlob(new Random(5), 100)).roots();
      assertThat(RowColumnRoots.decode(roots.encode())).isEqualTo(roots);
      Bytes bad = Bytes.concatenate(roots.encode(), Bytes.of(0));
      assertThatThrownBy(() -> RowColumnRoots.decode(bad))
          .isInstanceOf(InvalidInputException.class);
    }
  }

  @Test
  void specVectors() {
    try (ReedSolomon rs = new ReedSolomon(ErasureBackends.best(), 1);
        SquareEncoder enc = new SquareEncoder(rs, 1)) {
      ExtendedSquare one =
          enc.encode(Bytes.wrap("axivon".getBytes(java.nio.charset.StandardCharsets.US_ASCII)));
      assertThat(one.k()).isEqualTo(1);
      assertThat(one.share(0, 0).slice(0, 10))
          .isEqualTo(Bytes.fromHexString("0x00000006617869766f6e"));
      assertThat(Hashes.keccak256(one.share(1, 1)))
          .isEqualTo(
              Bytes32.fromHexString(
                  "0xe1db30cc76cba15878084668556af35c87899ecbb0c0fe436157df74c6f409d6"));
      assertThat(one.roots().columnRoots().get(1))
          .isEqualTo(
              Bytes32.fromHexString(
                  "0xe8bd9c78d7b312850771fc8b763c1de476474075444a99c84391ed9e131071b4"));
      assertThat(one.dataRoot())
          .isEqualTo(
              Bytes32.fromHexString(
                  "0x82fa2e7c1ca26630ebb7726da389491d2342ce749bd00016b334b3f7cdccfc3d"));

      byte[] b = new byte[5000];
      for (int i = 0; i < b.length; i++) {
        b[i] = (byte) (i % 251);
      }
      ExtendedSquare two = enc.encode(Bytes.wrap(b));
      assertThat(two.k()).isEqualTo(2);
      assertThat(two.share(0, 2).slice(0, 8)).isEqualTo(Bytes.fromHexString("0x1ce86e591862ec96"));
      assertThat(two.share(2, 0).slice(0, 8)).isEqualTo(Bytes.fromHexString("0xcf3bbd8a304ac4be"));
      assertThat(two.share(3, 3).slice(0, 8)).isEqualTo(Bytes.fromHexString("0xe7e7b1cf14b347e0"));
      assertThat(two.roots().rowRoots().get(3))
          .isEqualTo(
              Bytes32.fromHexString(
                  "0x2627cda36f62c910e77bb2ad4a2609031adb35174fd65e51378d09a9f2d6b191"));
      assertThat(two.roots().columnRoots().get(0))
          .isEqualTo(
              Bytes32.fromHexString(
                  "0xfc3f32cef8fb8c5f0be3d18d27554cc18423b58b535e88dafa0203afe1cb40f4"));
      assertThat(two.dataRoot())
          .isEqualTo(
              Bytes32.fromHexString(
                  "0x5b9a103dcff2fce180300b9fe86f37777daa9d1225de5898096e71a389739ae5"));
    }
  }
}
