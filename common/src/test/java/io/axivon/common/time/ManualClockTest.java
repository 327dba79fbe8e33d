package io.axivon.common.time;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class ManualClockTest {
  @Test
  void advancesOnlyWhenTold() {
    ManualClock clock = new ManualClock(1_000);
    assertThat(clock.millis()).isEqualTo(1_000);
    clock.advance(Duration.ofMillis(250));
    assertThat(clock.millis()).isEqualTo(1_250);
    assertThat(clock.nanos()).isEqualTo(1_250_000_000L);
  }

  @Test
  void refusesToGoBack() {
    ManualClock clock = new ManualClock(0);
    assertThatThrownBy(() -> clock.advance(Duration.ofMillis(-1)))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
