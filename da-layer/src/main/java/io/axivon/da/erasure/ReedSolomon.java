package io.axivon.da.erasure;

import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.IntFunction;

/**
 * The {@link ErasureCoder} on one {@link ErasureBackend}, or on an offload backend (a GPU) with a
 * CPU backend for the shapes it does not {@link ErasureBackend#prefers prefer} (see {@link
 * #create}). Large shards are split into byte ranges that run on {@code threads} threads (the
 * caller's plus a pool of threads - 1); small ones run on the caller's thread alone, and an offload
 * backend gets whole calls. With more than one thread, off-heap segments must come from an arena
 * other threads may read (shared, global or automatic), not a confined one.
 */
public final class ReedSolomon implements ErasureCoder {
  /** Ranges are multiples of this so every thread but the last works on whole vectors. */
  private static final int ALIGN = 256;

  /** Below this many input bytes per thread, the hand-off costs more than it saves. */
  private static final long MIN_INPUT_BYTES_PER_THREAD = 64 * 1024;

  /** Candidates in order of preference; the last takes every shape. */
  private final List<ErasureBackend> backends;

  private final int threads;
  private final ExecutorService pool;

  /** One cache per candidate: each backend expands matrices its own way. */
  private final List<DecodeMatrixCache> matrices;

  /** A coder on {@code backend} alone, for every shape, using {@code threads} threads. */
  public ReedSolomon(ErasureBackend backend, int threads) {
    this(List.of(backend), threads);
  }

  /**
   * A coder that runs each call on the first of {@code backends} that {@link ErasureBackend#prefers
   * prefers} its shape, or on the last one; {@code threads} threads (1 = the caller's only) for the
   * backends that are not offload ones.
   */
  public ReedSolomon(List<ErasureBackend> backends, int threads) {
    if (threads < 1) {
      throw new IllegalArgumentException("threads must be at least 1, got " + threads);
    }
    if (backends.isEmpty()) {
      throw new IllegalArgumentException("no erasure backend given");
    }
    this.backends = List.copyOf(backends);
    this.threads = threads;
    List<DecodeMatrixCache> caches = new ArrayList<>();
    for (ErasureBackend b : this.backends) {
      caches.add(new DecodeMatrixCache(b, 256));
    }
    this.matrices = List.copyOf(caches);
    this.pool =
        threads == 1
            ? null
            : Executors.newFixedThreadPool(
                threads - 1, Thread.ofPlatform().daemon().name("erasure-", 0).factory());
  }

  /**
   * A coder on {@link ErasureBackends#automatic()}: the best CPU backend, behind a GPU for the
   * shapes large enough to win when one is present, or the backend the system property {@value
   * ErasureBackends#BACKEND_PROPERTY} names.
   */
  public static ReedSolomon create(int threads) {
    return new ReedSolomon(ErasureBackends.automatic(), threads);
  }

  /** The backend's name, or the candidates' joined by {@code +} (e.g. {@code cuda+vector-512}). */
  @Override
  public String backendName() {
    return String.join("+", backends.stream().map(ErasureBackend::name).toList());
  }

  public int threads() {
    return threads;
  }

  @Override
  public void encode(int k, int m, byte[][] data, byte[][] parity, int len) {
    encode(k, m, segments(data, k, len, "data"), segments(parity, m, len, "parity"), len);
  }

  @Override
  public void encode(int k, int m, MemorySegment[] data, MemorySegment[] parity, long len) {
    Shape.check(k, m);
    checkSegments(data, k, len, "data");
    checkSegments(parity, m, len, "parity");
    run(new DecodeMatrixCache.Key(k, m, null, null), m, k, data, parity, len);
  }

  @Override
  public void decode(
      int k, int m, int[] present, byte[][] shards, int[] missing, byte[][] out, int len) {
    decode(
        k,
        m,
        present,
        segments(shards, present.length, len, "shards"),
        missing,
        segments(out, missing.length, len, "out"),
        len);
  }

  @Override
  public void decode(
      int k,
      int m,
      int[] present,
      MemorySegment[] shards,
      int[] missing,
      MemorySegment[] out,
      long len) {
    Shape.check(k, m);
    if (present.length < k) {
      throw new IllegalArgumentException(
          "need at least k = " + k + " shards to decode, got " + present.length);
    }
    if (shards.length != present.length) {
      throw new IllegalArgumentException(
          "shards has " + shards.length + " entries for " + present.length + " indices");
    }
    checkSegments(shards, present.length, len, "shards");
    checkSegments(out, missing.length, len, "out");
    // the k lowest present indices survive, as in ISA-L's examples
    boolean[] seen = new boolean[k + m];
    for (int i = 0; i < present.length; i++) {
      checkIndex(present[i], k, m, "present");
      if (seen[present[i]]) {
        throw new IllegalArgumentException("shard " + present[i] + " is present twice");
      }
      seen[present[i]] = true;
    }
    for (int idx : missing) {
      checkIndex(idx, k, m, "missing");
    }
    Integer[] sorted = new Integer[present.length];
    for (int i = 0; i < present.length; i++) {
      sorted[i] = i;
    }
    Arrays.sort(sorted, (a, b) -> Integer.compare(present[a], present[b]));
    int[] survivors = new int[k];
    MemorySegment[] in = new MemorySegment[k];
    for (int i = 0; i < k; i++) {
      survivors[i] = present[sorted[i]];
      in[i] = shards[sorted[i]];
    }
    if (missing.length == 0) {
      return;
    }
    run(
        new DecodeMatrixCache.Key(k, m, survivors, missing.clone()),
        missing.length,
        k,
        in,
        out,
        len);
  }

  @Override
  public void multiply(
      byte[] matrix, int rows, int cols, MemorySegment[] in, MemorySegment[] out, long len) {
    if (rows < 1 || cols < 1 || rows > 256 || cols > 256) {
      throw new IllegalArgumentException(
          "a matrix of " + rows + " × " + cols + " is outside 1..256 × 1..256");
    }
    if (matrix.length != rows * cols) {
      throw new IllegalArgumentException(
          "matrix has " + matrix.length + " entries, not " + rows + " × " + cols);
    }
    checkSegments(in, cols, len, "in");
    checkSegments(out, rows, len, "out");
    run(rows, cols, in, out, len, i -> matrices.get(i).get(matrix, rows, cols));
  }

  @Override
  public void reconstruct(int k, int m, byte[][] shards, int len) {
    Shape.check(k, m);
    if (shards.length != k + m) {
      throw new IllegalArgumentException(
          "expected k + m = " + (k + m) + " shard slots, got " + shards.length);
    }
    List<Integer> present = new ArrayList<>();
    List<Integer> missing = new ArrayList<>();
    for (int i = 0; i < shards.length; i++) {
      (shards[i] != null ? present : missing).add(i);
    }
    if (missing.isEmpty()) {
      return;
    }
    int[] presentIdx = present.stream().mapToInt(Integer::intValue).toArray();
    int[] missingIdx = missing.stream().mapToInt(Integer::intValue).toArray();
    byte[][] in = new byte[presentIdx.length][];
    for (int i = 0; i < presentIdx.length; i++) {
      in[i] = shards[presentIdx[i]];
    }
    byte[][] out = new byte[missingIdx.length][len];
    decode(k, m, presentIdx, in, missingIdx, out, len);
    for (int i = 0; i < missingIdx.length; i++) {
      shards[missingIdx[i]] = out[i];
    }
  }

  @Override
  public void close() {
    if (pool != null) {
      pool.shutdownNow();
    }
  }

  private void run(
      DecodeMatrixCache.Key key,
      int rows,
      int cols,
      MemorySegment[] in,
      MemorySegment[] out,
      long len) {
    run(rows, cols, in, out, len, i -> matrices.get(i).get(key));
  }

  private void run(
      int rows,
      int cols,
      MemorySegment[] in,
      MemorySegment[] out,
      long len,
      IntFunction<CodingMatrix> prepared) {
    int chosen = backends.size() - 1;
    for (int i = 0; i < chosen; i++) {
      if (backends.get(i).prefers(rows, cols, len)) {
        chosen = i;
        break;
      }
    }
    ErasureBackend backend = backends.get(chosen);
    CodingMatrix matrix = prepared.apply(chosen); // the chosen backend's own expanded form
    int parts = (int) Math.min(threads, Math.max(1, len * cols / MIN_INPUT_BYTES_PER_THREAD));
    if (parts <= 1 || len < 2L * ALIGN || backend.offload()) {
      backend.multiply(matrix, in, out, 0, len);
      return;
    }
    long step = (len / parts + ALIGN - 1) / ALIGN * ALIGN;
    List<Future<?>> futures = new ArrayList<>(parts - 1);
    for (long from = step; from < len; from += step) {
      long start = from;
      long end = Math.min(len, from + step);
      futures.add(pool.submit(() -> backend.multiply(matrix, in, out, start, end)));
    }
    backend.multiply(matrix, in, out, 0, Math.min(step, len));
    for (Future<?> f : futures) {
      try {
        f.get();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while coding", e);
      } catch (ExecutionException e) {
        throw new IllegalStateException("erasure coding failed", e.getCause());
      }
    }
  }

  private static void checkIndex(int idx, int k, int m, String what) {
    if (idx < 0 || idx >= k + m) {
      throw new IllegalArgumentException(what + " index " + idx + " is outside 0.." + (k + m - 1));
    }
  }

  private static MemorySegment[] segments(byte[][] arrays, int expected, long len, String what) {
    if (arrays.length < expected) {
      throw new IllegalArgumentException(
          what + " has " + arrays.length + " shards, expected " + expected);
    }
    MemorySegment[] s = new MemorySegment[expected];
    for (int i = 0; i < expected; i++) {
      if (arrays[i] == null) {
        throw new IllegalArgumentException(what + " shard " + i + " is null");
      }
      s[i] = MemorySegment.ofArray(arrays[i]);
    }
    return s;
  }

  private static void checkSegments(MemorySegment[] s, int expected, long len, String what) {
    if (len < 0) {
      throw new IllegalArgumentException("len must not be negative, got " + len);
    }
    if (s.length < expected) {
      throw new IllegalArgumentException(
          what + " has " + s.length + " shards, expected " + expected);
    }
    for (int i = 0; i < expected; i++) {
      if (s[i] == null || s[i].byteSize() < len) {
        throw new IllegalArgumentException(
            what + " shard " + i + " is shorter than len = " + len + " bytes");
      }
    }
  }
}
