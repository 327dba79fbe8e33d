package io.axivon.consensus.sim;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class SimulatorTest {
  /**
   * Seed 785 with 3 chains once halted chain 1: its nodes decided height 2 in rounds 0 and 1, and
   * the next height's proposer rotation followed the decision round, so they disagreed on every
   * later proposer. The rotation now moves one step per height.
   */
  @Test
  void nodesThatDecideInDifferentRoundsAgreeOnTheNextProposer() {
    SimReport r = Simulator.run(785, SimOptions.defaults().withChains(3));
    assertThat(r.ok()).as(r.toString()).isTrue();
  }

  @Test
  void campaignOfAThousandSeedsFindsNoViolation() {
    Campaign.Summary s = Campaign.run(1_000, 1);
    assertThat(s.failures()).as(s.toString()).isEmpty();
    assertThat(s.heights()).isEqualTo(1_000L * SimOptions.defaults().heights());
  }

  @Test
  void sameSeedSameRun() {
    SimReport a = Simulator.run(42, SimOptions.defaults());
    SimReport b = Simulator.run(42, SimOptions.defaults());
    assertThat(a).isEqualTo(b);
    assertThat(Simulator.run(43, SimOptions.defaults())).isNotEqualTo(a);
  }

  @Test
  void calmNetworkDecidesEveryHeight() {
    SimReport r = Simulator.run(7, SimOptions.calm(4, 20));
    assertThat(r.ok()).as(r.toString()).isTrue();
    assertThat(r.heights()).isEqualTo(20);
    assertThat(r.evidence()).isZero();
  }

  @Test
  void singleValidatorDecidesAlone() {
    SimReport r = Simulator.run(1, SimOptions.calm(1, 5));
    assertThat(r.ok()).as(r.toString()).isTrue();
  }

  private static SimOptions oneByzantine(Byzantine kind, int nodes) {
    return SimOptions.calm(nodes, 6).withByzantine(List.of(kind)).withNetwork(0.05, 0.05);
  }

  @Test
  void silentValidatorCannotStopTheOthers() {
    for (long seed = 1; seed <= 20; seed++) {
      SimReport r = Simulator.run(seed, oneByzantine(Byzantine.SILENT, 4));
      assertThat(r.ok()).as(r.toString()).isTrue();
      assertThat(r.byzantine()).hasSize(1);
    }
  }

  @Test
  void doubleVoterIsCaughtAsEvidenceAndCannotBreakSafety() {
    long evidence = 0;
    for (long seed = 1; seed <= 20; seed++) {
      SimReport r = Simulator.run(seed, oneByzantine(Byzantine.DOUBLE_VOTER, 4));
      assertThat(r.ok()).as(r.toString()).isTrue();
      evidence += r.evidence();
    }
    assertThat(evidence).isPositive();
  }

  @Test
  void equivocatingProposerCannotBreakSafety() {
    for (long seed = 1; seed <= 20; seed++) {
      SimReport r = Simulator.run(seed, oneByzantine(Byzantine.EQUIVOCATING_PROPOSER, 4));
      assertThat(r.ok()).as(r.toString()).isTrue();
    }
  }

  @Test
  void invalidProposalsAreNeverDecided() {
    for (long seed = 1; seed <= 20; seed++) {
      SimReport r = Simulator.run(seed, oneByzantine(Byzantine.INVALID_PROPOSER, 4));
      assertThat(r.ok()).as(r.toString()).isTrue();
    }
  }

  @Test
  void twoByzantineOfSevenWithPartitionsAndCrashes() {
    SimOptions o =
        SimOptions.calm(7, 5)
            .withByzantine(List.of(Byzantine.DOUBLE_VOTER, Byzantine.EQUIVOCATING_PROPOSER))
            .withNetwork(0.1, 0.05)
            .withFaults(true, true);
    for (long seed = 1; seed <= 20; seed++) {
      SimReport r = Simulator.run(seed, o);
      assertThat(r.ok()).as(r.toString()).isTrue();
    }
  }

  @Test
  void crashesAndRestartsNeverDoubleSign() {
    SimOptions o = SimOptions.calm(4, 6).withNetwork(0.1, 0.05).withFaults(false, true);
    for (long seed = 1; seed <= 30; seed++) {
      SimReport r = Simulator.run(seed, o);
      assertThat(r.ok()).as(r.toString()).isTrue();
    }
  }

  @Test
  void rejectsTooManyByzantine() {
    SimOptions o = SimOptions.calm(4, 2).withByzantine(List.of(Byzantine.SILENT, Byzantine.SILENT));
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> Simulator.run(1, o))
        .hasMessageContaining("below 1/3 stake");
  }

  /** The checker can fail: an engine without the lock rule is caught breaking safety. */
  @Test
  void brokenEngineWithoutLockRuleIsCaught() {
    SimOptions o =
        SimOptions.calm(4, 5)
            .withByzantine(List.of(Byzantine.DOUBLE_VOTER))
            .withNetwork(0.2, 0.05)
            .withFaults(true, false);
    SimReport broken = Simulator.run(94, o.withBrokenLockRule(true));
    assertThat(broken.ok()).isFalse();
    assertThat(broken.violations()).anyMatch(v -> v.startsWith("safety: height"));
    assertThat(broken.toString()).contains("axivon sim --seed 94");
    SimReport correct = Simulator.run(94, o);
    assertThat(correct.ok()).as(correct.toString()).isTrue();
  }

  // ---- several chains: chain 0 holds the stake, chains 1.. follow its sets ----

  @Test
  void twoChainsFollowEveryStakeChange() {
    SimReport r = Simulator.run(7, SimOptions.calm(4, 5).withChains(2));
    assertThat(r.ok()).as(r.toString()).isTrue();
    assertThat(r.chains()).isEqualTo(2);
    assertThat(r.chainHeights()).hasSize(2).allMatch(h -> h >= 5);
    // A delegation, a new validator and an undelegation: each a new set at the next epoch (two
    // may share one), which chain 1's light client takes from chain 0.
    assertThat(r.stakeChanges()).isEqualTo(3);
    assertThat(r.chain0SetChanges()).isBetween(2L, 3L);
    assertThat(r.setChanges()).isEqualTo(r.chain0SetChanges());
    assertThat(r.slashes()).isZero();
  }

  @Test
  void threeChainsDoubleSignOnChainOneIsSlashedOnChainZeroOnce() {
    SimOptions o =
        SimOptions.calm(4, 5)
            .withByzantine(List.of(Byzantine.DOUBLE_VOTER))
            .withNetwork(0.05, 0.05)
            .withChains(3);
    long refused = 0;
    for (long seed = 1; seed <= 4; seed++) {
      SimReport r = Simulator.run(seed, o);
      assertThat(r.ok()).as(r.toString()).isTrue();
      assertThat(r.evidence()).as(r.toString()).isPositive();
      // Relayed by every honest node that saw it, some copies late: one slash, replays refused.
      assertThat(r.relays()).as(r.toString()).isGreaterThan(1);
      assertThat(r.slashes()).as(r.toString()).isEqualTo(1);
      // The offender leaves chain 0's set, and each other chain follows every set chain 0 made.
      assertThat(r.setChanges()).as(r.toString()).isEqualTo(2 * r.chain0SetChanges());
      refused += r.refusedEvidence();
    }
    assertThat(refused).isPositive();
  }

  @Test
  void fourChainsWithByzantinePartitionsAndCrashes() {
    SimOptions o =
        SimOptions.calm(5, 4)
            .withByzantine(List.of(Byzantine.DOUBLE_VOTER))
            .withNetwork(0.1, 0.05)
            .withFaults(true, true)
            .withChains(4);
    for (long seed = 1; seed <= 3; seed++) {
      SimReport r = Simulator.run(seed, o);
      assertThat(r.ok()).as(r.toString()).isTrue();
      assertThat(r.chainHeights()).hasSize(4).allMatch(h -> h >= 4);
      assertThat(r.stakeChanges()).isEqualTo(3);
      assertThat(r.slashes()).isLessThanOrEqualTo(1);
      assertThat(r.setChanges()).isEqualTo(3 * r.chain0SetChanges());
    }
  }

  @Test
  void clusterRunsAreDeterministic() {
    SimOptions o = SimOptions.defaults().withChains(3);
    SimReport a = Simulator.run(11, o);
    assertThat(Simulator.run(11, o)).isEqualTo(a);
    assertThat(Simulator.run(12, o)).isNotEqualTo(a);
    assertThat(a.toString()).contains("chains=3");
  }

  /** The checker can fail: chains that keep signing with an old set are caught. */
  @Test
  void chainsThatKeepAnOldSetAreCaught() {
    SimOptions o = SimOptions.calm(4, 5).withChains(2);
    SimReport broken = ClusterSimulator.runWithStaleFollowers(7, o);
    assertThat(broken.ok()).isFalse();
    assertThat(broken.violations()).anyMatch(v -> v.startsWith("stale set: chain 1"));
    assertThat(broken.toString()).contains("axivon sim --seed 7 --nodes 4 --chains 2");
    assertThat(Simulator.run(7, o).ok()).isTrue();
  }

  @Test
  void rejectsMoreThanFourChains() {
    org.assertj.core.api.Assertions.assertThatThrownBy(
            () -> SimOptions.defaults().withChains(SimOptions.MAX_CHAINS + 1))
        .hasMessageContaining("chains must be in [1, 4]");
  }
}
