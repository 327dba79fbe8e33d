package io.axivon.bench;

import com.sun.jna.Pointer;
import io.axivon.da.erasure.GfMatrix;
import io.axivon.da.erasure.IsaL;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * What the erasure benchmarks code, from a shape {@code k+m:shard bytes}: k random off-heap data
 * shards and m parity shards (64-byte aligned), and for a decode that loses the first {@code min(k,
 * m)} data shards, the survivors and the rows to rebuild; with ISA-L's {@code ec_encode_data} on
 * the same shards, byte ranges split over {@code threads} threads (it is absent without libisal2,
 * and its benchmarks then fail).
 */
final class ErasureShards implements AutoCloseable {
  final int k;
  final int m;
  final int len;
  final int[] present;
  final int[] missing;
  final MemorySegment[] data;
  final MemorySegment[] parity;
  final MemorySegment[] survivors;
  final MemorySegment[] rebuilt;
  private final int threads;
  private final Arena arena = Arena.ofShared();
  private final IsaL isal;
  private final byte[] encodeTables;
  private final byte[] decodeTables;
  private final ExecutorService pool;

  ErasureShards(String shape, int threads) {
    String[] km = shape.split("[+:]");
    k = Integer.parseInt(km[0]);
    m = Integer.parseInt(km[1]);
    len = Integer.parseInt(km[2]);
    this.threads = threads;
    int lost = Math.min(k, m);
    present = new int[k];
    missing = new int[lost];
    for (int i = 0; i < k; i++) {
      present[i] = lost + i;
    }
    for (int i = 0; i < lost; i++) {
      missing[i] = i;
    }
    MemorySegment[] shards = new MemorySegment[k + m];
    Random rnd = new Random(1);
    byte[] fill = new byte[len];
    for (int i = 0; i < k + m; i++) {
      shards[i] = arena.allocate(len, 64);
      rnd.nextBytes(fill);
      MemorySegment.copy(MemorySegment.ofArray(fill), 0, shards[i], 0, len);
    }
    data = Arrays.copyOfRange(shards, 0, k);
    parity = Arrays.copyOfRange(shards, k, k + m);
    survivors = Arrays.copyOfRange(shards, lost, lost + k);
    rebuilt = new MemorySegment[lost];
    for (int i = 0; i < lost; i++) {
      rebuilt[i] = arena.allocate(len, 64);
    }
    isal = IsaL.load().orElse(null);
    if (isal != null) {
      encodeTables = isal.encodeTables(k, m);
      decodeTables = isal.tables(k, lost, GfMatrix.decodeMatrix(k, m, present, missing));
    } else {
      encodeTables = null;
      decodeTables = null;
    }
    pool = threads > 1 ? Executors.newFixedThreadPool(threads - 1) : null;
  }

  /** ISA-L's encode of the data shards into the parity. */
  void isalEncode() throws InterruptedException, ExecutionException {
    isal(encodeTables, data, parity, m);
  }

  /** ISA-L's decode of the lost rows from the survivors. */
  void isalDecode() throws InterruptedException, ExecutionException {
    isal(decodeTables, survivors, rebuilt, missing.length);
  }

  /** ISA-L on byte ranges over the same number of threads as the Java coder. */
  private void isal(byte[] tables, MemorySegment[] in, MemorySegment[] out, int rows)
      throws InterruptedException, ExecutionException {
    if (isal == null) {
      throw new IllegalStateException("ISA-L not loaded: " + IsaL.unavailableReason());
    }
    int step = (len / threads + 63) / 64 * 64;
    List<Future<?>> futures = new ArrayList<>();
    for (int from = step; from < len; from += step) {
      int start = from;
      int n = Math.min(step, len - from);
      futures.add(pool.submit(() -> isalRange(tables, in, out, rows, start, n)));
    }
    isalRange(tables, in, out, rows, 0, Math.min(step, len));
    for (Future<?> f : futures) {
      f.get();
    }
  }

  private void isalRange(
      byte[] tables, MemorySegment[] in, MemorySegment[] out, int rows, int from, int n) {
    Pointer[] ip = new Pointer[in.length];
    for (int i = 0; i < in.length; i++) {
      ip[i] = new Pointer(in[i].address() + from);
    }
    Pointer[] op = new Pointer[rows];
    for (int i = 0; i < rows; i++) {
      op[i] = new Pointer(out[i].address() + from);
    }
    isal.encode(n, k, rows, tables, ip, op);
  }

  @Override
  public void close() {
    if (pool != null) {
      pool.shutdownNow();
    }
    arena.close();
  }
}
