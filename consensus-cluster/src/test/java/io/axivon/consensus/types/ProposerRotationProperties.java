package io.axivon.consensus.types;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

class ProposerRotationProperties {
  @Provide
  Arbitrary<List<Long>> powers() {
    return Arbitraries.longs().between(1, 100).list().ofMinSize(1).ofMaxSize(Fixtures.KEYS.size());
  }

  /** Over any window of T steps each validator proposes T * power / total times, within n. */
  @Property(tries = 100)
  void proposesInProportionToPower(@ForAll("powers") List<Long> powers) {
    List<Validator> vs = new ArrayList<>();
    for (int i = 0; i < powers.size(); i++) {
      vs.add(new Validator(Fixtures.KEYS.get(i).publicKey(), powers.get(i)));
    }
    ValidatorSet set = ValidatorSet.of(vs);
    int steps = 2_000;
    long[] count = new long[set.size()];
    ProposerRotation r = ProposerRotation.initial(set);
    for (int t = 0; t < steps; t++) {
      r = r.next();
      count[r.proposer()]++;
      long sum = 0;
      for (long p : r.priorities()) {
        sum += p;
      }
      assertThat(sum).isZero();
    }
    for (int i = 0; i < set.size(); i++) {
      double expected = (double) steps * set.power(i) / set.totalPower();
      assertThat(Math.abs(count[i] - expected)).isLessThanOrEqualTo(set.size());
    }
  }

  @Test
  void equalPowersRoundRobin() {
    List<Validator> vs = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      vs.add(new Validator(Fixtures.KEYS.get(i).publicKey(), 10));
    }
    ProposerRotation r = ProposerRotation.initial(ValidatorSet.of(vs));
    List<Integer> order = new ArrayList<>();
    for (int t = 0; t < 8; t++) {
      r = r.next();
      order.add(r.proposer());
    }
    assertThat(order).containsExactly(0, 1, 2, 3, 0, 1, 2, 3);
  }
}
