package io.axivon.bench;

import com.sun.jna.Pointer;
import io.axivon.da.erasure.GfMatrix;
import io.axivon.da.erasure.IsaL;
import io.axivon.da.erasure.ReedSolomon;
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
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Reed-Solomon encode and decode (min(k, m) lost data shards) on off-heap shards, the Java coder
 * beside ISA-L's {@code ec_encode_data} through JNA in the same run; both split byte ranges over
 * {@code threads} threads. Scores are operations per second: MB/s of data = score × k × shard size
 * / 10^6. The ISA-L benchmarks fail at setup when libisal2 is not installed.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 2)
@Fork(
    value = 1,
    jvmArgsAppend = {"--add-modules", "jdk.incubator.vector", "--enable-native-access=ALL-UNNAMED"})
public class ErasureBench {
  /** k+m:shard bytes. */
  @Param({"10+4:1048576", "16+16:1048576", "128+128:2048"})
  public String shape;

  @Param({"1", "2"})
  public int threads;

  private int k;
  private int m;
  private int len;
  private int[] present;
  private int[] missing;
  private Arena arena;
  private ReedSolomon coder;
  private MemorySegment[] data;
  private MemorySegment[] parity;
  private MemorySegment[] survivors;
  private MemorySegment[] rebuilt;
  private IsaL isal;
  private byte[] encodeTables;
  private byte[] decodeTables;
  private ExecutorService pool;

  @Setup(Level.Trial)
  public void setUp() {
    String[] km = shape.split("[+:]");
    k = Integer.parseInt(km[0]);
    m = Integer.parseInt(km[1]);
    len = Integer.parseInt(km[2]);
    int lost = Math.min(k, m);
    present = new int[k];
    missing = new int[lost];
    for (int i = 0; i < k; i++) {
      present[i] = lost + i;
    }
    for (int i = 0; i < lost; i++) {
      missing[i] = i;
    }
    arena = Arena.ofShared();
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
    // the CPU coder: with the cuda module on the class path a GPU would take the large shapes
    coder = new ReedSolomon(CudaErasureBench.bestCpuBackend(), threads);
    coder.encode(k, m, data, parity, len);
    isal = IsaL.load().orElse(null);
    if (isal != null) {
      encodeTables = isal.encodeTables(k, m);
      decodeTables = isal.tables(k, lost, GfMatrix.decodeMatrix(k, m, present, missing));
    }
    pool = threads > 1 ? Executors.newFixedThreadPool(threads - 1) : null;
  }

  @TearDown(Level.Trial)
  public void tearDown() {
    System.out.println("\nbackend: " + coder.backendName());
    coder.close();
    if (pool != null) {
      pool.shutdownNow();
    }
    arena.close();
  }

  @Benchmark
  public void encode() {
    coder.encode(k, m, data, parity, len);
  }

  @Benchmark
  public void decode() {
    coder.decode(k, m, present, survivors, missing, rebuilt, len);
  }

  @Benchmark
  public void isalEncode() throws Exception {
    isal(encodeTables, data, parity, m);
  }

  @Benchmark
  public void isalDecode() throws Exception {
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
}
