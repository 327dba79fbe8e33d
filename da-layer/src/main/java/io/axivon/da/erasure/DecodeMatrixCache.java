package io.axivon.da.erasure;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A bounded LRU of prepared coding matrices: decode matrices by (k, m, survivors, missing) and
 * encode matrices by (k, m). Inverting a k × k matrix costs O(k^3) and expanding it into a
 * backend's tables more again, which at k = 128 is far more than coding a 2 KiB shard, and a DA
 * layer sees the same shapes and erasure patterns again and again.
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

  private final Map<Key, CodingMatrix> entries;
  private final ErasureBackend backend;

  DecodeMatrixCache(ErasureBackend backend, int capacity) {
    this.backend = backend;
    this.entries =
        new LinkedHashMap<>(16, 0.75f, true) {
          @Override
          protected boolean removeEldestEntry(Map.Entry<Key, CodingMatrix> eldest) {
            return size() > capacity;
          }
        };
  }

  /**
   * The prepared rows that turn the k survivors into the missing shards; with null survivors, the
   * parity rows of the encoding matrix.
   */
  synchronized CodingMatrix get(Key key) {
    return entries.computeIfAbsent(key, this::build);
  }

  synchronized int size() {
    return entries.size();
  }

  private CodingMatrix build(Key key) {
    int k = key.k;
    byte[] rows;
    if (key.survivors == null) {
      rows = Arrays.copyOfRange(GfMatrix.cauchyEncodingMatrix(k, key.m), k * k, (k + key.m) * k);
    } else {
      rows = GfMatrix.decodeMatrix(k, key.m, key.survivors, key.missing);
    }
    return backend.prepare(rows, rows.length / k, k);
  }
}
