package io.axivon.consensus.sim;

import static org.assertj.core.api.Assertions.assertThat;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

/** The engine as a state machine under random schedules: every seed is safe, valid and live. */
class SimulationProperties {
  @Property(tries = 40)
  void anySeedAnySizeIsSafeAndLive(
      @ForAll long seed, @ForAll @IntRange(min = 1, max = 10) int nodes) {
    SimReport r = Simulator.run(seed, SimOptions.defaults().withNodes(nodes).withHeights(3));
    assertThat(r.ok()).as(r.toString()).isTrue();
    assertThat(r.heights()).isGreaterThanOrEqualTo(3);
  }

  /**
   * Several chains under random faults, stake changes and byzantine validators: every chain safe
   * and live, no stale set, each offender slashed once. The generator's seed is fixed so that the
   * default build runs the same 30 seeds every time: the long campaign ({@code axivon sim --chains
   * N --runs R}) is where new seeds are explored (it found seed 785, now a regression test in
   * SimulatorTest).
   */
  @Property(tries = 30, seed = "20261126")
  void anySeedAnyClusterIsSafeAndLive(
      @ForAll long seed, @ForAll @IntRange(min = 2, max = 4) int chains) {
    SimReport r = Simulator.run(seed, SimOptions.defaults().withChains(chains).withHeights(3));
    assertThat(r.ok()).as(r.toString()).isTrue();
    assertThat(r.chainHeights()).hasSize(chains).allMatch(h -> h >= 3);
  }
}
