package io.axivon.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * User and system CPU of this process and of its threads by kind, from /proc (Linux), for the load
 * generators that print what an operation costs: on a shared machine that is steadier than its
 * throughput. Ticks are USER_HZ, {@link #TICKS_PER_SECOND} per second.
 */
final class ThreadCpu {
  static final String PROCESS = "(process)";
  static final double TICKS_PER_SECOND = 100.0;

  private ThreadCpu() {}

  /**
   * A reading: {user, system} ticks of the whole process under {@link #PROCESS} and of each thread
   * under "tid:kind", the kind being its name with digits dropped ("nioEventLoopGroup-3-1" and
   * "-4-2" are one kind). Keyed by thread so that a thread ending between two readings is left out
   * rather than subtracted. Empty where /proc is not there.
   */
  static Map<String, long[]> read() {
    Map<String, long[]> out = new LinkedHashMap<>();
    try {
      out.put(PROCESS, ticks(Files.readString(Path.of("/proc/self/stat"))));
      try (var tasks = Files.list(Path.of("/proc/self/task"))) {
        for (Path t : (Iterable<Path>) tasks::iterator) {
          String stat;
          try {
            stat = Files.readString(t.resolve("stat"));
          } catch (IOException e) {
            continue; // the thread ended
          }
          String kind =
              stat.substring(stat.indexOf('(') + 1, stat.lastIndexOf(')'))
                  .replaceAll("[0-9]+", "#")
                  .replaceAll("^axivon-p#p-.*", "axivon-p2p-*");
          out.put(t.getFileName() + ":" + kind, ticks(stat));
        }
      }
    } catch (IOException e) {
      return Map.of();
    }
    return out;
  }

  /**
   * The ticks spent between two readings, by thread kind, plus {@link #PROCESS}; added into {@code
   * into} (so several timed stretches sum up) and returned.
   */
  static Map<String, long[]> addSince(
      Map<String, long[]> before, Map<String, long[]> after, Map<String, long[]> into) {
    after.forEach(
        (key, a) -> {
          long[] b = before.getOrDefault(key, new long[2]);
          String kind = key.equals(PROCESS) ? key : key.substring(key.indexOf(':') + 1);
          long[] sum = into.computeIfAbsent(kind, n -> new long[2]);
          sum[0] += a[0] - b[0];
          sum[1] += a[1] - b[1];
        });
    return into;
  }

  /** The ticks spent between two readings, by thread kind, plus {@link #PROCESS}. */
  static Map<String, long[]> since(Map<String, long[]> before, Map<String, long[]> after) {
    return addSince(before, after, new TreeMap<>());
  }

  /** User plus system ticks of the JIT compiler's threads in a {@link #since} result. */
  static long jit(Map<String, long[]> kinds) {
    return kinds.entrySet().stream()
        .filter(e -> e.getKey().contains("CompilerThre"))
        .mapToLong(e -> e.getValue()[0] + e.getValue()[1])
        .sum();
  }

  /**
   * Prints the process's user and system CPU per unit of work ({@code count} of {@code what}, e.g.
   * blobs or transfers) between two readings, and the 16 costliest thread kinds; {@code scale} 1
   * prints core-seconds, 1000 core-milliseconds.
   */
  static void print(
      Map<String, long[]> before, Map<String, long[]> after, long count, String what, int scale) {
    if (after.isEmpty() || count == 0) {
      return;
    }
    String unit = scale == 1 ? "core-s" : "core-ms";
    double per = scale / TICKS_PER_SECOND / count;
    Map<String, long[]> groups = since(before, after);
    long[] p = groups.remove(PROCESS);
    long jit = jit(groups);
    System.out.printf(
        "  process CPU per %s: %.3f %s (user %.3f, system %.3f); without the JIT compiler"
            + " threads %.3f%n",
        what, (p[0] + p[1]) * per, unit, p[0] * per, p[1] * per, (p[0] + p[1] - jit) * per);
    groups.entrySet().stream()
        .filter(e -> e.getValue()[0] + e.getValue()[1] > 0)
        .sorted(
            (x, y) ->
                Long.compare(y.getValue()[0] + y.getValue()[1], x.getValue()[0] + x.getValue()[1]))
        .limit(16)
        .forEach(
            e ->
                System.out.printf(
                    "    %-32s user %.3f  system %.3f %s per %s%n",
                    e.getKey(), e.getValue()[0] * per, e.getValue()[1] * per, unit, what));
  }

  /** {utime, stime} from a /proc stat line (fields after the command, which may hold spaces). */
  private static long[] ticks(String stat) {
    String[] f = stat.substring(stat.lastIndexOf(')') + 2).trim().split(" ");
    return new long[] {Long.parseLong(f[11]), Long.parseLong(f[12])};
  }
}
