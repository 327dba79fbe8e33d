package io.axivon.node.erasure;

import com.sun.jna.Pointer;
import io.axivon.common.InvalidInputException;
import io.axivon.da.erasure.GfMatrix;
import io.axivon.da.erasure.IsaL;
import io.axivon.da.erasure.ReedSolomon;
import io.axivon.node.cli.ExitCodes;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code axivon erasure bench}: encode and decode throughput of the coder on off-heap shards, with
 * ISA-L's figures measured in the same run when libisal2 is installed. Figures are MB/s (10^6
 * bytes) of data shards: k × shard size per encode or decode.
 */
@Command(
    name = "bench",
    mixinStandardHelpOptions = true,
    description =
        "Measure encode and decode throughput (MB/s of data shards), beside ISA-L's when libisal2 is installed. Decode rebuilds min(k, m) lost data shards.")
final class ErasureBench implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(names = "-k", defaultValue = "10", description = "Data shards (default: 10).")
  int k;

  @Option(names = "-m", defaultValue = "4", description = "Parity shards (default: 4).")
  int m;

  @Option(
      names = "--shard-size",
      defaultValue = "1048576",
      description = "Bytes per shard (default: 1048576).")
  int shardSize;

  @Option(names = "--threads", defaultValue = "1", description = "Coder threads (default: 1).")
  int threads;

  @Option(
      names = "--seconds",
      defaultValue = "1",
      description = "Measuring time per figure, after as long again of warm-up (default: 1).")
  double seconds;

  @Option(names = "--backend", description = "Coder backend by name (default: the fastest).")
  String backend;

  @Option(names = "--json", description = "Print the result as one JSON document.")
  boolean json;

  @Override
  public Integer call() {
    ErasureCommand.checkShape(k, m);
    if (shardSize < 1) {
      throw new InvalidInputException("--shard-size must be at least 1, got " + shardSize);
    }
    if (threads < 1) {
      throw new InvalidInputException("--threads must be at least 1, got " + threads);
    }
    if (!(seconds > 0) || seconds > 600) {
      throw new InvalidInputException("--seconds must be in (0, 600], got " + seconds);
    }
    int lost = Math.min(k, m);
    int[] present = new int[k];
    int[] missing = new int[lost];
    for (int i = 0; i < k; i++) {
      present[i] = lost + i;
    }
    for (int i = 0; i < lost; i++) {
      missing[i] = i;
    }
    Map<String, Object> report = new LinkedHashMap<>();
    try (Arena arena = Arena.ofShared();
        ReedSolomon coder =
            new ReedSolomon(
                ErasureCommand.backend(backend, spec.commandLine().getErr()), threads)) {
      MemorySegment[] shards = new MemorySegment[k + m];
      Random rnd = new Random(1);
      byte[] fill = new byte[shardSize];
      for (int i = 0; i < k + m; i++) {
        shards[i] = arena.allocate(shardSize, 64);
        rnd.nextBytes(fill);
        MemorySegment.copy(MemorySegment.ofArray(fill), 0, shards[i], 0, shardSize);
      }
      MemorySegment[] data = java.util.Arrays.copyOfRange(shards, 0, k);
      MemorySegment[] parity = java.util.Arrays.copyOfRange(shards, k, k + m);
      MemorySegment[] survivors = java.util.Arrays.copyOfRange(shards, lost, lost + k);
      MemorySegment[] rebuilt = new MemorySegment[lost];
      for (int i = 0; i < lost; i++) {
        rebuilt[i] = arena.allocate(shardSize, 64);
      }
      double bytes = (double) k * shardSize;
      report.put("k", k);
      report.put("m", m);
      report.put("shardSize", shardSize);
      report.put("threads", threads);
      report.put("backend", coder.backendName());
      report.put(
          "encodeMBps", round(bytes * rate(() -> coder.encode(k, m, data, parity, shardSize))));
      coder.encode(k, m, data, parity, shardSize);
      report.put(
          "decodeMBps",
          round(
              bytes
                  * rate(
                      () -> coder.decode(k, m, present, survivors, missing, rebuilt, shardSize))));
      Optional<IsaL> isal = IsaL.load();
      if (isal.isPresent()) {
        Pointer[] dp = pointers(data);
        Pointer[] pp = pointers(parity);
        Pointer[] sp = pointers(survivors);
        Pointer[] rp = pointers(rebuilt);
        byte[] enc = isal.get().encodeTables(k, m);
        byte[] dec = isal.get().tables(k, lost, GfMatrix.decodeMatrix(k, m, present, missing));
        Map<String, Object> ref = new LinkedHashMap<>();
        ref.put("threads", 1);
        ref.put(
            "encodeMBps",
            round(bytes * rate(() -> isal.get().encode(shardSize, k, m, enc, dp, pp))));
        ref.put(
            "decodeMBps",
            round(bytes * rate(() -> isal.get().encode(shardSize, k, lost, dec, sp, rp))));
        report.put("isaL", ref);
        report.put(
            "encodeVsIsaL",
            Math.round((double) report.get("encodeMBps") / (double) ref.get("encodeMBps") * 100.0)
                / 100.0);
      } else {
        report.put("isaL", null);
        report.put("isaLUnavailable", IsaL.unavailableReason());
      }
    } catch (NoClassDefFoundError e) {
      report.put("isaL", null);
      report.put("isaLUnavailable", "JNA is not on the class path");
    }
    ErasureCommand.print(json, report, spec.commandLine().getOut());
    return ExitCodes.OK;
  }

  private static Pointer[] pointers(MemorySegment[] segments) {
    Pointer[] p = new Pointer[segments.length];
    for (int i = 0; i < segments.length; i++) {
      p[i] = new Pointer(segments[i].address());
    }
    return p;
  }

  private static double round(double bytesPerSecond) {
    return Math.round(bytesPerSecond / 1e6 * 10) / 10.0;
  }

  /** Calls per second of {@code op}: warm-up, then as many calls as fit in the measuring time. */
  private double rate(Runnable op) {
    long budget = (long) (seconds * 1e9);
    long start = System.nanoTime();
    while (System.nanoTime() - start < budget) {
      op.run();
    }
    long calls = 0;
    start = System.nanoTime();
    long elapsed;
    do {
      op.run();
      calls++;
      elapsed = System.nanoTime() - start;
    } while (elapsed < budget);
    return calls / (elapsed / 1e9);
  }
}
