package io.axivon.bench;

import io.axivon.common.crypto.Keccak256;
import io.axivon.da.blob.Axis;
import io.axivon.da.blob.BlobSquare;
import io.axivon.da.blob.ExtendedSquare;
import io.axivon.da.blob.Lines;
import io.axivon.da.blob.SquareEncoder;
import io.axivon.da.erasure.ReedSolomon;
import io.axivon.da.node.DaWire;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.apache.tuweni.bytes.Bytes;
import org.apache.tuweni.bytes.Bytes32;
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
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.CommandLineOptions;

/**
 * A blob laid out, extended to 2k × 2k with RS(k, k) and committed (every cell hashed, row and
 * column roots, dataRoot: specs/da.md), beside two references on the same bytes in the same run:
 * plain Keccak-256 of the blob on one thread, and the plain 1D RS(k, k) encode of its k rows (one
 * call, the blob's k × k square as k shards of k · 2048 bytes, on {@code threads} threads). Times
 * in ms per blob. {@code backend=cpu} codes on the best CPU backend; {@code auto} lets a GPU take
 * the shapes it prefers. Run {@link #main} to get the ratios printed after JMH's table.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 2, time = 3)
@Measurement(iterations = 3, time = 3)
@Fork(
    value = 1,
    jvmArgsAppend = {
      "--add-modules",
      "jdk.incubator.vector",
      "--enable-native-access=ALL-UNNAMED",
      "-Xmx3g"
    })
public class DaEncodeBench {
  /** Blob bytes: the largest blob (32 MiB square), 1 MiB, 128 KiB. */
  @Param({"33554428", "1048576", "131072"})
  public int size;

  @Param({"2"})
  public int threads;

  @Param({"cpu"})
  public String backend;

  private Bytes blob;
  private ReedSolomon coder;
  private ReedSolomon rs1d;
  private SquareEncoder encoder;
  private byte[][] rows;
  private byte[][] parity;
  private int k;
  private List<byte[]> nodeLines;
  private List<Bytes> memberRequests;
  private ExtendedSquare square;
  private final SplittableRandom checkRandom = new SplittableRandom(7);

  @Setup(Level.Trial)
  public void setUp() {
    byte[] b = new byte[size];
    new Random(1).nextBytes(b);
    blob = Bytes.wrap(b);
    coder =
        backend.equals("cpu")
            ? new ReedSolomon(CudaErasureBench.bestCpuBackend(), 1)
            : ReedSolomon.create(1);
    encoder = new SquareEncoder(coder, threads);
    // on a GPU machine this says whether the GPU took part (e.g. cuda+vector-512)
    System.out.println("DA coder backend: " + coder.backendName() + ", " + threads + " threads");
    rs1d =
        backend.equals("cpu")
            ? new ReedSolomon(CudaErasureBench.bestCpuBackend(), threads)
            : ReedSolomon.create(threads);
    k = BlobSquare.widthFor(size);
    int rowBytes = k * BlobSquare.SHARE_SIZE;
    rows = new byte[k][rowBytes];
    parity = new byte[k][rowBytes];
    for (int r = 0; r < k; r++) {
      int from = r * rowBytes;
      if (from < size) {
        System.arraycopy(b, from, rows[r], 0, Math.min(rowBytes, size - from));
      }
    }
    square = encoder.encode(blob);
    memberRequests = new ArrayList<>();
    int[] batch = storeBatch();
    for (int from = 0; from < batch[0]; from += batch[1]) {
      int count = Math.min(batch[1], batch[0] - from);
      Bytes request = DaWire.encodeStore(1, 0, square.roots(), from, count, square::copyLine);
      // as the P2P layer hands a request over: a slice of the message, after its header
      memberRequests.add(Bytes.concatenate(Bytes.wrap(new byte[17]), request).slice(17));
    }
    nodeLines = new ArrayList<>();
    for (int i = 0; i < Math.max(1, 2 * k / 4); i++) { // a quarter of the indices, as 1 of 4 nodes
      nodeLines.add(square.line(Axis.ROW, i).toArray());
      nodeLines.add(square.line(Axis.COLUMN, i).toArray());
    }
  }

  @TearDown(Level.Trial)
  public void tearDown() {
    System.out.println("\nbackend: " + coder.backendName() + ", k = " + k);
    encoder.close();
    coder.close();
    rs1d.close();
  }

  @Benchmark
  public Bytes32 encodeAndCommit() {
    return encoder.encode(blob).dataRoot();
  }

  /**
   * What one of four DA nodes tests before signing: its quarter of the rows and columns are RS
   * codewords, with 8 random parity checks per line (specs/da.md §7).
   */
  @Benchmark
  public boolean nodeCodewordsRandomCheck() {
    return Lines.areCodewords(coder, nodeLines, k, checkRandom);
  }

  /** The same lines re-encoded one by one (the exact test, the reference of the one above). */
  @Benchmark
  public boolean nodeCodewordsReencodeReference() {
    boolean all = true;
    for (byte[] line : nodeLines) {
      all &= Lines.isCodeword(coder, line, k);
    }
    return all;
  }

  @Benchmark
  public byte[] keccakReference() {
    byte[] in = blob.toArrayUnsafe();
    return new Keccak256().update(in, 0, in.length).digest();
  }

  /**
   * The store requests of one of four members (a quarter of the indices, batched as the disperser
   * does), each built in one array with every line copied once from the square ({@link
   * DaWire#encodeStore}).
   */
  @Benchmark
  public long storeRequests() {
    long bytes = 0;
    int[] batch = storeBatch();
    for (int from = 0; from < batch[0]; from += batch[1]) {
      int count = Math.min(batch[1], batch[0] - from);
      bytes += DaWire.encodeStore(1, 0, square.roots(), from, count, square::copyLine).size();
    }
    return bytes;
  }

  /** The same requests through the general codec: lines copied out, RLP-encoded, tagged. */
  @Benchmark
  public long storeRequestsGeneralReference() {
    long bytes = 0;
    int[] batch = storeBatch();
    for (int from = 0; from < batch[0]; from += batch[1]) {
      List<DaWire.LinePair> pairs = new ArrayList<>();
      for (int i = from; i < Math.min(batch[0], from + batch[1]); i++) {
        pairs.add(new DaWire.LinePair(i, square.line(Axis.ROW, i), square.line(Axis.COLUMN, i)));
      }
      bytes += DaWire.encode(new DaWire.Store(1, 0, square.roots(), pairs)).size();
    }
    return bytes;
  }

  /**
   * What one of four DA nodes does with its store requests before hashing: decodes each into line
   * pairs, every line copied once from the request into its own array ({@link
   * DaWire#decodeRequest}).
   */
  @Benchmark
  public long nodeDecodeStores() {
    long bytes = 0;
    for (Bytes request : memberRequests) {
      DaWire.Store s = (DaWire.Store) DaWire.decodeRequest(request);
      for (DaWire.LinePair p : s.pairs()) {
        bytes += p.row().toArrayUnsafe().length + p.column().toArrayUnsafe().length;
      }
    }
    return bytes;
  }

  /**
   * The same through the general codec as before: one private copy of each request, then every line
   * copied out of it again (the node hashes and stores whole arrays).
   */
  @Benchmark
  public long nodeDecodeStoresGeneralReference() {
    long bytes = 0;
    for (Bytes request : memberRequests) {
      DaWire.Store s = DaWire.decodeStoreGeneral(request);
      for (DaWire.LinePair p : s.pairs()) {
        bytes += p.row().toArrayUnsafe().length + p.column().toArrayUnsafe().length;
      }
    }
    return bytes;
  }

  /** {indices of one of four members, pairs per request} as the disperser sends them. */
  private int[] storeBatch() {
    int pairBytes = 2 * 2 * k * BlobSquare.SHARE_SIZE;
    return new int[] {Math.max(1, 2 * k / 4), Math.max(1, DaWire.MAX_STORE_LINE_BYTES / pairBytes)};
  }

  @Benchmark
  public byte[][] rs1dReference() {
    rs1d.encode(k, k, rows, parity, k * BlobSquare.SHARE_SIZE);
    return parity;
  }

  /** Runs JMH with the given arguments, then prints encodeAndCommit / each reference. */
  public static void main(String[] args) throws Exception {
    String[] withClass = args;
    if (args.length == 0 || args[0].startsWith("-")) {
      withClass = new String[args.length + 1];
      withClass[0] = DaEncodeBench.class.getSimpleName();
      System.arraycopy(args, 0, withClass, 1, args.length);
    }
    Collection<RunResult> results = new Runner(new CommandLineOptions(withClass)).run();
    Map<String, Map<String, Double>> byParams = new HashMap<>();
    for (RunResult r : results) {
      var p = r.getParams();
      String key =
          "size="
              + p.getParam("size")
              + " threads="
              + p.getParam("threads")
              + " backend="
              + p.getParam("backend");
      String method = p.getBenchmark().substring(p.getBenchmark().lastIndexOf('.') + 1);
      byParams
          .computeIfAbsent(key, x -> new HashMap<>())
          .put(method, r.getPrimaryResult().getScore());
    }
    System.out.println("\nratios (time of encodeAndCommit / time of the reference):");
    byParams.forEach(
        (key, m) -> {
          Double fast = m.get("storeRequests");
          Double general = m.get("storeRequestsGeneralReference");
          if (fast != null && general != null) {
            System.out.printf(
                "%s: store requests %.2f ms, general codec %.2f ms: %.2fx faster%n",
                key, fast, general, general / fast);
          }
        });
    byParams.forEach(
        (key, m) -> {
          Double enc = m.get("encodeAndCommit");
          if (enc == null) {
            return;
          }
          System.out.printf(
              "%s: encode+commit %.2f ms; / keccak %.2f; / 1D RS %.2f%n",
              key,
              enc,
              m.containsKey("keccakReference") ? enc / m.get("keccakReference") : Double.NaN,
              m.containsKey("rs1dReference") ? enc / m.get("rs1dReference") : Double.NaN);
        });
  }
}
