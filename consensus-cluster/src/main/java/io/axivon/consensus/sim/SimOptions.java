package io.axivon.consensus.sim;

import java.util.List;

/**
 * What a simulation run may do. The seed then fixes every choice within these bounds (which faults,
 * when, where). {@code randomFaults} lets the seed also pick loss, duplication, partitions,
 * crashes, stake weights and the byzantine set; otherwise the listed values are used exactly.
 * {@code brokenLockRule} runs engines without the lock rule, only to show the checker catches
 * unsafe engines.
 */
public record SimOptions(
    int nodes,
    int heights,
    boolean randomFaults,
    double loss,
    double duplication,
    boolean partitions,
    boolean crashes,
    boolean weighted,
    List<Byzantine> byzantine,
    long maxSimMillis,
    boolean brokenLockRule,
    int chains) {
  /** The most chains one run simulates (as the cluster benchmark measures: 1, 2 and 4). */
  public static final int MAX_CHAINS = 4;

  /** One chain: the single-chain simulation. */
  public SimOptions(
      int nodes,
      int heights,
      boolean randomFaults,
      double loss,
      double duplication,
      boolean partitions,
      boolean crashes,
      boolean weighted,
      List<Byzantine> byzantine,
      long maxSimMillis,
      boolean brokenLockRule) {
    this(
        nodes,
        heights,
        randomFaults,
        loss,
        duplication,
        partitions,
        crashes,
        weighted,
        byzantine,
        maxSimMillis,
        brokenLockRule,
        1);
  }

  public SimOptions {
    if (nodes < 1 || nodes > SimKeys.MAX_NODES) {
      throw new IllegalArgumentException("nodes must be in [1, " + SimKeys.MAX_NODES + "]");
    }
    if (heights < 1) {
      throw new IllegalArgumentException("heights must be >= 1");
    }
    if (loss < 0 || loss >= 1 || duplication < 0 || duplication >= 1) {
      throw new IllegalArgumentException("loss and duplication must be in [0, 1)");
    }
    if (chains < 1 || chains > MAX_CHAINS) {
      throw new IllegalArgumentException("chains must be in [1, " + MAX_CHAINS + "]");
    }
    if (chains > 1 && nodes >= SimKeys.MAX_NODES) {
      throw new IllegalArgumentException(
          "a multi-chain run needs one key beyond its nodes for the validator that joins");
    }
    byzantine = List.copyOf(byzantine);
  }

  /** 4 nodes, 5 heights, every kind of fault chosen by the seed. */
  public static SimOptions defaults() {
    return new SimOptions(
        4, 5, true, 0, 0, true, true, true, List.of(Byzantine.values()), 600_000, false);
  }

  /** A fault-free network of {@code nodes} equal validators. */
  public static SimOptions calm(int nodes, int heights) {
    return new SimOptions(
        nodes, heights, false, 0, 0, false, false, false, List.of(), 600_000, false);
  }

  public SimOptions withNodes(int n) {
    return new SimOptions(
        n,
        heights,
        randomFaults,
        loss,
        duplication,
        partitions,
        crashes,
        weighted,
        byzantine,
        maxSimMillis,
        brokenLockRule,
        chains);
  }

  public SimOptions withHeights(int h) {
    return new SimOptions(
        nodes,
        h,
        randomFaults,
        loss,
        duplication,
        partitions,
        crashes,
        weighted,
        byzantine,
        maxSimMillis,
        brokenLockRule,
        chains);
  }

  /** Exactly these byzantine validators (one per entry), no other random faults. */
  public SimOptions withByzantine(List<Byzantine> kinds) {
    return new SimOptions(
        nodes,
        heights,
        false,
        loss,
        duplication,
        partitions,
        crashes,
        weighted,
        kinds,
        maxSimMillis,
        brokenLockRule,
        chains);
  }

  public SimOptions withNetwork(double lossRate, double duplicationRate) {
    return new SimOptions(
        nodes,
        heights,
        randomFaults,
        lossRate,
        duplicationRate,
        partitions,
        crashes,
        weighted,
        byzantine,
        maxSimMillis,
        brokenLockRule,
        chains);
  }

  public SimOptions withFaults(boolean partitionsOn, boolean crashesOn) {
    return new SimOptions(
        nodes,
        heights,
        randomFaults,
        loss,
        duplication,
        partitionsOn,
        crashesOn,
        weighted,
        byzantine,
        maxSimMillis,
        brokenLockRule,
        chains);
  }

  public SimOptions withBrokenLockRule(boolean broken) {
    return new SimOptions(
        nodes,
        heights,
        randomFaults,
        loss,
        duplication,
        partitions,
        crashes,
        weighted,
        byzantine,
        maxSimMillis,
        broken,
        chains);
  }

  /**
   * {@code n} chains (1 to {@value #MAX_CHAINS}) run by the same validators: chain 0 holds the
   * stake and decides each epoch's set, chains 1.. follow it (see {@link Simulator}).
   */
  public SimOptions withChains(int n) {
    return new SimOptions(
        nodes,
        heights,
        randomFaults,
        loss,
        duplication,
        partitions,
        crashes,
        weighted,
        byzantine,
        maxSimMillis,
        brokenLockRule,
        n);
  }
}
