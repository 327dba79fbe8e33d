package io.axivon.bench;

import io.axivon.common.crypto.secp256k1.Address;
import io.axivon.common.store.Serializers;
import io.axivon.common.store.Store;
import io.axivon.common.store.StoreOptions;
import io.axivon.common.store.Table;
import io.axivon.kv.store.KvStore;
import io.axivon.kv.tx.KvTags;
import io.axivon.kv.tx.KvTransaction;
import io.axivon.kv.tx.KvTxCodec;
import io.axivon.kv.tx.StreamWrite;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.apache.commons.io.file.PathUtils;
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

/**
 * Paged reads (what one kv_getValue with startIndex/length does) of a 32 MiB value at a random
 * page-aligned offset:
 *
 * <ul>
 *   <li>{@code byReference}: the KV state keeps the value as a reference into the transaction's
 *       file (specs/kv.md 6.1): one LMDB seek, then only the page's 64 KiB chunks are read and
 *       checked against their sha256;
 *   <li>{@code inlineLmdb} (reference, the layout before): the value inline in LMDB, as the KV node
 *       kept every value: a get copies all 32 MiB, then the page is cut out.
 * </ul>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 2)
@Fork(
    value = 1,
    jvmArgsAppend = {
      "--enable-native-access=ALL-UNNAMED",
      "--add-opens=java.base/java.nio=ALL-UNNAMED",
      "--add-opens=java.base/sun.nio.ch=ALL-UNNAMED"
    })
public class KvLargeValueBench {
  static final int VALUE = 32 << 20;
  static final Bytes32 STREAM = Bytes32.leftPad(Bytes.of(0x5e));
  static final Bytes KEY = Bytes.wrap("big".getBytes());
  static final Table<Bytes, Bytes> PLAIN = Table.of("plain", Serializers.BYTES, Serializers.BYTES);

  /** Page size: 256 KiB is what KvClient and 0G's SDK ask for; 1 MiB the RPC's limit. */
  @Param({"262144", "1048576"})
  public int page;

  private Path dir;
  private KvStore kv;
  private Store plain;
  private final SplittableRandom random = new SplittableRandom(1);

  @Setup(Level.Trial)
  public void setUp() throws IOException {
    dir = Files.createTempDirectory("kv-large-bench");
    StoreOptions options = StoreOptions.defaults().withInitialMapSize(256L << 20);
    kv = KvStore.open(dir.resolve("kv"), options);
    plain = Store.open(dir.resolve("plain"), options, PLAIN);
    byte[] v = new byte[VALUE];
    new SplittableRandom(7).nextBytes(v);
    Bytes value = Bytes.wrap(v);
    KvTransaction tx = KvTransaction.ofWrites(-1, List.of(new StreamWrite(STREAM, KEY, value)));
    Address sender = new Address(Bytes.wrap(new byte[20]));
    kv.apply(0, sender, KvTags.streamIds(tx), KvTxCodec.encode(tx), s -> true);
    plain.write(w -> w.put(PLAIN, KEY, value));
    if (!kv.read(s -> s.stored(STREAM, KEY, KvStore.LATEST).large())) {
      throw new IllegalStateException("the 32 MiB value is not stored by reference");
    }
  }

  @TearDown(Level.Trial)
  public void tearDown() throws IOException {
    kv.close();
    plain.close();
    PathUtils.deleteDirectory(dir);
  }

  private long offset() {
    return (long) random.nextInt(VALUE / page) * page;
  }

  @Benchmark
  public Bytes byReference() {
    long at = offset();
    return kv.read(s -> s.stored(STREAM, KEY, KvStore.LATEST).read(at, page));
  }

  /** Reference: the value inline in LMDB, read whole and cut (the KV node before). */
  @Benchmark
  public Bytes inlineLmdb() {
    int at = (int) offset();
    return plain.read(tx -> tx.get(PLAIN, KEY).orElseThrow().slice(at, page));
  }
}
