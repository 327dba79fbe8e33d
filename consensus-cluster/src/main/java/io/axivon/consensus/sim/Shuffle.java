package io.axivon.consensus.sim;

import java.util.ArrayList;
import java.util.List;
import java.util.random.RandomGenerator;

/** Seeded permutations for the simulators: the same seed draws the same order, run after run. */
final class Shuffle {
  private Shuffle() {}

  /**
   * 0..n-1 in an order drawn from {@code random} (Fisher-Yates from the end; written out rather
   * than {@code Collections.shuffle} so the draws a seed makes are fixed by this code, not by the
   * JDK's).
   */
  static List<Integer> indices(int n, RandomGenerator random) {
    List<Integer> order = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      order.add(i);
    }
    for (int i = n - 1; i > 0; i--) {
      int j = random.nextInt(i + 1);
      int t = order.get(i);
      order.set(i, order.get(j));
      order.set(j, t);
    }
    return order;
  }
}
