package io.axivon.consensus.sim;

import java.util.List;

/**
 * The outcome of one run: {@code heights} is the lowest height every honest node decided (on every
 * chain), {@code simMillis} simulated time, {@code events} processed, {@code violations} empty when
 * safe, valid and live. {@code evidence} counts equivocations honest nodes detected.
 *
 * <p>Multi-chain runs also give: {@code chainHeights} (the lowest honest height per chain), {@code
 * chain0SetChanges} (epochs whose set differs from the one before on chain 0), {@code setChanges}
 * (set changes the light clients of chains 1.. applied, summed), {@code stakeChanges} (delegation,
 * registration and undelegation transactions chain 0 executed), {@code relays} (evidence
 * submissions sent to chain 0), {@code slashes} (accepted by chain 0) and {@code refusedEvidence}
 * (replays chain 0 refused). Single-chain runs report 1 chain and zeros.
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
    long chain0SetChanges,
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
                + " chain0SetChanges="
                + chain0SetChanges
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
