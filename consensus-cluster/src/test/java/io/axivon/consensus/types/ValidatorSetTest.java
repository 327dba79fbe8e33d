package io.axivon.consensus.types;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class ValidatorSetTest {
  private static Validator v(int key, long power) {
    return new Validator(Fixtures.KEYS.get(key).publicKey(), power);
  }

  @Test
  void sortsByPowerThenKeyAndCountsPower() {
    ValidatorSet s = ValidatorSet.of(List.of(v(0, 1), v(1, 5), v(2, 3)));
    assertThat(s.validators()).extracting(Validator::power).containsExactly(5L, 3L, 1L);
    assertThat(s.totalPower()).isEqualTo(9);
    assertThat(s.indexOf(Fixtures.KEYS.get(0).publicKey())).isEqualTo(2);
    assertThat(s.indexOf(Fixtures.KEYS.get(7).publicKey())).isEqualTo(-1);
  }

  @Test
  void quorumIsMoreThanTwoThirds() {
    ValidatorSet s = ValidatorSet.of(List.of(v(0, 1), v(1, 1), v(2, 1)));
    assertThat(s.isQuorum(2)).isFalse();
    assertThat(s.isQuorum(3)).isTrue();
    assertThat(s.quorumPower()).isEqualTo(3);
    ValidatorSet four = ValidatorSet.of(List.of(v(0, 1), v(1, 1), v(2, 1), v(3, 1)));
    assertThat(four.isQuorum(2)).isFalse();
    assertThat(four.isQuorum(3)).isTrue();
    assertThat(four.isOneThird(1)).isFalse();
    assertThat(four.isOneThird(2)).isTrue();
    assertThat(four.quorumPower()).isEqualTo(3);
  }

  @Test
  void rejectsNonCanonicalOrderAndDuplicates() {
    assertThatThrownBy(() -> new ValidatorSet(List.of(v(0, 1), v(1, 5))))
        .hasMessageContaining("canonical order");
    assertThatThrownBy(() -> ValidatorSet.of(List.of(v(0, 1), v(0, 2))))
        .hasMessageContaining("repeated");
    assertThatThrownBy(() -> v(0, 0)).hasMessageContaining("power");
    assertThatThrownBy(() -> new ValidatorSet(List.of())).hasMessageContaining("empty");
  }
}
