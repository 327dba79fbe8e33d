package io.axivon.da.erasure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class ReedSolomonTest {
  @Test
  void fieldMatchesIsaLKnownValues() {
    // 2 generates the field; 0x80 * 2 wraps through 0x11d
    assertThat(Gf256.mul(0x80, 2)).isEqualTo(0x1d);
    assertThat(Gf256.mul(3, 7)).isEqualTo(9);
    for (int a = 1; a < 256; a++) {
      assertThat(Gf256.mul(a, Gf256.inv(a))).isEqualTo(1);
    }
    assertThat(Gf256.inv(0)).isZero();
  }

  @Test
  void cauchyMatrixIsIdentityThenInverseOfXor() {
    byte[] a = GfMatrix.cauchyEncodingMatrix(3, 2);
    assertThat(a).startsWith(1, 0, 0, 0, 1, 0, 0, 0, 1);
    assertThat(a[3 * 3] & 0xff).isEqualTo(Gf256.inv(3)); // row 3, col 0
    assertThat(a[4 * 3 + 2] & 0xff).isEqualTo(Gf256.inv(4 ^ 2));
  }

  @Test
  void inverseTimesMatrixIsIdentity() {
    byte[] enc = GfMatrix.cauchyEncodingMatrix(4, 4);
    byte[] sub = java.util.Arrays.copyOfRange(enc, 16, 32); // the parity rows
    byte[] inv = GfMatrix.invert(sub, 4);
    byte[] id = GfMatrix.multiply(sub, 4, 4, inv, 4);
    assertThat(id).containsExactly(1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1);
    assertThat(GfMatrix.invert(new byte[] {1, 1, 1, 1}, 2)).isNull();
  }

  @Test
  void decodeMatrixCacheIsBounded() {
    DecodeMatrixCache cache = new DecodeMatrixCache(new ScalarBackend(), 2);
    for (int i = 0; i < 5; i++) {
      cache.get(new DecodeMatrixCache.Key(2, 5, new int[] {i, i + 1}, new int[] {0}));
    }
    assertThat(cache.size()).isEqualTo(2);
  }

  @Test
  void bestBackendIsTheVectorOneWhenTheModuleIsPresent() {
    assertThat(VectorBackendProvider.vectorModulePresent()).isTrue();
    assertThat(ErasureBackends.best().name()).startsWith("vector-");
    assertThat(ErasureBackends.available()).extracting(ErasureBackend::name).contains("scalar");
  }

  @Test
  void rejectsBadShapesAndTooFewShards() {
    try (ReedSolomon rs = ReedSolomon.create(1)) {
      assertThatThrownBy(() -> rs.encode(0, 1, new byte[0][], new byte[1][1], 1))
          .hasMessageContaining("k must be at least 1");
      assertThatThrownBy(() -> rs.encode(200, 57, new byte[200][1], new byte[57][1], 1))
          .hasMessageContaining("at most 256");
      assertThatThrownBy(
              () ->
                  rs.decode(
                      3, 2, new int[] {0, 1}, new byte[2][4], new int[] {2}, new byte[1][4], 4))
          .hasMessageContaining("need at least k = 3");
      assertThatThrownBy(() -> rs.encode(2, 1, new byte[][] {{1}, {1, 2}}, new byte[1][2], 2))
          .hasMessageContaining("shorter than len");
    }
  }
}
