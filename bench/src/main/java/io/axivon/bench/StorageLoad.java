package io.axivon.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.axivon.sdk.storage.StorageClient;
import io.axivon.sdk.storage.layout.FileTree;
import io.axivon.storage.node.StorageNode;
import io.axivon.storage.node.StorageService;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.apache.commons.io.file.PathUtils;

/**
 * A file of {@code --size} bytes through two storage nodes on loopback, end to end, with the client
 * in its own JVM of bounded heap: the 1 GiB benchmark and its memory bound.
 *
 * <p>This JVM writes the file (random bytes, or with {@code --sparse} a sparse file of zeros, for
 * sizes beyond the disk's patience), measures the reference (a plain copy of the same bytes to a
 * new file, fsynced), starts two storage nodes (each keeps the whole file, LMDB fsynced per call)
 * on an in-memory flow and submits the file's root. A child JVM run with {@code -Xmx}{@code
 * --client-heap} (default 256m) then computes the file's tree, uploads it with {@link
 * StorageClient} to both nodes and downloads it back verified, and reports its times and its peak
 * heap (sampled every 5 ms: the peak used, garbage included, and the peak left after a collection,
 * the live set). The download is compared byte for byte with the file.
 *
 * <p>Reported: tree, upload (file bytes / s; each node receives the whole file, so the wire carries
 * twice that) and download MB/s (10^6 bytes), each with its ratio to the copy, and the client's
 * peak heap. Run: {@code bench/load StorageLoad --size 1g [--client-heap 256m] [--parallelism 8]
 * [--sparse] [--dir DIR]}; the 4 GiB memory check: {@code bench/load StorageLoad --size 4g --sparse
 * --client-heap 256m} (needs about 13 GiB of disk).
 */
public final class StorageLoad {
  private StorageLoad() {}

  public static void main(String[] args) throws Exception {
    if (args.length > 0 && args[0].equals("--client")) {
      client(args);
      return;
    }
    long size = 1L << 30;
    String heap = "256m";
    int parallelism = 8;
    boolean sparse = false;
    Path base = null;
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--size" -> size = parseSize(args[++i]);
        case "--client-heap" -> heap = args[++i];
        case "--parallelism" -> parallelism = Integer.parseInt(args[++i]);
        case "--sparse" -> sparse = true;
        case "--dir" -> base = Path.of(args[++i]);
        default -> throw new IllegalArgumentException("unknown option " + args[i]);
      }
    }
    Path dir =
        base == null
            ? Files.createTempDirectory("axivon-storage-load")
            : Files.createTempDirectory(Files.createDirectories(base), "axivon-storage-load");
    List<StorageNode> nodes = new ArrayList<>();
    try {
      Path file = dir.resolve("file.bin");
      write(file, size, sparse);
      long copyNanos = copyReference(file, dir.resolve("copy.bin"));
      Files.delete(dir.resolve("copy.bin"));

      StorageBench.BenchFlow flow = new StorageBench.BenchFlow();
      List<String> urls = new ArrayList<>();
      for (int k = 0; k < 2; k++) {
        StorageNode node =
            StorageNode.start(
                StorageNode.Config.defaults(
                        dir.resolve("node-" + k),
                        new StorageService.NetworkIdentity(
                            12700, "0x0000000000000000000000000000000000000001"))
                    .withRpcAddress(new InetSocketAddress("127.0.0.1", 0)),
                flow);
        nodes.add(node);
        urls.add(node.rpcUri().toString());
      }
      flow.submit(FileTree.of(file).submission()); // what the chain's flow would hold

      Path out = dir.resolve("back.bin");
      List<String> cmd = new ArrayList<>();
      cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
      // the same JVM options as this one (modules, opens), but the heap bound under test
      ManagementFactory.getRuntimeMXBean().getInputArguments().stream()
          .filter(a -> !a.startsWith("-Xmx") && !a.startsWith("-Xms"))
          .forEach(cmd::add);
      cmd.add("-Xmx" + heap);
      cmd.add("-cp");
      cmd.add(System.getProperty("java.class.path"));
      cmd.add(StorageLoad.class.getName());
      cmd.add("--client");
      cmd.add(file.toString());
      cmd.add(out.toString());
      cmd.add(Integer.toString(parallelism));
      cmd.addAll(urls);
      Process child =
          new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.INHERIT).start();
      String report = new String(child.getInputStream().readAllBytes()).strip();
      if (!child.waitFor(1, TimeUnit.HOURS) || child.exitValue() != 0) {
        throw new IllegalStateException("the client JVM failed (-Xmx" + heap + "): " + report);
      }
      JsonNode r = new ObjectMapper().readTree(report.substring(report.lastIndexOf('{')));
      if (Files.mismatch(file, out) != -1) {
        throw new IllegalStateException("the downloaded file differs from the uploaded one");
      }
      double copy = size / (copyNanos / 1e9) / 1e6;
      double tree = size / r.path("treeSeconds").asDouble() / 1e6;
      double up = size / r.path("uploadSeconds").asDouble() / 1e6;
      double down = size / r.path("downloadSeconds").asDouble() / 1e6;
      System.out.printf(
          Locale.ROOT,
          "StorageLoad: %d bytes (%s), 2 nodes on loopback, parallelism %d, client -Xmx%s%n",
          size,
          sparse ? "sparse zeros" : "random",
          parallelism,
          heap);
      System.out.printf(Locale.ROOT, "  reference copy+fsync  %8.1f MB/s%n", copy);
      System.out.printf(
          Locale.ROOT, "  tree (root)           %8.1f MB/s  %.2fx the copy%n", tree, tree / copy);
      System.out.printf(
          Locale.ROOT,
          "  upload (to 2 nodes)   %8.1f MB/s  %.2fx the copy (segments sent %d)%n",
          up,
          up / copy,
          r.path("segmentsSent").asLong());
      System.out.printf(
          Locale.ROOT, "  download (verified)   %8.1f MB/s  %.2fx the copy%n", down, down / copy);
      System.out.printf(
          Locale.ROOT,
          "  client heap: peak used %.1f MiB, peak live after GC %.1f MiB (-Xmx%s)%n",
          r.path("peakHeapBytes").asLong() / 1048576.0,
          r.path("peakLiveBytes").asLong() / 1048576.0,
          heap);
    } finally {
      nodes.forEach(StorageNode::close);
      PathUtils.deleteDirectory(dir);
    }
  }

  /** The child JVM: tree, upload, download; prints one JSON line of times and the peak heap. */
  private static void client(String[] args) throws Exception {
    Path file = Path.of(args[1]);
    Path out = Path.of(args[2]);
    int parallelism = Integer.parseInt(args[3]);
    List<URI> urls = new ArrayList<>();
    for (int i = 4; i < args.length; i++) {
      urls.add(URI.create(args[i]));
    }
    StorageClient client = StorageClient.of(urls, Duration.ofSeconds(120), parallelism);
    // the heap sampled every 5 ms: its peak use (garbage included, so at most -Xmx) and the peak
    // of what survived a collection (the live set the path really holds)
    long[] peaks = new long[2];
    Thread sampler =
        Thread.ofPlatform()
            .daemon()
            .start(
                () -> {
                  while (!Thread.currentThread().isInterrupted()) {
                    long used = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
                    long live = 0;
                    for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
                      if (pool.getType() == MemoryType.HEAP && pool.getCollectionUsage() != null) {
                        live += pool.getCollectionUsage().getUsed();
                      }
                    }
                    synchronized (peaks) {
                      peaks[0] = Math.max(peaks[0], used);
                      peaks[1] = Math.max(peaks[1], live);
                    }
                    try {
                      Thread.sleep(5);
                    } catch (InterruptedException e) {
                      return;
                    }
                  }
                });
    long t0 = System.nanoTime();
    FileTree tree = FileTree.of(file);
    long t1 = System.nanoTime();
    long sent = client.upload(tree, file, -1, StorageClient.Progress.NONE).segmentsSent();
    long t2 = System.nanoTime();
    client.download(tree.root(), out);
    long t3 = System.nanoTime();
    sampler.interrupt();
    sampler.join();
    System.out.printf(
        Locale.ROOT,
        "{\"treeSeconds\": %.6f, \"uploadSeconds\": %.6f, \"downloadSeconds\": %.6f,"
            + " \"segmentsSent\": %d, \"peakHeapBytes\": %d, \"peakLiveBytes\": %d}%n",
        (t1 - t0) / 1e9,
        (t2 - t1) / 1e9,
        (t3 - t2) / 1e9,
        sent,
        peaks[0],
        peaks[1]);
  }

  /** {@code 1g}, {@code 256m}, {@code 64k} or bytes. */
  static long parseSize(String s) {
    String t = s.trim().toLowerCase(Locale.ROOT);
    long unit =
        switch (t.charAt(t.length() - 1)) {
          case 'g' -> 1L << 30;
          case 'm' -> 1L << 20;
          case 'k' -> 1L << 10;
          default -> 1;
        };
    String digits = unit == 1 ? t : t.substring(0, t.length() - 1);
    return Long.parseLong(digits) * unit;
  }

  private static void write(Path file, long size, boolean sparse) throws IOException {
    try (FileChannel ch =
        FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
      if (sparse) {
        ch.write(ByteBuffer.wrap(new byte[] {1}), size - 1); // a hole, then one byte
        return;
      }
      SplittableRandom random = new SplittableRandom(42);
      byte[] chunk = new byte[1 << 20];
      for (long done = 0; done < size; done += chunk.length) {
        random.nextBytes(chunk);
        ch.write(ByteBuffer.wrap(chunk, 0, (int) Math.min(chunk.length, size - done)));
      }
      ch.force(true);
    }
  }

  /** A plain copy of the file to {@code to}, fsynced: the reference. */
  private static long copyReference(Path file, Path to) throws IOException {
    long t0 = System.nanoTime();
    try (FileChannel in = FileChannel.open(file, StandardOpenOption.READ);
        FileChannel outCh =
            FileChannel.open(to, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
      ByteBuffer buf = ByteBuffer.allocateDirect(1 << 20);
      while (in.read(buf) >= 0) {
        buf.flip();
        while (buf.hasRemaining()) {
          outCh.write(buf);
        }
        buf.clear();
      }
      outCh.force(true);
    }
    return System.nanoTime() - t0;
  }
}
