package io.axivon.da.blob;

import io.axivon.common.InvalidInputException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.random.RandomGenerator;

/**
 * Light-client sampling (specs/da.md §8): making a 2k × 2k square unrecoverable takes withholding
 * at least (k + 1)² of its 4k² cells, so each uniformly drawn cell whose share proof verifies
 * lowers the chance that the blob is unavailable by a factor of at most 1 − (k + 1)² / (4k²) &lt;
 * 3/4.
 */
public final class Sampling {
  private Sampling() {}

  /** A cell of the extended square. */
  public record Cell(int row, int col) {}

  /** The least fraction of cells an adversary must withhold to make the square unrecoverable. */
  public static double minWithheldFraction(int k) {
    BlobSquare.checkWidth(k);
    return (double) (k + 1) * (k + 1) / (4.0 * k * k);
  }

  /**
   * The confidence that the blob is available after {@code samples} distinct uniformly drawn cells
   * all verified: 1 − (1 − f)^samples with f = {@link #minWithheldFraction}. (Drawing without
   * replacement only raises it.)
   */
  public static double confidence(int k, int samples) {
    if (samples < 0) {
      throw new InvalidInputException("samples must be ≥ 0, got " + samples);
    }
    return 1 - Math.pow(1 - minWithheldFraction(k), samples);
  }

  /** The fewest samples that reach {@code confidence} (in [0, 1)). */
  public static int samplesFor(int k, double confidence) {
    if (!(confidence >= 0 && confidence < 1)) {
      throw new InvalidInputException("confidence must be in [0, 1), got " + confidence);
    }
    double miss = 1 - minWithheldFraction(k);
    if (miss <= 0) {
      return confidence == 0 ? 0 : 1;
    }
    int s = (int) Math.ceil(Math.log(1 - confidence) / Math.log(miss));
    return Math.max(0, Math.min(s, 4 * k * k));
  }

  /** {@code count} distinct cells drawn uniformly from the 2k × 2k square by {@code random}. */
  public static List<Cell> draw(int k, int count, RandomGenerator random) {
    BlobSquare.checkWidth(k);
    int n = 2 * k;
    if (count < 0 || count > n * n) {
      throw new InvalidInputException(
          "can draw 0.."
              + n * n
              + " distinct cells of a "
              + n
              + " × "
              + n
              + " square, not "
              + count);
    }
    Set<Cell> cells = new LinkedHashSet<>();
    while (cells.size() < count) {
      cells.add(new Cell(random.nextInt(n), random.nextInt(n)));
    }
    return new ArrayList<>(cells);
  }
}
