package io.axivon.common.crypto;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import org.bouncycastle.crypto.digests.KeccakDigest;
import org.junit.jupiter.api.Test;

class Keccak256Test {
  private static String hex(byte[] b) {
    return HexFormat.of().formatHex(b);
  }

  private static byte[] reference(byte[] data) {
    KeccakDigest d = new KeccakDigest(256);
    d.update(data, 0, data.length);
    byte[] out = new byte[32];
    d.doFinal(out, 0);
    return out;
  }

  @Test
  void standardVectors() {
    assertThat(hex(new Keccak256().digest()))
        .isEqualTo("c5d2460186f7233c927e7db2dcc703c0e500b653ca82273b7bfad8045d85a470");
    byte[] abc = "abc".getBytes(StandardCharsets.US_ASCII);
    assertThat(hex(new Keccak256().update(abc, 0, 3).digest()))
        .isEqualTo("4e03657aea45a94fc7d47ba826c8d667c0d1e6e33a64a036ec44f58fa12d6c45");
    byte[] fox = "The quick brown fox jumps over the lazy dog".getBytes(StandardCharsets.US_ASCII);
    assertThat(hex(new Keccak256().update(fox, 0, fox.length).digest()))
        .isEqualTo("4d741b6f1eb29cb2a9b9911c82f56fa8d73b04959d3d9d222895df6c0b28aa15");
  }

  @Test
  void everyLengthAroundTheBlockBoundariesMatchesBouncyCastle() {
    for (int len = 0; len <= 3 * Keccak256.RATE + 1; len++) {
      byte[] data = new byte[len];
      for (int i = 0; i < len; i++) {
        data[i] = (byte) (i * 31 + 7);
      }
      assertThat(new Keccak256().update(data, 0, len).digest())
          .as("length %d", len)
          .isEqualTo(reference(data));
    }
  }

  @Test
  void zerosAndCopiesAndReuse() {
    Keccak256 k = new Keccak256();
    assertThat(k.updateZeros(1000).digest()).isEqualTo(reference(new byte[1000]));
    byte[] abc = "abc".getBytes(StandardCharsets.US_ASCII);
    k.update(abc, 0, 3);
    Keccak256 copy = k.copy();
    copy.update(abc, 0, 3);
    assertThat(k.digest()).isEqualTo(reference(abc)); // the original, unaffected by the copy
    assertThat(copy.digest()).isEqualTo(reference("abcabc".getBytes(StandardCharsets.US_ASCII)));
    assertThat(k.digest()).isEqualTo(reference(new byte[0])); // reset after digest
  }

  @Property(tries = 300)
  void matchesBouncyCastleWhateverTheSplit(
      @ForAll @Size(max = 1200) byte[] data,
      @ForAll @Size(max = 8) List<@IntRange(min = 0, max = 300) Integer> cuts,
      @ForAll @IntRange(min = 0, max = 40) int outOffset) {
    Keccak256 k = new Keccak256();
    int off = 0;
    for (int cut : cuts) {
      int n = Math.min(cut, data.length - off);
      k.update(data, off, n);
      off += n;
    }
    k.update(data, off, data.length - off);
    byte[] out = new byte[outOffset + 32];
    k.doFinal(out, outOffset);
    assertThat(java.util.Arrays.copyOfRange(out, outOffset, outOffset + 32))
        .isEqualTo(reference(data));
  }
}
