package io.axivon.node.erasure;

import io.axivon.common.InvalidInputException;
import io.axivon.da.erasure.ErasureBackend;
import io.axivon.da.erasure.ErasureBackends;
import io.axivon.da.erasure.ReedSolomon;
import io.axivon.da.erasure.VectorBackendProvider;
import io.axivon.node.cli.ExitCodes;
import io.axivon.node.cli.JsonOutput;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(
    name = "erasure",
    mixinStandardHelpOptions = true,
    description =
        "Reed-Solomon erasure coding byte-identical to Intel ISA-L (GF(2^8), polynomial 0x11d, Cauchy matrix): split a file into k data and m parity shards, rebuild it from any k, and measure the coder.",
    subcommands = {ErasureCommand.Encode.class, ErasureCommand.Decode.class, ErasureBench.class})
public final class ErasureCommand implements Runnable {
  /** Bytes of every shard coded per step: bounds memory to (k + m) × this. */
  static final int STRIPE = 1 << 20;

  /** Files at least this large get a progress bar (on an interactive terminal). */
  static final long PROGRESS_MIN_BYTES = 64L << 20;

  @Spec CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  static void checkShape(int k, int m) {
    if (k < 1) {
      throw new InvalidInputException("k must be at least 1, got " + k);
    }
    if (m < 1) {
      throw new InvalidInputException("m must be at least 1, got " + m);
    }
    if (k + m > 256) {
      throw new InvalidInputException(
          "k + m must be at most 256 (GF(2^8)), got " + k + " + " + m + " = " + (k + m));
    }
  }

  /** ceil(size / k): the last data shard is zero-padded to it. */
  static long shardSize(long size, int k) {
    return (size + k - 1) / k;
  }

  /** The best backend, or the scalar one with a note when the Vector API module is missing. */
  /**
   * The backend {@code --backend} names, else the automatic choice ({@link
   * ErasureBackends#automatic}): a GPU only for the shapes it prefers (a 10+4 stripe stays on the
   * CPU, where it is faster), the best CPU backend for the rest.
   */
  static List<ErasureBackend> backend(String name, PrintWriter err) {
    if (name != null) {
      try {
        return List.of(ErasureBackends.named(name));
      } catch (IllegalArgumentException e) {
        throw new InvalidInputException(e.getMessage());
      }
    }
    if (!VectorBackendProvider.vectorModulePresent()) {
      err.println(
          "axivon: note: started without --add-modules jdk.incubator.vector: using the slow scalar coder");
      err.flush();
    }
    return ErasureBackends.automatic();
  }

  static MessageDigest sha256() {
    try {
      // streaming SHA-256 of multi-GiB shards: Hashes.sha256 takes whole byte arrays
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private static ProgressBar progress(String task, long bytes, boolean enabled) {
    if (!enabled || bytes < PROGRESS_MIN_BYTES || System.console() == null) {
      return null;
    }
    return new ProgressBarBuilder()
        .setTaskName(task)
        .setInitialMax(bytes >> 20)
        .setUnit(" MiB", 1)
        .setConsumer(new ConsoleProgressBarConsumer(System.err))
        .build();
  }

  private static void readFully(FileChannel ch, ByteBuffer buf, long position) throws IOException {
    while (buf.hasRemaining()) {
      int n = ch.read(buf, position);
      if (n < 0) {
        break;
      }
      position += n;
    }
  }

  private static void writeFully(FileChannel ch, ByteBuffer buf, long position) throws IOException {
    while (buf.hasRemaining()) {
      position += ch.write(buf, position);
    }
  }

  private static void writeFully(FileChannel ch, ByteBuffer buf) throws IOException {
    while (buf.hasRemaining()) {
      ch.write(buf);
    }
  }

  /** Shared by encode and decode. */
  static final class CodingOptions {
    @Option(names = "--threads", description = "Threads for coding (default: the number of CPUs).")
    int threads = Runtime.getRuntime().availableProcessors();

    @Option(names = "--backend", description = "Coder backend by name (default: the fastest).")
    String backend;

    @Option(names = "--no-progress", description = "No progress bar on large files.")
    boolean noProgress;

    @Option(names = "--json", description = "Print the result as one JSON document.")
    boolean json;

    ReedSolomon coder(PrintWriter err) {
      if (threads < 1) {
        throw new InvalidInputException("--threads must be at least 1, got " + threads);
      }
      return new ReedSolomon(backend(backend, err), threads);
    }
  }

  static void print(boolean json, Map<String, Object> report, PrintWriter out) {
    if (json) {
      JsonOutput.print(out, report);
    } else {
      report.forEach((key, v) -> out.printf("%-13s %s%n", key, v));
      out.flush();
    }
  }

  @Command(
      name = "encode",
      mixinStandardHelpOptions = true,
      description =
          "Split FILE into K data shards of ceil(size/K) bytes (the last zero-padded) and M parity shards: DIR/shard-00 ... plus DIR/manifest.json (sizes and SHA-256 of every shard).")
  static final class Encode implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Option(names = "-k", required = true, description = "Data shards (1..255).")
    int k;

    @Option(names = "-m", required = true, description = "Parity shards (1..256-K).")
    int m;

    @Parameters(index = "0", paramLabel = "FILE", description = "The file to encode.")
    Path file;

    @Parameters(
        index = "1",
        paramLabel = "DIR",
        description = "Directory for the shards (created; must not hold shards already).")
    Path dir;

    @picocli.CommandLine.Mixin CodingOptions options = new CodingOptions();

    @Override
    public Integer call() throws IOException {
      checkShape(k, m);
      if (!Files.isRegularFile(file)) {
        throw new InvalidInputException("not a file: " + file);
      }
      if (Files.exists(dir) && !Files.isDirectory(dir)) {
        throw new InvalidInputException("not a directory: " + dir);
      }
      if (Files.exists(dir.resolve(ShardManifest.FILE))
          || Files.exists(dir.resolve(ShardManifest.shardFile(0)))) {
        throw new InvalidInputException(dir + " already holds shards: not overwritten");
      }
      long size = Files.size(file);
      long shardSize = shardSize(size, k);
      PrintWriter err = spec.commandLine().getErr();
      boolean createdDir = !Files.exists(dir);
      List<Path> created = new ArrayList<>();
      boolean done = false;
      try (ReedSolomon coder = options.coder(err)) {
        if (createdDir) {
          Files.createDirectories(dir);
        }
        List<ShardManifest.Shard> shards = write(coder, size, shardSize, created);
        ShardManifest manifest = new ShardManifest(k, m, size, shardSize, shards);
        Path tmp = Files.createTempFile(dir, ".manifest.", ".tmp");
        created.add(tmp);
        Files.writeString(tmp, JsonOutput.toJson(manifest.toJson()));
        Files.move(tmp, dir.resolve(ShardManifest.FILE), StandardCopyOption.ATOMIC_MOVE);
        created.add(dir.resolve(ShardManifest.FILE));
        done = true;
        Map<String, Object> report = new LinkedHashMap<>();
        report.put("file", file.toString());
        report.put("dir", dir.toString());
        report.put("k", k);
        report.put("m", m);
        report.put("originalSize", size);
        report.put("shardSize", shardSize);
        report.put("backend", coder.backendName());
        print(options.json, report, spec.commandLine().getOut());
        return ExitCodes.OK;
      } finally {
        if (!done) {
          for (Path p : created) {
            Files.deleteIfExists(p);
          }
          if (createdDir) {
            Files.deleteIfExists(dir);
          }
        }
      }
    }

    private List<ShardManifest.Shard> write(
        ReedSolomon coder, long size, long shardSize, List<Path> created) throws IOException {
      int n = k + m;
      FileChannel[] outs = new FileChannel[n];
      MessageDigest[] digests = new MessageDigest[n];
      ProgressBar bar = progress("encode", size, !options.noProgress);
      try (FileChannel in = FileChannel.open(file, StandardOpenOption.READ)) {
        for (int i = 0; i < n; i++) {
          Path p = dir.resolve(ShardManifest.shardFile(i));
          outs[i] = FileChannel.open(p, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
          created.add(p);
          digests[i] = sha256();
        }
        int stripe = (int) Math.max(1, Math.min(STRIPE, shardSize));
        byte[][] data = new byte[k][stripe];
        byte[][] parity = new byte[m][stripe];
        for (long off = 0; off < shardSize; off += stripe) {
          int len = (int) Math.min(stripe, shardSize - off);
          for (int i = 0; i < k; i++) {
            Arrays.fill(data[i], 0, len, (byte) 0);
            long pos = i * shardSize + off;
            if (pos < size) {
              readFully(in, ByteBuffer.wrap(data[i], 0, (int) Math.min(len, size - pos)), pos);
            }
          }
          coder.encode(k, m, data, parity, len);
          for (int i = 0; i < n; i++) {
            byte[] shard = i < k ? data[i] : parity[i - k];
            digests[i].update(shard, 0, len);
            writeFully(outs[i], ByteBuffer.wrap(shard, 0, len));
          }
          if (bar != null) {
            bar.stepTo(Math.min(size, (off + len) * k) >> 20);
          }
        }
      } finally {
        if (bar != null) {
          bar.close();
        }
        for (FileChannel ch : outs) {
          if (ch != null) {
            ch.close();
          }
        }
      }
      List<ShardManifest.Shard> shards = new ArrayList<>();
      for (int i = 0; i < n; i++) {
        shards.add(
            new ShardManifest.Shard(
                i, ShardManifest.shardFile(i), HexFormat.of().formatHex(digests[i].digest())));
      }
      return shards;
    }
  }

  @Command(
      name = "decode",
      mixinStandardHelpOptions = true,
      description =
          "Rebuild the original file from any K intact shards in DIR (checked against the SHA-256 in DIR/manifest.json) and write it to OUT atomically.")
  static final class Decode implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Parameters(index = "0", paramLabel = "DIR", description = "Directory written by encode.")
    Path dir;

    @Parameters(index = "1", paramLabel = "OUT", description = "File to write (must not exist).")
    Path out;

    @picocli.CommandLine.Mixin CodingOptions options = new CodingOptions();

    @Override
    public Integer call() throws IOException {
      if (!Files.isDirectory(dir)) {
        throw new InvalidInputException("not a directory: " + dir);
      }
      ShardManifest manifest = ShardManifest.read(dir);
      if (Files.exists(out)) {
        throw new InvalidInputException(out + " exists: not overwritten");
      }
      Path parent = out.toAbsolutePath().getParent();
      if (!Files.isDirectory(parent)) {
        throw new InvalidInputException("no directory " + parent + " for " + out);
      }
      int k = manifest.k();
      List<Integer> survivors = new ArrayList<>();
      List<String> missing = new ArrayList<>();
      List<String> corrupt = new ArrayList<>();
      // every shard file present must have the manifest's size, even those not needed
      for (ShardManifest.Shard shard : manifest.shards()) {
        Path p = dir.resolve(shard.file());
        if (!Files.isRegularFile(p)) {
          missing.add(shard.file());
          continue;
        }
        long len = Files.size(p);
        if (len != manifest.shardSize()) {
          throw new InvalidInputException(
              p
                  + " has "
                  + len
                  + " bytes, the manifest says every shard has "
                  + manifest.shardSize()
                  + " (truncated or from another encoding)");
        }
      }
      for (ShardManifest.Shard shard : manifest.shards()) {
        if (survivors.size() == k) {
          break;
        }
        if (missing.contains(shard.file())) {
          continue;
        }
        if (sha256Hex(dir.resolve(shard.file())).equals(shard.sha256())) {
          survivors.add(shard.index());
        } else {
          corrupt.add(shard.file());
        }
      }
      if (survivors.size() < k) {
        throw new InvalidInputException(
            "need k = "
                + k
                + " intact shards in "
                + dir
                + ", found "
                + survivors.size()
                + " (missing: "
                + missing
                + ", corrupt: "
                + corrupt
                + ")");
      }
      PrintWriter err = spec.commandLine().getErr();
      if (!corrupt.isEmpty()) {
        err.println("axivon: warning: skipped shards whose SHA-256 does not match: " + corrupt);
        err.flush();
      }
      Path tmp = Files.createTempFile(parent, "." + out.getFileName() + ".", ".tmp");
      boolean done = false;
      try (ReedSolomon coder = options.coder(err)) {
        decodeInto(coder, manifest, survivors, tmp);
        publish(tmp, out);
        done = true;
        Map<String, Object> report = new LinkedHashMap<>();
        report.put("out", out.toString());
        report.put("size", manifest.originalSize());
        report.put("shardsUsed", survivors);
        report.put("rebuilt", dataShardsNotIn(survivors, k));
        report.put("backend", coder.backendName());
        print(options.json, report, spec.commandLine().getOut());
        return ExitCodes.OK;
      } catch (FileAlreadyExistsException e) {
        throw new InvalidInputException(out + " exists: not overwritten");
      } finally {
        if (!done) {
          Files.deleteIfExists(tmp);
        }
      }
    }

    /**
     * Puts the finished file at {@code out} whole, never over a file there: a hard link refuses an
     * existing name (link(2)), where a rename would replace an OUT that appeared since it was
     * checked; the temporary name then goes. A file system without hard links gets the rename.
     */
    private static void publish(Path tmp, Path out) throws IOException {
      try {
        Files.createLink(out, tmp);
      } catch (FileAlreadyExistsException e) {
        throw e;
      } catch (UnsupportedOperationException | IOException e) {
        Files.move(tmp, out, StandardCopyOption.ATOMIC_MOVE);
        return;
      }
      Files.delete(tmp);
    }

    private static List<Integer> dataShardsNotIn(List<Integer> survivors, int k) {
      List<Integer> rebuilt = new ArrayList<>();
      for (int i = 0; i < k; i++) {
        if (!survivors.contains(i)) {
          rebuilt.add(i);
        }
      }
      return rebuilt;
    }

    private void decodeInto(
        ReedSolomon coder, ShardManifest manifest, List<Integer> survivors, Path tmp)
        throws IOException {
      int k = manifest.k();
      long shardSize = manifest.shardSize();
      long size = manifest.originalSize();
      int[] present = survivors.stream().mapToInt(Integer::intValue).toArray();
      List<Integer> rebuilt = dataShardsNotIn(survivors, k);
      int[] missingIdx = rebuilt.stream().mapToInt(Integer::intValue).toArray();
      FileChannel[] ins = new FileChannel[k];
      ProgressBar bar = progress("decode", size, !options.noProgress);
      try (FileChannel outCh = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
        for (int i = 0; i < k; i++) {
          ins[i] =
              FileChannel.open(
                  dir.resolve(ShardManifest.shardFile(present[i])), StandardOpenOption.READ);
        }
        int stripe = (int) Math.max(1, Math.min(STRIPE, shardSize));
        byte[][] shards = new byte[k][stripe];
        byte[][] rebuiltData = new byte[missingIdx.length][stripe];
        byte[][] data = new byte[k][];
        for (long off = 0; off < shardSize; off += stripe) {
          int len = (int) Math.min(stripe, shardSize - off);
          for (int i = 0; i < k; i++) {
            ByteBuffer buf = ByteBuffer.wrap(shards[i], 0, len);
            readFully(ins[i], buf, off);
            if (buf.hasRemaining()) {
              throw new InvalidInputException(
                  ShardManifest.shardFile(present[i]) + " was truncated while decoding");
            }
            if (present[i] < k) {
              data[present[i]] = shards[i];
            }
          }
          if (missingIdx.length > 0) {
            coder.decode(k, manifest.m(), present, shards, missingIdx, rebuiltData, len);
            for (int i = 0; i < missingIdx.length; i++) {
              data[missingIdx[i]] = rebuiltData[i];
            }
          }
          for (int i = 0; i < k; i++) {
            long pos = i * shardSize + off;
            if (pos < size) {
              writeFully(outCh, ByteBuffer.wrap(data[i], 0, (int) Math.min(len, size - pos)), pos);
            }
          }
          if (bar != null) {
            bar.stepTo(Math.min(size, (off + len) * k) >> 20);
          }
        }
        outCh.force(true);
      } finally {
        if (bar != null) {
          bar.close();
        }
        for (FileChannel ch : ins) {
          if (ch != null) {
            ch.close();
          }
        }
      }
    }

    private static String sha256Hex(Path p) throws IOException {
      MessageDigest md = sha256();
      try (FileChannel ch = FileChannel.open(p, StandardOpenOption.READ)) {
        ByteBuffer buf = ByteBuffer.allocate(1 << 16);
        while (ch.read(buf) >= 0) {
          buf.flip();
          md.update(buf);
          buf.clear();
        }
      } catch (NoSuchFileException e) {
        throw new InvalidInputException("shard vanished while reading: " + p);
      }
      return HexFormat.of().formatHex(md.digest());
    }
  }
}
