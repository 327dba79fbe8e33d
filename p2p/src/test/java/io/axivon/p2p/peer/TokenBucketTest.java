package io.axivon.p2p.peer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.axivon.common.time.ManualClock;
import java.time.Duration;
import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

class TokenBucketTest {

  @Test
  void burstThenRefillAtTheRate() {
    ManualClock clock = new ManualClock(0);
    TokenBucket bucket = new TokenBucket(clock, 10, 5);
    for (int i = 0; i < 5; i++) {
      assertThat(bucket.tryTake(1)).isTrue();
    }
    assertThat(bucket.tryTake(1)).isFalse();
    clock.advance(Duration.ofMillis(100));
    assertThat(bucket.tryTake(1)).isTrue();
    assertThat(bucket.tryTake(1)).isFalse();
    clock.advance(Duration.ofSeconds(100));
    assertThat(bucket.available()).isEqualTo(5); // capped at capacity
  }

  @Test
  void aTakeLargerThanWhatIsThereTakesNothing() {
    ManualClock clock = new ManualClock(0);
    TokenBucket bucket = new TokenBucket(clock, 1, 10);
    assertThat(bucket.tryTake(11)).isFalse();
    assertThat(bucket.available()).isEqualTo(10);
    assertThatThrownBy(() -> new TokenBucket(clock, 0, 1))
        .isInstanceOf(IllegalArgumentException.class);
  }

  /** Over any schedule, granted tokens never exceed the capacity plus rate times elapsed time. */
  @Property
  void neverGrantsMoreThanCapacityPlusRefill(
      @ForAll @Size(max = 50) List<@IntRange(min = 0, max = 500) Integer> stepsMillis,
      @ForAll @IntRange(min = 1, max = 1000) int rate,
      @ForAll @IntRange(min = 1, max = 100) int capacity) {
    ManualClock clock = new ManualClock(0);
    TokenBucket bucket = new TokenBucket(clock, rate, capacity);
    long granted = 0;
    long elapsedMillis = 0;
    for (int step : stepsMillis) {
      clock.advance(Duration.ofMillis(step));
      elapsedMillis += step;
      while (bucket.tryTake(1)) {
        granted++;
      }
    }
    assertThat(granted)
        .isLessThanOrEqualTo(capacity + (long) Math.ceil(rate * elapsedMillis / 1000.0));
  }
}
