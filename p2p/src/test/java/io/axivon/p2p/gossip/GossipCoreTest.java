package io.axivon.p2p.gossip;

import static org.assertj.core.api.Assertions.assertThat;

import io.axivon.common.time.ManualClock;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.stream.IntStream;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

class GossipCoreTest {

  @Example
  void seenCacheRemembersUntilTheTtl() {
    ManualClock clock = new ManualClock(0);
    SeenCache<String> seen = new SeenCache<>(clock, Duration.ofSeconds(10), 100);
    assertThat(seen.add("a")).isTrue();
    assertThat(seen.add("a")).isFalse();
    clock.advance(Duration.ofSeconds(9));
    assertThat(seen.add("a")).isFalse();
    assertThat(seen.add("b")).isTrue();
    clock.advance(Duration.ofSeconds(1));
    assertThat(seen.contains("a")).isFalse();
    assertThat(seen.contains("b")).isTrue();
    assertThat(seen.add("a")).isTrue();
  }

  @Property
  void seenCacheIsBoundedAndAddIsTrueOncePerLiveId(
      @ForAll @Size(max = 300) List<@IntRange(min = 0, max = 50) Integer> ids,
      @ForAll @IntRange(min = 1, max = 40) int max) {
    ManualClock clock = new ManualClock(0);
    SeenCache<Integer> seen = new SeenCache<>(clock, Duration.ofMinutes(1), max);
    for (int id : ids) {
      boolean wasThere = seen.contains(id);
      assertThat(seen.add(id)).isEqualTo(!wasThere);
      assertThat(seen.size()).isLessThanOrEqualTo(max);
    }
  }

  @Property
  void fanOutPicksDistinctCandidatesUpToD(
      @ForAll @IntRange(min = 0, max = 30) int n,
      @ForAll @IntRange(min = 1, max = 10) int d,
      @ForAll long seed) {
    List<Integer> candidates = IntStream.range(0, n).boxed().toList();
    List<Integer> chosen = FanOut.choose(candidates, d, new Random(seed));
    assertThat(chosen).hasSize(Math.min(n, d));
    assertThat(new HashSet<>(chosen)).hasSize(chosen.size());
    assertThat(candidates).containsAll(chosen);
  }

  @Example
  void fanOutReachesEveryCandidateOverManyDraws() {
    List<Integer> candidates = IntStream.range(0, 10).boxed().toList();
    Random random = new Random(3);
    HashSet<Integer> hit = new HashSet<>();
    for (int i = 0; i < 100; i++) {
      hit.addAll(FanOut.choose(candidates, 2, random));
    }
    assertThat(hit).hasSize(10);
  }
}
