package io.axivon.common.crypto.vrf;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.axivon.common.InvalidInputException;
import io.axivon.common.crypto.Hashes;
import io.axivon.common.crypto.bls.BlsSecretKey;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.apache.tuweni.bytes.Bytes;
import org.apache.tuweni.bytes.Bytes32;
import org.junit.jupiter.api.Test;

class SortitionTest {
  private static final BigInteger ONE = BigInteger.ONE.shiftLeft(Sortition.LOG_FRACTION_BITS);

  @Test
  void workedExampleOfTheSpec() {
    // specs/vrf.md, "Worked example": four keys, stakes 10..40, epoch 7
    long[] stakes = {10, 20, 30, 40};
    String[] outputs = {
      "0x43c5436b2edcc34d6f5d5b174ba06242fb4d47a5f9137d908c64ad46a95df4cd",
      "0xba909b8e5b1471b88877165816bad7ce54fb90ad52129efa66e019e9b929de58",
      "0x221fb2d50c28b6ef46a62b82bb0e78d64054883afb4e7be52ca5c487578ba213",
      "0xb0b20f3e185fe3ef4f52313327532c94aa927ef048b38e5aba941fe7b4aaf71a",
    };
    long[] raceKeys = {539703839431400L, 128483877428108L, 818330128217283L, 150554813031792L};
    List<Sortition.Candidate> candidates = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      BlsSecretKey key = BlsSecretKey.keyGen(Bytes.repeat((byte) (i + 1), 32));
      Bytes32 output = Vrf.prove(key, VrfTest.DOMAIN, VrfTest.EPOCH_7).output();
      assertThat(output.toHexString()).isEqualTo(outputs[i]);
      assertThat(Sortition.raceKey(output)).isEqualTo(BigInteger.valueOf(raceKeys[i]));
      candidates.add(new Sortition.Candidate(Bytes.of(i + 1), stakes[i], output));
    }
    assertThat(ids(Sortition.select(candidates, 2))).containsExactly("0x04", "0x02");
    assertThat(ids(Sortition.select(candidates, 10)))
        .containsExactly("0x04", "0x02", "0x03", "0x01");

    Bytes32 seed = Hashes.sha256(Bytes.wrap("axivon".getBytes(StandardCharsets.US_ASCII)));
    assertThat(seed.toHexString())
        .isEqualTo("0x15af97de26d57e025f58a939254353143b2aa1d06b727c46b15631f4a1d3f950");
    assertThat(Sortition.weightedIndex(seed, stakes)).isEqualTo(1);
  }

  @Test
  void fixedPointLogarithmIsExactOnPowersOfTwoAndCloseElsewhere() {
    assertThat(Sortition.log2Fixed(BigInteger.ONE)).isZero();
    assertThat(Sortition.log2Fixed(BigInteger.TWO)).isEqualTo(ONE);
    assertThat(Sortition.log2Fixed(BigInteger.ONE.shiftLeft(64)))
        .isEqualTo(ONE.multiply(BigInteger.valueOf(64)));
    for (long y : new long[] {3, 5, 7, 1000, 123456789, Long.MAX_VALUE}) {
      double expected = Math.log(y) / Math.log(2);
      double actual = Sortition.log2Fixed(BigInteger.valueOf(y)).doubleValue() / ONE.doubleValue();
      assertThat(actual).isCloseTo(expected, org.assertj.core.data.Offset.offset(1e-9));
      assertThat(actual).isLessThanOrEqualTo(expected + 1e-15);
    }
  }

  @Test
  void raceKeyIsZeroForTheLargestOutputAnd64ForTheSmallest() {
    assertThat(Sortition.raceKey(Bytes32.wrap(Bytes.repeat((byte) 0xff, 32)))).isZero();
    assertThat(Sortition.raceKey(Bytes32.ZERO)).isEqualTo(ONE.multiply(BigInteger.valueOf(64)));
  }

  @Test
  void equalKeysAreOrderedByIdAsUnsignedBytes() {
    Bytes32 same = Bytes32.fromHexString("0x1234");
    List<Sortition.Candidate> candidates =
        List.of(
            new Sortition.Candidate(Bytes.of(0x80), 5, same),
            new Sortition.Candidate(Bytes.of(0x7f, 0x00), 5, same),
            new Sortition.Candidate(Bytes.of(0x7f), 5, same));
    assertThat(ids(Sortition.select(candidates, 3))).containsExactly("0x7f", "0x7f00", "0x80");
  }

  @Test
  void selectRejectsBadInput() {
    Bytes32 out = Bytes32.ZERO;
    assertThatThrownBy(() -> new Sortition.Candidate(Bytes.of(1), -1, out))
        .isInstanceOf(InvalidInputException.class)
        .hasMessage("candidate 0x01 has negative stake -1");
    assertThatThrownBy(
            () ->
                Sortition.select(
                    List.of(
                        new Sortition.Candidate(Bytes.of(1), 1, out),
                        new Sortition.Candidate(Bytes.of(1), 2, out)),
                    1))
        .isInstanceOf(InvalidInputException.class)
        .hasMessage("duplicate candidate id 0x01");
    assertThatThrownBy(() -> Sortition.select(List.of(), -1))
        .isInstanceOf(InvalidInputException.class)
        .hasMessage("number of members to select must be ≥ 0, got -1");
    assertThat(Sortition.select(List.of(new Sortition.Candidate(Bytes.of(1), 0, out)), 1))
        .isEmpty();
  }

  @Test
  void weightedIndexRejectsBadInput() {
    Bytes32 seed = Bytes32.ZERO;
    assertThatThrownBy(() -> Sortition.weightedIndex(seed, new long[0]))
        .isInstanceOf(InvalidInputException.class)
        .hasMessage("weightedIndex needs a seed and at least one stake");
    assertThatThrownBy(() -> Sortition.weightedIndex(seed, new long[] {0, 0}))
        .isInstanceOf(InvalidInputException.class)
        .hasMessage("total stake is zero: nothing to choose from");
    assertThatThrownBy(() -> Sortition.weightedIndex(seed, new long[] {1, -1}))
        .isInstanceOf(InvalidInputException.class)
        .hasMessage("stake 1 is negative: -1");
    assertThatThrownBy(() -> Sortition.weightedIndex(seed, new long[] {Long.MAX_VALUE, 1}))
        .isInstanceOf(InvalidInputException.class)
        .hasMessage("total stake exceeds 2^63 - 1");
    assertThat(Sortition.weightedIndex(seed, new long[] {0, Long.MAX_VALUE, 0})).isEqualTo(1);
  }

  @Test
  void weightedIndexRejectsTheBiasedTailAndDrawsAgain() {
    // with total = 2^63 - 1, 2^64 mod total = 2: x in {2^64 - 2, 2^64 - 1} must be redrawn. Find a
    // seed whose first draw lands in the accepted region and check the result is x mod total.
    long[] stakes = {Long.MAX_VALUE / 2, Long.MAX_VALUE - Long.MAX_VALUE / 2};
    Bytes32 seed = Bytes32.fromHexString("0x01");
    Bytes32 h = Hashes.sha256(Bytes.concatenate(seed, Bytes.ofUnsignedLong(0)));
    BigInteger x = h.slice(0, 8).toUnsignedBigInteger();
    BigInteger r = x.mod(BigInteger.valueOf(Long.MAX_VALUE));
    int expected = r.compareTo(BigInteger.valueOf(stakes[0])) < 0 ? 0 : 1;
    assertThat(Sortition.weightedIndex(seed, stakes)).isEqualTo(expected);
  }

  private static List<String> ids(List<Sortition.Candidate> selected) {
    return selected.stream().map(c -> c.id().toHexString()).toList();
  }
}
