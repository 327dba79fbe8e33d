package io.axivon.common.crypto.vrf;

import static org.assertj.core.api.Assertions.assertThat;

import io.axivon.common.crypto.Hashes;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import org.apache.tuweni.bytes.Bytes;
import org.apache.tuweni.bytes.Bytes32;

/**
 * Sortition is pure: VRF outputs are modelled as sha256 values (what Vrf.output yields), which
 * keeps these properties fast. The frequency checks use fixed seed lists, so they are exact
 * regression tests, with bounds wide enough to hold for any fair implementation.
 */
class SortitionProperties {
  @Property
  void selectionIsDeterministicAndIndependentOfInputOrder(
      @ForAll("candidates") List<Sortition.Candidate> candidates,
      @ForAll @IntRange(min = 0, max = 12) int k,
      @ForAll long shuffleSeed) {
    List<Sortition.Candidate> selected = Sortition.select(candidates, k);
    assertThat(Sortition.select(candidates, k)).isEqualTo(selected);
    List<Sortition.Candidate> shuffled = new ArrayList<>(candidates);
    Collections.shuffle(shuffled, new Random(shuffleSeed));
    assertThat(Sortition.select(shuffled, k)).isEqualTo(selected);
  }

  @Property
  void zeroStakeIsNeverSelectedAndTheSizeIsExact(
      @ForAll("candidates") List<Sortition.Candidate> candidates,
      @ForAll @IntRange(min = 0, max = 12) int k) {
    List<Sortition.Candidate> selected = Sortition.select(candidates, k);
    long positive = candidates.stream().filter(c -> c.stake() > 0).count();
    assertThat(selected).hasSize((int) Math.min(k, positive));
    assertThat(selected).allMatch(c -> c.stake() > 0).doesNotHaveDuplicates();
    assertThat(candidates).containsAll(selected);
  }

  @Property
  void selectingMoreExtendsSelectingFewer(
      @ForAll("candidates") List<Sortition.Candidate> candidates,
      @ForAll @IntRange(min = 0, max = 6) int k) {
    List<Sortition.Candidate> more = Sortition.select(candidates, k + 3);
    assertThat(Sortition.select(candidates, k))
        .isEqualTo(more.subList(0, Math.min(k, more.size())));
  }

  @Property
  void weightedIndexIsInRangeDeterministicAndNeverPicksZeroStake(
      @ForAll("seeds") Bytes32 seed, @ForAll("stakeArrays") long[] stakes) {
    if (java.util.Arrays.stream(stakes).sum() == 0) {
      return;
    }
    int index = Sortition.weightedIndex(seed, stakes);
    assertThat(index).isBetween(0, stakes.length - 1);
    assertThat(stakes[index]).isPositive();
    assertThat(Sortition.weightedIndex(seed, stakes)).isEqualTo(index);
  }

  @Property(tries = 1)
  void firstSelectedIsChosenInProportionToStake() {
    long[] stakes = {1, 2, 3, 4, 0};
    int draws = 10_000;
    int[] counts = new int[stakes.length];
    for (int seed = 0; seed < draws; seed++) {
      List<Sortition.Candidate> candidates = new ArrayList<>();
      for (int i = 0; i < stakes.length; i++) {
        Bytes32 output =
            Hashes.sha256(
                Bytes.of(seed >>> 24, (seed >>> 16) & 0xff, (seed >>> 8) & 0xff, seed & 0xff, i));
        candidates.add(new Sortition.Candidate(Bytes.of(i), stakes[i], output));
      }
      counts[Sortition.select(candidates, 1).getFirst().id().get(0)]++;
    }
    assertProportional(counts, stakes, draws);
  }

  @Property(tries = 1)
  void weightedIndexChoosesInProportionToStake() {
    long[] stakes = {1, 2, 3, 4, 0};
    int draws = 10_000;
    int[] counts = new int[stakes.length];
    for (int seed = 0; seed < draws; seed++) {
      counts[Sortition.weightedIndex(Hashes.sha256(Bytes.ofUnsignedInt(seed)), stakes)]++;
    }
    assertProportional(counts, stakes, draws);
  }

  @Property(tries = 1)
  void withoutReplacementTheSmallStakeRisesInPairs() {
    // two members from stakes {1, 1, 8}: P(small one i in set) = P(first) + P(8 first)·1/2 +
    // P(other
    // small first)·1/9 = 0.1 + 0.4 + 0.0111 = 0.5111; with replacement it could not exceed 0.19
    long[] stakes = {1, 1, 8};
    int draws = 9_000;
    int containsZero = 0;
    for (int seed = 0; seed < draws; seed++) {
      List<Sortition.Candidate> candidates = new ArrayList<>();
      for (int i = 0; i < stakes.length; i++) {
        Bytes32 output = Hashes.sha256(Bytes.concatenate(Bytes.ofUnsignedInt(seed), Bytes.of(i)));
        candidates.add(new Sortition.Candidate(Bytes.of(i), stakes[i], output));
      }
      if (Sortition.select(candidates, 2).stream().anyMatch(c -> c.id().get(0) == 0)) {
        containsZero++;
      }
    }
    assertThat(containsZero).isBetween((int) (draws * 0.46), (int) (draws * 0.56));
  }

  private static void assertProportional(int[] counts, long[] stakes, int draws) {
    long total = java.util.Arrays.stream(stakes).sum();
    for (int i = 0; i < stakes.length; i++) {
      double expected = (double) draws * stakes[i] / total;
      // ±15 % plus a little: more than 5 standard deviations for every stake here
      assertThat((double) counts[i])
          .as("count of candidate %d (stake %d)", i, stakes[i])
          .isBetween(expected * 0.85 - 1, expected * 1.15 + 1);
    }
  }

  @Provide
  Arbitrary<List<Sortition.Candidate>> candidates() {
    Arbitrary<Sortition.Candidate> candidate =
        Combinators.combine(
                Arbitraries.integers().between(0, 40),
                Arbitraries.longs().between(0, 1_000_000),
                seeds())
            .as((id, stake, output) -> new Sortition.Candidate(Bytes.of(id), stake, output));
    return candidate.list().ofMaxSize(12).uniqueElements(Sortition.Candidate::id);
  }

  @Provide
  Arbitrary<Bytes32> seeds() {
    return Arbitraries.bytes().array(byte[].class).ofSize(32).map(Bytes32::wrap);
  }

  @Provide
  Arbitrary<long[]> stakeArrays() {
    return Arbitraries.longs()
        .between(0, 1L << 40)
        .array(long[].class)
        .ofMinSize(1)
        .ofMaxSize(10)
        .edgeCases(c -> c.add(new long[] {0, 1, 0}));
  }
}
