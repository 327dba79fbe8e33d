package io.axivon.consensus.sim;

import java.util.ArrayList;
import java.util.List;

/** Many simulator runs with consecutive seeds. */
public final class Campaign {
  private Campaign() {}

  /** The outcome of a campaign; {@code failures} holds the report of every failing seed. */
  public record Summary(
      long runs,
      long firstSeed,
      long heights,
      long events,
      long elapsedMillis,
      List<SimReport> failures) {
    public Summary {
      failures = List.copyOf(failures);
    }

    public long violations() {
      return failures.stream().mapToLong(r -> r.violations().size()).sum();
    }

    public boolean ok() {
      return failures.isEmpty();
    }

    @Override
    public String toString() {
      return "runs="
          + runs
          + " firstSeed="
          + firstSeed
          + " heights="
          + heights
          + " events="
          + events
          + " violations="
          + violations()
          + " failingSeeds="
          + failures.stream().map(SimReport::seed).toList()
          + " elapsedMillis="
          + elapsedMillis;
    }
  }

  public static Summary run(long runs, long firstSeed) {
    return run(runs, firstSeed, SimOptions.defaults());
  }

  public static Summary run(long runs, long firstSeed, SimOptions options) {
    long start = System.nanoTime();
    long heights = 0;
    long events = 0;
    List<SimReport> failures = new ArrayList<>();
    for (long i = 0; i < runs; i++) {
      SimReport r = Simulator.run(firstSeed + i, options);
      heights += r.heights();
      events += r.events();
      if (!r.ok()) {
        failures.add(r);
      }
    }
    return new Summary(
        runs, firstSeed, heights, events, (System.nanoTime() - start) / 1_000_000, failures);
  }
}
