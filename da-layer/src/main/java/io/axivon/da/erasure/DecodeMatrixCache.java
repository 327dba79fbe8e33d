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

  /**
   * Mirrors ISA-L's recovery: take the encoding rows of the k survivors, invert; a missing data
   * shard d is row d of the inverse, a missing parity shard p is encoding row p times the inverse.
   */
  private static byte[] build(Key key) {
    int k = key.k;
    byte[] encoding = GfMatrix.cauchyEncodingMatrix(k, key.m);
    byte[] b = new byte[k * k];
    for (int i = 0; i < k; i++) {
      System.arraycopy(encoding, key.survivors[i] * k, b, i * k, k);
    }
    byte[] inverse = GfMatrix.invert(b, k);
    if (inverse == null) {
      throw new IllegalStateException("singular decode matrix for " + key);
    }
    byte[] rows = new byte[key.missing.length * k];
    for (int i = 0; i < key.missing.length; i++) {
      int idx = key.missing[i];
      if (idx < k) {
        System.arraycopy(inverse, idx * k, rows, i * k, k);
      } else {
        byte[] row =
            GfMatrix.multiply(Arrays.copyOfRange(encoding, idx * k, idx * k + k), 1, k, inverse, k);
        System.arraycopy(row, 0, rows, i * k, k);
      }
    }
    return rows;
  }
}
