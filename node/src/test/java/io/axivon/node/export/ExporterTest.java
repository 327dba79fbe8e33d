package io.axivon.node.export;

import static org.assertj.core.api.Assertions.assertThat;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;
import org.junit.jupiter.api.Test;

class ExporterTest {
  @Test
  void emptyBlocksGoInFullRunsAndFullBlocksInSmallOnes() {
    assertThat(Exporter.nextRun(100, 100, 0)).isEqualTo(100);
    assertThat(Exporter.nextRun(100, 100, 100)).isEqualTo(100);
    assertThat(Exporter.nextRun(100, 100, 100 * 1_400)).isEqualTo(1);
    assertThat(Exporter.nextRun(100, 1, 200)).isEqualTo(10);
  }

  @Property
  void aRunStaysWithinBounds(
      @ForAll @IntRange(min = 1, max = 500) int max,
      @ForAll @LongRange(min = 1, max = 500) long blocks,
      @ForAll @LongRange(min = 0, max = 10_000_000) long txs) {
    long next = Exporter.nextRun(max, blocks, txs);
    assertThat(next).isBetween(1L, (long) max);
    long perBlock = txs / blocks;
    if (perBlock > 0 && next > 1) {
      assertThat(next * perBlock).isLessThanOrEqualTo(Exporter.TARGET_TXS_PER_RUN);
    }
  }
}
