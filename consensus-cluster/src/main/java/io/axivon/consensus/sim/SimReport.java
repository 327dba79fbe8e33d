package io.axivon.consensus.sim;

import java.util.List;

/**
 * The outcome of one run: {@code heights} is the lowest height every honest node decided, {@code
 * simMillis} simulated time, {@code events} processed, {@code violations} empty when safe, valid
 * and live. {@code evidence} counts equivocations honest nodes detected.
 */
public record SimReport(
    long seed,
    int nodes,
    List<String> byzantine,
    long heights,
    long simMillis,
    long events,
    long messages,
    long evidence,
    List<String> violations) {
  public SimReport {
    byzantine = List.copyOf(byzantine);
    violations = List.copyOf(violations);
  }

  public boolean ok() {
    return violations.isEmpty();
  }

  @Override
  public String toString() {
    return "seed="
        + seed
        + " nodes="
        + nodes
        + " byzantine="
        + byzantine
        + " heights="
        + heights
        + " simMillis="
        + simMillis
        + " events="
        + events
        + " messages="
        + messages
        + " evidence="
        + evidence
        + (ok()
            ? " OK"
            : " VIOLATIONS="
                + violations
                + " (replay: axivon sim --seed "
                + seed
                + " --nodes "
                + nodes
                + ")");
  }
}
