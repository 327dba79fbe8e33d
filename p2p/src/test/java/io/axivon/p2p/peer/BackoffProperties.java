package io.axivon.p2p.peer;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Random;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

class BackoffProperties {

  @Property
  void delayIsTheCappedDoublingTimesAJitterFactor(
      @ForAll @IntRange(min = 1, max = 1000) int baseMillis,
      @ForAll @IntRange(min = 1, max = 100) int maxFactor,
      @ForAll @IntRange(min = 0, max = 200) int failures,
      @ForAll long seed) {
    Duration base = Duration.ofMillis(baseMillis);
    Duration max = base.multipliedBy(maxFactor);
    Duration delay = new Backoff(base, max, new Random(seed)).delay(failures);
    if (failures == 0) {
      assertThat(delay).isZero();
      return;
    }
    double raw = Math.min(max.toNanos(), base.toNanos() * Math.pow(2, Math.min(failures - 1, 62)));
    assertThat((double) delay.toNanos()).isBetween(0.5 * raw - 1, 1.5 * raw);
  }

  @Example
  void sameSeedSameDelays() {
    Backoff a = new Backoff(Duration.ofMillis(100), Duration.ofSeconds(60), new Random(5));
    Backoff b = new Backoff(Duration.ofMillis(100), Duration.ofSeconds(60), new Random(5));
    for (int i = 1; i < 20; i++) {
      assertThat(a.delay(i)).isEqualTo(b.delay(i));
    }
  }
}
