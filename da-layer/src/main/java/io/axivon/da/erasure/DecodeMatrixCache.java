package io.axivon.da.erasure;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A bounded LRU of decode matrices by (k, m, survivors, missing): inverting a k × k matrix costs
 * O(k^3), which at k = 128 is far more than decoding a small shard, and a DA layer sees the same
 * erasure patterns again and again.
 */
final class DecodeMatrixCache {
  record Key(int k, int m, int[] survivors, int[] missing) {
    @Override
    public boolean equals(Object o) {
      return o instanceof Key other
          && k == other.k
          && m == other.m
          && Arrays.equals(survivors, other.survivors)
          && Arrays.equals(missing, other.missing);
    }

    @Override
    public int hashCode() {
      return 31 * (31 * (31 * k + m) + Arrays.hashCode(survivors)) + Arrays.hashCode(missing);
    }

    @Override
    public String toString() {
      return "Key[k=" + k + ", m=" + m + ", survivors=" + Arrays.toString(survivors) + "]";
    }
  }

  private final Map<Key, byte[]> entries;

  DecodeMatrixCache(int capacity) {
    this.entries =
        new LinkedHashMap<>(16, 0.75f, true) {
          @Override
          protected boolean removeEldestEntry(Map.Entry<Key, byte[]> eldest) {
            return size() > capacity;
          }
        };
  }

  /** The rows that turn the k survivors into the missing shards. */
  synchronized byte[] get(Key key) {
    return entries.computeIfAbsent(key, DecodeMatrixCache::build);
  }

  synchronized int size() {
    return entries.size();
  }

  private static byte[] build(Key key) {
    return GfMatrix.decodeMatrix(key.k, key.m, key.survivors, key.missing);
  }
}
