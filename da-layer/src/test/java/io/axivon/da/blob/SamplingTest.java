package io.axivon.da.blob;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.axivon.common.InvalidInputException;
import java.util.HashSet;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class SamplingTest {
  @Test
  void confidenceFollowsTheWithheldFraction() {
    assertThat(Sampling.minWithheldFraction(1)).isEqualTo(1.0); // k = 1: any one cell recovers all
    assertThat(Sampling.minWithheldFraction(128))
        .isCloseTo(129.0 * 129 / (4 * 128 * 128), within(1e-12));
    assertThat(Sampling.confidence(128, 0)).isZero();
    assertThat(Sampling.confidence(128, 16)).isGreaterThan(0.99).isLessThan(0.991);
    assertThat(Sampling.confidence(128, 30)).isGreaterThan(0.9998);
    int s = Sampling.samplesFor(128, 0.99);
    assertThat(s).isEqualTo(16);
    assertThat(Sampling.confidence(128, s - 1)).isLessThan(0.99);
    assertThat(Sampling.samplesFor(1, 0.999)).isEqualTo(1);
    assertThatThrownBy(() -> Sampling.samplesFor(4, 1.0)).isInstanceOf(InvalidInputException.class);
  }

  @Test
  void drawsAreDistinctCellsInsideTheSquare() {
    List<Sampling.Cell> cells = Sampling.draw(4, 64, new SplittableRandom(1));
    assertThat(new HashSet<>(cells)).hasSize(64);
    assertThat(cells).allMatch(c -> c.row() >= 0 && c.row() < 8 && c.col() >= 0 && c.col() < 8);
    assertThatThrownBy(() -> Sampling.draw(4, 65, new SplittableRandom(1)))
        .isInstanceOf(InvalidInputException.class);
  }
}
