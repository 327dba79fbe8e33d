package io.axivon.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.function.Function;
import java.util.stream.Stream;

/**
 * CPU time per upload and per download of {@link StorageBench}'s setup (client and nodes in this
 * JVM), user and system apart, from /proc/self/stat: on a shared machine the CPU an operation costs
 * is steadier than its throughput. {@code bench/load StorageCpuLoad [--nodes 2] [--mib 32]
 * [--warmup 20] [--rounds 20] [--per-store 8]}; the reference is the file copy with fsync of the
 * same bytes, in the same run.
 */
public final class StorageCpuLoad {
  private StorageCpuLoad() {}

  /** user and system CPU of this process, in clock ticks (USER_HZ, 100 per second on Linux). */
  private record Cpu(long user, long sys) {
    static Cpu now() throws IOException {
      String stat = Files.readString(Path.of("/proc/self/stat"));
      // fields after the command name, which is in parentheses and may hold spaces
      String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
      return new Cpu(Long.parseLong(f[11]), Long.parseLong(f[12]));
    }
  }

  /** CPU ticks [user, sys] per thread kind (the thread name without digits). */
  private static Map<String, long[]> byThread() throws IOException {
    Map<String, long[]> out = new HashMap<>();
    try (Stream<Path> tasks = Files.list(Path.of("/proc/self/task"))) {
      for (Path t : (Iterable<Path>) tasks::iterator) {
        String stat;
        try {
          stat = Files.readString(t.resolve("stat"));
        } catch (IOException e) {
          continue; // the thread ended
        }
        String name = stat.substring(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
        String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        long[] c = out.computeIfAbsent(name.replaceAll("[0-9]+", "#"), k -> new long[2]);
        c[0] += Long.parseLong(f[11]);
        c[1] += Long.parseLong(f[12]);
      }
    }
    return out;
  }

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
    Map<String, long[]> ticks = new HashMap<>();
    long user = 0;
    long sys = 0;
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
          Map<String, long[]> t0s = byThread();
          Cpu c0 = Cpu.now();
          long t0 = System.nanoTime();
          for (int k = 0; k < todo; k++, done++) {
            op.run();
          }
          wall += System.nanoTime() - t0;
          Cpu c1 = Cpu.now();
          Map<String, long[]> t1s = byThread();
          user += c1.user() - c0.user();
          sys += c1.sys() - c0.sys();
          t1s.forEach(
              (k, v) -> {
                long[] base = t0s.getOrDefault(k, new long[2]);
                long[] acc = ticks.computeIfAbsent(k, x -> new long[2]);
                acc[0] += v[0] - base[0];
                acc[1] += v[1] - base[1];
              });
        }
      } finally {
        b.tearDown();
      }
    }
    long[] jit = ticks.getOrDefault("C# CompilerThre", new long[2]);
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
        (user + sys - jit[0] - jit[1]) * 10.0 / rounds,
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
