package io.axivon.sdk.storage.layout;

import static org.assertj.core.api.Assertions.assertThat;

import io.axivon.common.merkle.MerkleTree;
import io.axivon.common.merkle.Subtree;
import java.util.Arrays;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

/** The streaming two-level build equals one flat tree over the padded sectors, for any size. */
class FileTreeProperties {

  @Property(tries = 60)
  void streamingRootEqualsFlatTreeOverPaddedSectors(
      @ForAll @IntRange(min = 1, max = 5 * Layout.SEGMENT_SIZE) int size, @ForAll long seed) {
    byte[] data = new byte[size];
    new Random(seed).nextBytes(data);
    FileTree tree = FileTree.of(data);
    long padded = Layout.paddedSectors((size + 255) / 256);
    byte[] flat = Arrays.copyOf(data, Math.toIntExact(padded * Layout.SECTOR_SIZE));
    assertThat(tree.root()).isEqualTo(MerkleTree.ofData(flat, Layout.SECTOR_SIZE).root());

    Submission s = tree.submission();
    assertThat(s.root()).isEqualTo(tree.root());
    assertThat(s.sectors()).isEqualTo(padded);
    assertThat(s.nodes()).hasSizeLessThanOrEqualTo(4);
    long mask = 0;
    for (Subtree n : s.nodes()) {
      mask |= 1L << n.height();
    }
    assertThat(mask).isEqualTo(padded);
  }

  @Property(tries = 100)
  void paddingAddsLessThanAnEighth(@ForAll @IntRange(min = 1, max = Integer.MAX_VALUE) int n) {
    long padded = Layout.paddedSectors(n);
    assertThat(padded).isGreaterThanOrEqualTo(n);
    assertThat(padded - n).isLessThanOrEqualTo(Math.max(0, n / 8));
    assertThat(Long.bitCount(padded)).isLessThanOrEqualTo(4);
    assertThat(Layout.paddedSectors(padded)).isEqualTo(padded); // padding is idempotent
  }
}
