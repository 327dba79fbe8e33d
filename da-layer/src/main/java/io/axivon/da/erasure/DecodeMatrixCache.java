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

  /** A matrix given whole (a caller's own, e.g. random parity checks), compared by content. */
  private record Given(byte[] matrix, int rows, int cols) {
    @Override
    public boolean equals(Object o) {
      return o instanceof Given other
          && rows == other.rows
          && cols == other.cols
          && Arrays.equals(matrix, other.matrix);
    }

    @Override
    public int hashCode() {
      return 31 * (31 * rows + cols) + Arrays.hashCode(matrix);
    }
  }

  private final Map<Key, CodingMatrix> entries;
  private final ErasureBackend backend;

  /** The last few given matrices: a caller multiplies many shard sets by the same one in a row. */
  private final Map<Given, CodingMatrix> given =
      new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Given, CodingMatrix> eldest) {
          return size() > 8;
        }
      };

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

  /** {@code matrix} (rows × cols) prepared for this cache's backend; the array is copied. */
  synchronized CodingMatrix get(byte[] matrix, int rows, int cols) {
    return given.computeIfAbsent(
        new Given(matrix.clone(), rows, cols), g -> backend.prepare(g.matrix(), rows, cols));
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
