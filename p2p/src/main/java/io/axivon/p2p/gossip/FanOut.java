package io.axivon.p2p.gossip;

import java.util.ArrayList;
import java.util.List;
import java.util.random.RandomGenerator;

/** Picks the peers a gossip message is forwarded to: a uniform random subset of at most d. */
public final class FanOut {
  private FanOut() {}

  public static <T> List<T> choose(List<T> candidates, int d, RandomGenerator random) {
    if (candidates.size() <= d) {
      return List.copyOf(candidates);
    }
    List<T> pool = new ArrayList<>(candidates);
    // partial Fisher-Yates: the first d slots end up a uniform sample without replacement
    for (int i = 0; i < d; i++) {
      int j = i + random.nextInt(pool.size() - i);
      T tmp = pool.get(i);
      pool.set(i, pool.get(j));
      pool.set(j, tmp);
    }
    return List.copyOf(pool.subList(0, d));
  }
}
