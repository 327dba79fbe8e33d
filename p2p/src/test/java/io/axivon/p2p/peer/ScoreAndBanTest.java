package io.axivon.p2p.peer;

import static org.assertj.core.api.Assertions.assertThat;

import io.axivon.common.time.ManualClock;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class ScoreAndBanTest {

  @Test
  void penaltiesAddUpAndRecoverLinearlyToZero() {
    ManualClock clock = new ManualClock(0);
    ScoreBook<String> scores = new ScoreBook<>(clock, 2.0, 100);
    assertThat(scores.score("a")).isZero();
    assertThat(scores.penalize("a", 30)).isEqualTo(-30);
    assertThat(scores.penalize("a", 30)).isEqualTo(-60);
    clock.advance(Duration.ofSeconds(10));
    assertThat(scores.score("a")).isEqualTo(-40);
    clock.advance(Duration.ofSeconds(100));
    assertThat(scores.score("a")).isZero();
    assertThat(scores.size()).as("clean keys are forgotten").isZero();
  }

  @Test
  void scoreBookIsBounded() {
    ManualClock clock = new ManualClock(0);
    ScoreBook<Integer> scores = new ScoreBook<>(clock, 0, 3);
    for (int i = 0; i < 10; i++) {
      scores.penalize(i, 1);
    }
    assertThat(scores.size()).isEqualTo(3);
    assertThat(scores.score(9)).isEqualTo(-1);
    assertThat(scores.score(0)).isZero();
  }

  @Test
  void bansExpireOnTheClock() {
    ManualClock clock = new ManualClock(0);
    BanList<String> bans = new BanList<>(clock, 10);
    bans.ban("x", Duration.ofMinutes(5));
    assertThat(bans.isBanned("x")).isTrue();
    assertThat(bans.isBanned("y")).isFalse();
    clock.advance(Duration.ofMinutes(4));
    assertThat(bans.isBanned("x")).isTrue();
    clock.advance(Duration.ofMinutes(1));
    assertThat(bans.isBanned("x")).isFalse();
    assertThat(bans.size()).isZero();
  }

  @Test
  void banListIsBoundedDroppingTheOldest() {
    ManualClock clock = new ManualClock(0);
    BanList<Integer> bans = new BanList<>(clock, 2);
    bans.ban(1, Duration.ofMinutes(1));
    bans.ban(2, Duration.ofMinutes(1));
    bans.ban(3, Duration.ofMinutes(1));
    assertThat(bans.isBanned(1)).isFalse();
    assertThat(bans.isBanned(2)).isTrue();
    assertThat(bans.isBanned(3)).isTrue();
  }
}
