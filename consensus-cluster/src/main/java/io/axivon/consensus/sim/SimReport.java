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
    List<String> violations,
    int chains,
    List<Long> chainHeights,
    long setChanges,
    long stakeChanges,
    long relays,
    long slashes,
    long refusedEvidence) {
  public SimReport {
    byzantine = List.copyOf(byzantine);
    violations = List.copyOf(violations);
    chainHeights = List.copyOf(chainHeights);
  }

  /** A single-chain report. */
  public SimReport(
      long seed,
      int nodes,
      List<String> byzantine,
      long heights,
      long simMillis,
      long events,
      long messages,
      long evidence,
      List<String> violations) {
    this(
        seed,
        nodes,
        byzantine,
        heights,
        simMillis,
        events,
        messages,
        evidence,
        violations,
        1,
        List.of(heights),
        0,
        0,
        0,
        0,
        0);
  }

  /** The command that replays this run. */
  public String replay() {
    return "axivon sim --seed "
        + seed
        + " --nodes "
        + nodes
        + (chains > 1 ? " --chains " + chains : "");
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
        + (chains > 1
            ? " chains="
                + chains
                + " chainHeights="
                + chainHeights
                + " setChanges="
                + setChanges
                + " stakeChanges="
                + stakeChanges
                + " relays="
                + relays
                + " slashes="
                + slashes
                + " refusedEvidence="
                + refusedEvidence
            : "")
        + (ok() ? " OK" : " VIOLATIONS=" + violations + " (replay: " + replay() + ")");
  }
}
