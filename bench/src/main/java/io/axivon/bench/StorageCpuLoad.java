package io.axivon.bench;

import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.function.Function;

/**
 * CPU time per upload and per download of {@link StorageBench}'s setup (client and nodes in this
 * JVM), user and system apart, from /proc ({@link ThreadCpu}): on a shared machine the CPU an
 * operation costs is steadier than its throughput. {@code bench/load StorageCpuLoad [--nodes 2]
 * [--mib 32] [--warmup 20] [--rounds 20] [--per-store 8]}; the reference is the file copy with
 * fsync of the same bytes, in the same run.
 */
public final class StorageCpuLoad {
  private StorageCpuLoad() {}

  @FunctionalInterface
  private interface Op {
    void run() throws Exception;
  }

  public static void main(String[] args) throws Exception {
    int nodes = 2;
    int mib = 32;
    int warmup = 20;
    int rounds = 20;
    int perStore = 8;
    for (int i = 0; i + 1 < args.length; i += 2) {
      int v = Integer.parseInt(args[i + 1]);
      switch (args[i]) {
        case "--nodes" -> nodes = v;
        case "--mib" -> mib = v;
        case "--warmup" -> warmup = v;
        case "--rounds" -> rounds = v;
        case "--per-store" -> perStore = v;
        default -> throw new IllegalArgumentException("unknown option " + args[i]);
      }
    }
    int n = nodes;
    int m = mib;
    Callable<StorageBench> fresh =
        () -> {
          StorageBench b = new StorageBench();
          b.nodes = n;
          b.mib = m;
          b.parallelism = 8;
          b.sharded = false;
          b.setUp();
          return b;
        };
    // every upload stores the whole file again on each node: fresh nodes every perStore uploads
    // keep the disk use bounded (LMDB never gives pages back to the file system)
    measure("upload", mib, warmup, rounds, perStore, fresh, b -> b::upload);
    measure("download", mib, warmup, rounds, rounds + warmup, fresh, b -> b::download);
    measure("copy+fsync", mib, 5, rounds, rounds + 5, fresh, b -> b::fileCopyReference);
  }

  /** Runs warmup then measured ops, {@code perStore} at most on one set of nodes. */
  private static void measure(
      String name,
      int mib,
      int warmup,
      int rounds,
      int perStore,
      Callable<StorageBench> fresh,
      Function<StorageBench, Op> opOf)
      throws Exception {
    Map<String, long[]> ticks = new TreeMap<>();
    long wall = 0;
    int done = 0;
    while (done < warmup + rounds) {
      StorageBench b = fresh.call();
      try {
        Op op = opOf.apply(b);
        for (int k = 0; k < perStore && done < warmup; k++, done++) {
          op.run();
        }
        int todo = Math.min(perStore, warmup + rounds - done);
        if (done >= warmup && todo > 0) {
          Map<String, long[]> c0 = ThreadCpu.read();
          long t0 = System.nanoTime();
          for (int k = 0; k < todo; k++, done++) {
            op.run();
          }
          wall += System.nanoTime() - t0;
          ThreadCpu.addSince(c0, ThreadCpu.read(), ticks);
        }
      } finally {
        b.tearDown();
      }
    }
    long[] process = ticks.remove(ThreadCpu.PROCESS);
    long user = process == null ? 0 : process[0];
    long sys = process == null ? 0 : process[1];
    long jit = ThreadCpu.jit(ticks);
    double secs = wall / 1e9 / rounds;
    System.out.printf(
        Locale.ROOT,
        "%-10s %d MiB: user %.0f ms, sys %.0f ms, total %.0f ms CPU per op (%.0f without the JIT"
            + " compiler); wall %.0f ms = %.0f MB/s%n",
        name,
        mib,
        user * 10.0 / rounds, // ticks of 10 ms
        sys * 10.0 / rounds,
        (user + sys) * 10.0 / rounds,
        (user + sys - jit) * 10.0 / rounds,
        secs * 1000,
        mib * 1.048576 / secs);
    Map<String, long[]> delta = new TreeMap<>();
    ticks.forEach(
        (k, v) -> {
          if (v[0] + v[1] >= rounds) { // at least 10 ms per op
            delta.put(k, v);
          }
        });
    delta.forEach(
        (k, v) ->
            System.out.printf(
                Locale.ROOT,
                "    %-28s user %4.0f ms, sys %4.0f ms%n",
                k,
                v[0] * 10.0 / rounds,
                v[1] * 10.0 / rounds));
  }
}
