package io.axivon.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.axivon.common.crypto.secp256k1.Address;
import io.axivon.common.store.KeyRange;
import io.axivon.common.store.KeyValue;
import io.axivon.common.store.Serializers;
import io.axivon.common.store.Store;
import io.axivon.common.store.StoreOptions;
import io.axivon.common.store.Table;
import io.axivon.kv.node.KvRpc;
import io.axivon.kv.node.StreamFilter;
import io.axivon.kv.store.KvStore;
import io.axivon.kv.tx.KvTags;
import io.axivon.kv.tx.KvTransaction;
import io.axivon.kv.tx.KvTxCodec;
import io.axivon.kv.tx.StreamWrite;
import io.axivon.sdk.rpc.JsonRpcClient;
import io.axivon.storage.node.StorageRpcServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.commons.io.file.PathUtils;
import org.apache.tuweni.bytes.Bytes;
import org.apache.tuweni.bytes.Bytes32;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * KV reads of 100,000 keys (16-byte keys, 100-byte values, one version each), each against a
 * reference through the common LMDB {@link Store} on the same data in the same run:
 *
 * <ul>
 *   <li>point reads from the LMDB state ({@link KvStore#value}, as of the latest version), one read
 *       call each, against one plain get per read call;
 *   <li>point reads batched 100 to one snapshot ({@link KvStore#values}), against 100 plain gets in
 *       one read call;
 *   <li>range scans of 100 keys from a random key ({@link KvStore#range}: the key index walk plus a
 *       version seek per key), against a raw cursor scan of 100 entries of the plain table;
 *   <li>kv_getValue through the kv_* RPC on loopback, 100 calls per HTTP batch.
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
public class KvReadBench {
  static final int KEYS = 100_000;
  static final int PER_TX = 10_000;
  static final int RPC_BATCH = 100;
  static final int READ_BATCH = 100;
  static final int RANGE = 100;
  static final Bytes32 STREAM = Bytes32.leftPad(Bytes.of(0x5e));
  static final Table<Bytes, Bytes> PLAIN = Table.of("plain", Serializers.BYTES, Serializers.BYTES);

  private Path dir;
  private KvStore kv;
  private Store plain;
  private StorageRpcServer server;
  private JsonRpcClient rpc;
  private Bytes[] keys;
  private Bytes[] plainKeys;
  private String[] keys64;
  private final SplittableRandom random = new SplittableRandom(1);

  @Setup(Level.Trial)
  public void setUp() throws Exception {
    dir = Files.createTempDirectory("kv-bench");
    StoreOptions options = StoreOptions.defaults().withInitialMapSize(256L << 20);
    kv = KvStore.open(dir.resolve("kv"), options);
    plain = Store.open(dir.resolve("plain"), options, PLAIN);
    keys = new Bytes[KEYS];
    plainKeys = new Bytes[KEYS];
    keys64 = new String[KEYS];
    SplittableRandom r = new SplittableRandom(7);
    Address sender = new Address(Bytes.wrap(new byte[20]));
    kv.skip(0);
    for (int t = 0; t < KEYS / PER_TX; t++) {
      List<StreamWrite> writes = new ArrayList<>();
      List<Bytes> values = new ArrayList<>();
      for (int i = t * PER_TX; i < (t + 1) * PER_TX; i++) {
        byte[] k = new byte[16];
        byte[] v = new byte[100];
        r.nextBytes(k);
        r.nextBytes(v);
        keys[i] = Bytes.wrap(k);
        plainKeys[i] = Bytes.concatenate(STREAM, keys[i]);
        keys64[i] = Base64.getEncoder().encodeToString(k);
        writes.add(new StreamWrite(STREAM, keys[i], Bytes.wrap(v)));
        values.add(Bytes.wrap(v));
      }
      KvTransaction tx = KvTransaction.ofWrites(-1, writes);
      kv.apply(t + 1, sender, KvTags.streamIds(tx), KvTxCodec.encode(tx), s -> true);
      int base = t * PER_TX;
      plain.write(
          w -> {
            for (int i = 0; i < PER_TX; i++) {
              w.put(PLAIN, plainKeys[base + i], values.get(i));
            }
          });
    }
    ObjectMapper mapper = new ObjectMapper();
    server =
        StorageRpcServer.start(
            new KvRpc(kv, StreamFilter.of(Set.of(STREAM)), mapper),
            mapper,
            new InetSocketAddress("127.0.0.1", 0));
    rpc =
        new JsonRpcClient(
            URI.create("http://127.0.0.1:" + server.address().getPort() + "/"),
            Duration.ofSeconds(30));
  }

  @TearDown(Level.Trial)
  public void tearDown() throws IOException {
    server.close();
    kv.close();
    plain.close();
    PathUtils.deleteDirectory(dir);
  }

  @Benchmark
  public Bytes kvStorePointRead() {
    return kv.value(STREAM, keys[random.nextInt(KEYS)], KvStore.LATEST).data();
  }

  /** Reference: one plain LMDB get of the same key and value size. */
  @Benchmark
  public Bytes lmdbPlainGet() {
    Bytes key = plainKeys[random.nextInt(KEYS)];
    return plain.read(tx -> tx.get(PLAIN, key)).orElseThrow();
  }

  @Benchmark
  @OperationsPerInvocation(READ_BATCH)
  public int kvStorePointReadsBatched() {
    List<Bytes> asked = new ArrayList<>(READ_BATCH);
    for (int i = 0; i < READ_BATCH; i++) {
      asked.add(keys[random.nextInt(KEYS)]);
    }
    int bytes = 0;
    for (KvStore.Value v : kv.values(STREAM, asked, KvStore.LATEST)) {
      bytes += v.data().size();
    }
    return bytes;
  }

  /** Reference: 100 plain gets in one read call. */
  @Benchmark
  @OperationsPerInvocation(READ_BATCH)
  public int lmdbPlainGetsBatched() {
    return plain.read(
        tx -> {
          int bytes = 0;
          for (int i = 0; i < READ_BATCH; i++) {
            bytes += tx.get(PLAIN, plainKeys[random.nextInt(KEYS)]).orElseThrow().size();
          }
          return bytes;
        });
  }

  /** Entries per second of 100-key range scans through the KV state (index walk + seek each). */
  @Benchmark
  @OperationsPerInvocation(RANGE)
  public int kvStoreRangeScan() {
    return kv.range(STREAM, keys[random.nextInt(KEYS)], RANGE, KvStore.LATEST).size();
  }

  /** Reference: a raw cursor scan of 100 entries of the plain table. */
  @Benchmark
  @OperationsPerInvocation(RANGE)
  public long lmdbCursorScan() {
    Bytes from = plainKeys[random.nextInt(KEYS)];
    return plain.read(
        tx -> {
          try (Stream<KeyValue<Bytes, Bytes>> s = tx.scan(PLAIN, KeyRange.atLeast(from))) {
            return s.limit(RANGE).count();
          }
        });
  }

  @Benchmark
  @OperationsPerInvocation(RPC_BATCH)
  public int rpcPointReadsBatched() {
    JsonRpcClient.Batch batch = rpc.batch();
    List<JsonRpcClient.BatchResult<Object>> results = new ArrayList<>(RPC_BATCH);
    String stream = STREAM.toHexString();
    for (int i = 0; i < RPC_BATCH; i++) {
      results.add(
          batch.add("kv_getValue", Object.class, stream, keys64[random.nextInt(KEYS)], 0, 1024));
    }
    batch.send();
    int n = 0;
    for (JsonRpcClient.BatchResult<Object> r : results) {
      n += r.get() == null ? 0 : 1;
    }
    return n;
  }
}
