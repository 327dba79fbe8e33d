package io.axivon.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.axivon.da.blob.SquareEncoder;
import io.axivon.node.devnet.Devnet;
import io.axivon.node.devnet.DevnetDa;
import io.axivon.node.validator.ValidatorConfig;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import org.apache.tuweni.bytes.Bytes;

/**
 * Blobs through the devnet's DA network end to end: a devnet (4 validators, chain 0 only, 1 s
 * blocks unless {@code --fast}) takes {@code --blobs} random blobs of {@code --size} bytes through
 * the REST blob API, {@code --concurrency} in flight, and each is timed from its POST to the status
 * {@code certified} (dispersed to the quorum, signed, and the certificate confirmed on chain 0).
 * Reported: blobs/s and MiB/s over the run, p50/p99 confirm latency, and the reference in the same
 * run: a raw encode ({@link SquareEncoder}, 2 threads, as the devnet's disperser) of the same
 * blobs, so the ratio says what dispersal, signing and confirmation cost on top of encoding.
 *
 * <p>With {@code --rate R} the blobs arrive open-loop, at exponentially distributed gaps of mean
 * 1/R s (a batcher posting on its own schedule), still at most {@code --concurrency} in flight. A
 * closed loop of one blob at a time measures the worst case instead: each next blob starts right
 * after the block that confirmed the last one, so it always waits out almost a whole block.
 *
 * <p>{@code --warmup N} disperses N blobs one at a time before the timed run (not counted), so the
 * JIT has compiled the devnet's paths first.
 *
 * <p>Run: {@code bench/load DaLoad [--blobs 32] [--size 262144] [--concurrency 8] [--rate R]
 * [--warmup N] [--fast]}.
 */
public final class DaLoad {
  private DaLoad() {}

  public static void main(String[] args) throws Exception {
    int blobs = 32;
    int size = 256 * 1024;
    int concurrency = 8;
    boolean fast = false;
    double rate = 0;
    int warmup = 0;
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--blobs" -> blobs = Integer.parseInt(args[++i]);
        case "--size" -> size = Integer.parseInt(args[++i]);
        case "--concurrency" -> concurrency = Integer.parseInt(args[++i]);
        case "--fast" -> fast = true;
        case "--rate" -> rate = Double.parseDouble(args[++i]);
        case "--warmup" -> warmup = Integer.parseInt(args[++i]);
        default -> throw new IllegalArgumentException("unknown option " + args[i]);
      }
    }
    List<byte[]> data = new ArrayList<>();
    Random random = new Random(42);
    for (int i = 0; i < blobs; i++) {
      byte[] b = new byte[size];
      random.nextBytes(b);
      data.add(b);
    }
    double mib = (double) blobs * size / (1 << 20);

    // the reference: encoding alone, same blobs, same encoder set-up as the disperser
    long encodeNanos;
    try (SquareEncoder encoder = SquareEncoder.create(2)) {
      for (byte[] b : data) {
        encoder.encode(Bytes.wrap(b)); // warm-up: one pass, so the JIT has compiled the encoder
      }
      long t0 = System.nanoTime();
      for (byte[] b : data) {
        encoder.encode(Bytes.wrap(b));
      }
      encodeNanos = System.nanoTime() - t0;
    }

    Path dir = Files.createTempDirectory("axivon-da-load");
    ValidatorConfig.Consensus consensus =
        fast
            ? new ValidatorConfig.Consensus(800, 300, 300, 100, 100, 1 << 20, 100)
            : Devnet.Options.defaultConsensus();
    ObjectMapper json = new ObjectMapper();
    HttpClient http = HttpClient.newHttpClient();
    try (Devnet devnet = Devnet.start(Devnet.Options.onFreePorts(dir, 4, 1, consensus))) {
      DevnetDa da = devnet.da().orElseThrow();
      long deadline = System.nanoTime() + Duration.ofMinutes(5).toNanos();
      while (!da.ready()) {
        if (System.nanoTime() > deadline) {
          throw new IllegalStateException("the DA operators' epoch did not start");
        }
        Thread.sleep(200);
      }
      String api = da.apiUrl();
      // untimed blobs first, so the JIT has compiled the devnet's paths (in an 8-blob run of 32
      // MiB blobs, the C2 compiler threads took about a sixth of the CPU)
      for (int i = 0; i < warmup; i++) {
        byte[] b = new byte[size];
        random.nextBytes(b);
        putAndAwait(http, json, api, b);
      }
      Map<String, double[]> before = phaseSums(http, devnet);
      Map<String, long[]> cpuBefore = ThreadCpu.read();
      System.out.println("DaLoad: timed run starts at " + java.time.Instant.now());
      long[] latency = new long[blobs];
      Semaphore inFlight = new Semaphore(concurrency);
      Random arrivals = new Random(7);
      long t0 = System.nanoTime();
      long next = t0;
      try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
        List<Future<?>> all = new ArrayList<>();
        for (int i = 0; i < blobs; i++) {
          int n = i;
          if (rate > 0) {
            next += (long) (-Math.log(1 - arrivals.nextDouble()) / rate * 1e9);
            java.util.concurrent.locks.LockSupport.parkNanos(next - System.nanoTime());
          }
          inFlight.acquire();
          all.add(
              pool.submit(
                  () -> {
                    try {
                      latency[n] = putAndAwait(http, json, api, data.get(n));
                    } finally {
                      inFlight.release();
                    }
                    return null;
                  }));
        }
        for (Future<?> f : all) {
          f.get();
        }
      }
      long total = System.nanoTime() - t0;
      Map<String, long[]> cpuAfter = ThreadCpu.read();
      System.out.println("DaLoad: timed run ends at " + java.time.Instant.now());
      double meanMs = Arrays.stream(latency).average().orElse(0) / 1e6;
      Arrays.sort(latency);
      double seconds = total / 1e9;
      double encodeSeconds = encodeNanos / 1e9;
      System.out.printf(
          "DaLoad: %d blobs of %d bytes, %d in flight, %s, %s blocks, %d warm-up blobs%n",
          blobs,
          size,
          concurrency,
          rate > 0 ? String.format("arriving at %.2f/s (Poisson)", rate) : "closed loop",
          fast ? "fast" : "1 s",
          warmup);
      System.out.printf(
          "  through the devnet: %.2f blobs/s, %.2f MiB/s; confirm latency mean %.0f ms, p50 %.0f"
              + " ms, p99 %.0f ms%n",
          blobs / seconds,
          mib / seconds,
          meanMs,
          latency[blobs / 2] / 1e6,
          latency[Math.min(blobs - 1, (int) Math.ceil(blobs * 0.99) - 1)] / 1e6);
      System.out.printf(
          "  reference (raw encode, same blobs): %.2f blobs/s, %.2f MiB/s%n",
          blobs / encodeSeconds, mib / encodeSeconds);
      System.out.printf(
          "  ratio devnet / raw encode: %.4f (throughput)%n", encodeSeconds / seconds);
      System.out.println("  disperser phases, mean per blob: " + phases(http, devnet, before));
      ThreadCpu.print(cpuBefore, cpuAfter, blobs, "blob", 1);
    } finally {
      // the DA nodes' stores hold 8× every blob (3 GiB for twelve 32 MiB blobs): left behind,
      // a few runs filled the disk
      try (var files = Files.walk(dir)) {
        files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
  }

  /**
   * The sum and count of each phase in the disperser's {@code axivon_da_disperser_phase_seconds}.
   */
  private static Map<String, double[]> phaseSums(HttpClient http, Devnet devnet) throws Exception {
    String metrics =
        http.send(
                HttpRequest.newBuilder(URI.create(devnet.manifest().metrics())).build(),
                HttpResponse.BodyHandlers.ofString())
            .body();
    Map<String, double[]> sumCount = new LinkedHashMap<>();
    for (String line : metrics.split("\n")) {
      boolean sum = line.startsWith("axivon_da_disperser_phase_seconds_sum{");
      if (!sum && !line.startsWith("axivon_da_disperser_phase_seconds_count{")) {
        continue;
      }
      int at = line.indexOf("phase=\"") + 7;
      String phase = line.substring(at, line.indexOf('"', at));
      double value = Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
      sumCount.computeIfAbsent(phase, p -> new double[2])[sum ? 0 : 1] += value;
    }
    return sumCount;
  }

  /** The mean of each phase over the timed blobs (the warm-up's phases subtracted). */
  private static String phases(HttpClient http, Devnet devnet, Map<String, double[]> before)
      throws Exception {
    StringBuilder out = new StringBuilder();
    phaseSums(http, devnet)
        .forEach(
            (phase, sc) -> {
              double[] b = before.getOrDefault(phase, new double[2]);
              out.append(
                  String.format(
                      "%s %.0f ms; ", phase, 1000 * (sc[0] - b[0]) / Math.max(1, sc[1] - b[1])));
            });
    return out.toString();
  }

  private static long putAndAwait(HttpClient http, ObjectMapper json, String api, byte[] blob)
      throws Exception {
    long t0 = System.nanoTime();
    HttpResponse<String> put =
        http.send(
            HttpRequest.newBuilder(URI.create(api + "/v1/blobs"))
                .POST(HttpRequest.BodyPublishers.ofByteArray(blob))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    if (put.statusCode() != 202) {
      throw new IllegalStateException("put answered " + put.statusCode() + ": " + put.body());
    }
    String key = json.readTree(put.body()).get("key").asText();
    long deadline = System.nanoTime() + Duration.ofMinutes(5).toNanos();
    while (System.nanoTime() < deadline) {
      HttpResponse<String> s =
          http.send(
              HttpRequest.newBuilder(URI.create(api + "/v1/blobs/" + key + "/status")).build(),
              HttpResponse.BodyHandlers.ofString());
      JsonNode status = json.readTree(s.body());
      switch (status.get("status").asText()) {
        case "certified" -> {
          return System.nanoTime() - t0;
        }
        case "failed" -> throw new IllegalStateException("blob " + key + " failed: " + status);
        default -> Thread.sleep(20);
      }
    }
    throw new IllegalStateException("blob " + key + " not certified in 5 minutes");
  }
}
