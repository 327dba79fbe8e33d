package io.axivon.consensus.sim;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class SimulatorTest {
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
}
