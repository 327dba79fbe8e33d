package io.axivon.common.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import java.util.HexFormat;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.bouncycastle.crypto.digests.KeccakDigest;
import org.junit.jupiter.api.Test;

class KeccakBatchTest {
  private static final KeccakBatch VECTOR = new KeccakBatch();

  private static byte[] expected(byte[] in, int off, int len, int count) {
    byte[] out = new byte[32 * count];
    for (int i = 0; i < count; i++) {
      System.arraycopy(
          Hashes.keccak256(Arrays.copyOfRange(in, off + i * len, off + (i + 1) * len)),
          0,
          out,
          32 * i,
          32);
    }
    return out;
  }

  @Test
  void usesSeveralLanesWhereTheVectorModuleIsPresent() {
    // the test JVMs run with --add-modules jdk.incubator.vector on an AVX2 or AVX-512 CPU
    if (ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent()) {
      assertThat(VECTOR.lanes()).isGreaterThanOrEqualTo(4);
    }
    assertThat(new KeccakBatch(false).lanes()).isEqualTo(1);
  }

  @Test
  void emptyMessagesHashToKeccakOfNothing() {
    byte[] out = new byte[32 * 9];
    VECTOR.hashAll(new byte[0], 0, 0, 9, out, 0);
    for (int i = 0; i < 9; i++) {
      assertThat(HexFormat.of().formatHex(out, 32 * i, 32 * i + 32))
          .isEqualTo("c5d2460186f7233c927e7db2dcc703c0e500b653ca82273b7bfad8045d85a470");
    }
  }

  @Property(tries = 300)
  void everyMessageHashesAsAlone(
      @ForAll @IntRange(min = 0, max = 700) int len,
      @ForAll @IntRange(min = 0, max = 21) int count,
      @ForAll @IntRange(min = 0, max = 9) int off,
      @ForAll long seed) {
    byte[] in = new byte[off + len * count + 3];
    new Random(seed).nextBytes(in);
    byte[] out = new byte[5 + 32 * count];
    VECTOR.hashAll(in, off, len, count, out, 5);
    assertThat(Arrays.copyOfRange(out, 5, out.length)).isEqualTo(expected(in, off, len, count));
  }

  private static byte[] bouncyCastle(byte[] in, int off, int len, int count) {
    KeccakDigest d = new KeccakDigest(256);
    byte[] out = new byte[32 * count];
    for (int i = 0; i < count; i++) {
      d.update(in, off + i * len, len);
      d.doFinal(out, 32 * i);
    }
    return out;
  }

  // messages longer than one pass of transposed blocks (16 × 136 bytes) carry the state over
  @Property(tries = 60)
  void longMessagesMatchBouncyCastle(
      @ForAll @IntRange(min = 2000, max = 6000) int len,
      @ForAll @IntRange(min = 0, max = 10) int count,
      @ForAll @IntRange(min = 0, max = 9) int off,
      @ForAll long seed) {
    byte[] in = new byte[off + len * count];
    new Random(seed).nextBytes(in);
    byte[] out = new byte[32 * count];
    VECTOR.hashAll(in, off, len, count, out, 0);
    assertThat(out).isEqualTo(bouncyCastle(in, off, len, count));
  }

  @Property(tries = 200)
  void shortMessagesMatchBouncyCastle(
      @ForAll @IntRange(min = 0, max = 300) int len,
      @ForAll @IntRange(min = 8, max = 24) int count,
      @ForAll long seed) {
    byte[] in = new byte[len * count];
    new Random(seed).nextBytes(in);
    byte[] out = new byte[32 * count];
    VECTOR.hashAll(in, 0, len, count, out, 0);
    assertThat(out).isEqualTo(bouncyCastle(in, 0, len, count));
  }

  // one hasher keeps a message length's padding between calls: other lengths in turn, long
  // messages (which overwrite the whole buffer) and a length of the same blocks but a part word
  @Test
  void lengthsInTurnLeaveNoStalePadding() {
    KeccakBatch one = new KeccakBatch();
    Random random = new Random(11);
    for (int len : new int[] {64, 64, 256, 64, 3000, 64, 256, 4400, 256, 60, 64, 63, 64, 0, 64}) {
      byte[] in = new byte[len * 9];
      random.nextBytes(in);
      byte[] out = new byte[32 * 9];
      one.hashAll(in, 0, len, 9, out, 0);
      assertThat(out).as("len %d", len).isEqualTo(bouncyCastle(in, 0, len, 9));
    }
  }

  @Test
  void rateBoundariesAndTheTreeShapes() {
    Random random = new Random(7);
    for (int len :
        new int[] {
          1, 32, 64, 135, 136, 137, 255, 256, 271, 272, 273, 2048, 2175, 2176, 2177, 4352, 4353
        }) {
      byte[] in = new byte[len * 17];
      random.nextBytes(in);
      byte[] out = new byte[32 * 17];
      VECTOR.hashAll(in, 0, len, 17, out, 0);
      assertThat(out).as("len %d", len).isEqualTo(expected(in, 0, len, 17));
    }
  }

  @Property(tries = 100)
  void aTreeLevelReducesInPlace(@ForAll @IntRange(min = 0, max = 40) int pairs, @ForAll long seed) {
    byte[] level = new byte[64 * pairs];
    new Random(seed).nextBytes(level);
    byte[] expected = expected(level, 0, 64, pairs);
    VECTOR.hashAll(level, 0, 64, pairs, level, 0);
    assertThat(Arrays.copyOf(level, 32 * pairs)).isEqualTo(expected);
  }

  @Test
  void refusesRangesOutsideTheArrays() {
    assertThatThrownBy(() -> VECTOR.hashAll(new byte[10], 0, 4, 3, new byte[96], 0))
        .isInstanceOf(IndexOutOfBoundsException.class);
    assertThatThrownBy(() -> VECTOR.hashAll(new byte[12], 0, 4, 3, new byte[95], 0))
        .isInstanceOf(IndexOutOfBoundsException.class);
    assertThatThrownBy(() -> VECTOR.hashAll(new byte[12], 0, -4, 3, new byte[96], 0))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
