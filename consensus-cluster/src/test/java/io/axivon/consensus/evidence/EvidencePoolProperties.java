package io.axivon.consensus.evidence;

import static org.assertj.core.api.Assertions.assertThat;

import io.axivon.consensus.sim.SimKeys;
import io.axivon.consensus.types.Evidence;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/** Random add / commit / prune sequences with a clock that only moves forward. */
class EvidencePoolProperties {
  static final long MAX_AGE = 5;

  record Op(int kind, int validator, int height, int advance) {}

  @Provide
  Arbitrary<List<Op>> ops() {
    return Combinators.combine(
            Arbitraries.integers().between(0, 2),
            Arbitraries.integers().between(0, 3),
            Arbitraries.integers().between(1, 30),
            Arbitraries.integers().between(0, 3))
        .as(Op::new)
        .list()
        .ofMaxSize(60);
  }

  @Property(tries = 200)
  void committedNeverReturnsAndPendingStaysFreshAndUnique(@ForAll("ops") List<Op> ops) {
    EvidencePool pool =
        new EvidencePool(
            EvidencePoolTest.CHAIN,
            MAX_AGE,
            h -> Optional.of(EvidencePoolTest.SET),
            SimKeys.VERIFIER);
    Set<Evidence> committed = new HashSet<>();
    long now = 1;
    for (Op op : ops) {
      now += op.advance();
      Evidence e = EvidencePoolTest.equivocation(op.validator(), op.height(), 0);
      switch (op.kind()) {
        case 0 -> {
          EvidencePool.AddResult r = pool.add(e, now);
          if (committed.contains(e) && !(now - op.height() > MAX_AGE)) {
            assertThat(r).isInstanceOf(EvidencePool.AddResult.Duplicate.class);
          }
          if (op.height() > now) {
            assertThat(r)
                .isInstanceOfAny(
                    EvidencePool.AddResult.NotYet.class, EvidencePool.AddResult.Duplicate.class);
          } else if (now - op.height() > MAX_AGE) {
            assertThat(r)
                .isInstanceOfAny(
                    EvidencePool.AddResult.Expired.class, EvidencePool.AddResult.Duplicate.class);
          }
          if (r instanceof EvidencePool.AddResult.Added) {
            assertThat(committed).doesNotContain(e);
          }
        }
        case 1 -> {
          pool.markCommitted(e);
          committed.add(e);
        }
        default -> {
          pool.prune(now);
          for (Evidence p : pool.pending(Integer.MAX_VALUE)) {
            assertThat(now - p.first().height()).isLessThanOrEqualTo(MAX_AGE);
          }
        }
      }
      List<Evidence> pending = pool.pending(Integer.MAX_VALUE);
      assertThat(pending).doesNotHaveDuplicates();
      for (Evidence p : pending) {
        assertThat(committed).doesNotContain(p);
      }
      assertThat(pending).hasSize(pool.size());
      for (int i = 1; i < pending.size(); i++) {
        assertThat(pending.get(i).first().height())
            .isGreaterThanOrEqualTo(pending.get(i - 1).first().height());
      }
    }
  }
}
