package io.axivon.kv.store;

import static io.axivon.kv.tx.KvGen.account;
import static io.axivon.kv.tx.KvGen.stream;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.axivon.common.store.StoreOptions;
import io.axivon.kv.node.KvRpc;
import io.axivon.kv.node.StreamFilter;
import io.axivon.kv.replay.LogEntry;
import io.axivon.kv.replay.TxResult;
import io.axivon.kv.tx.KvTransaction;
import io.axivon.kv.tx.KvTxCodec;
import io.axivon.kv.tx.StreamWrite;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.apache.tuweni.bytes.Bytes;
import org.apache.tuweni.bytes.Bytes32;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Values above {@link KvStore#LARGE_VALUE_THRESHOLD} are kept by reference in the transaction's
 * file (specs/kv.md section 6.1): reads of any range equal the value's bytes, as the inline path
 * gives; replay stays deterministic; a crash between the file and the LMDB commit recovers; a
 * damaged file fails with a precise error.
 */
class KvLargeValueProperties {
  static final StoreOptions SMALL = new StoreOptions(1 << 20, 1L << 30, 16);
  static final int T = KvStore.LARGE_VALUE_THRESHOLD;
  static final Bytes32 S = stream(1);

  static Bytes random(long seed, int size) {
    byte[] b = new byte[size];
    new SplittableRandom(seed).nextBytes(b);
    return Bytes.wrap(b);
  }

  static Bytes key(String k) {
    return Bytes.wrap(k.getBytes());
  }

  /** Sizes around the threshold and the 64 KiB chunk edges, up to a few chunks. */
  @Provide
  Arbitrary<List<Integer>> sizes() {
    return Arbitraries.oneOf(
            Arbitraries.of(0, 1, T - 1, T, T + 1, 2 * T, 2 * T + 1, 3 * T - 7),
            Arbitraries.integers().between(0, 4 * T))
        .list()
        .ofMinSize(1)
        .ofMaxSize(4);
  }

  /** A transaction writing keys k0, k1, … with values of the given sizes (one read first). */
  static KvTransaction tx(List<Integer> sizes, long seed) {
    List<StreamWrite> writes = new ArrayList<>();
    for (int i = 0; i < sizes.size(); i++) {
      writes.add(new StreamWrite(S, key("k" + i), random(seed + i, sizes.get(i))));
    }
    return new KvTransaction(
        -1, List.of(new io.axivon.kv.tx.StreamRead(S, key("r"))), writes, List.of());
  }

  @Property(tries = 40)
  void valueOffsetsPointAtTheValuesInTheEncoding(@ForAll("sizes") List<Integer> sizes) {
    KvTransaction tx = tx(sizes, 1);
    Bytes data = KvTxCodec.encode(tx);
    long[] offsets = KvTxCodec.valueOffsets(tx);
    for (int i = 0; i < sizes.size(); i++) {
      Bytes v = tx.writes().get(i).value();
      assertThat(data.slice((int) offsets[i], v.size())).isEqualTo(v);
    }
  }

  @Provide
  Arbitrary<List<long[]>> ranges() {
    return Combinators.combine(
            Arbitraries.longs().between(0, 4L * T + 10), Arbitraries.integers().between(0, 3 * T))
        .as((start, length) -> new long[] {start, length})
        .list()
        .ofMinSize(1)
        .ofMaxSize(6);
  }

  /**
   * Any (startIndex, length) read of large and small values, through the snapshot and kv_getValue,
   * equals the slice of the value the inline path returns; whole reads equal the value.
   */
  @Property(tries = 30)
  void rangeReadsEqualTheInlineSlice(
      @ForAll("sizes") List<Integer> sizes, @ForAll("ranges") List<long[]> ranges)
      throws IOException {
    Path dir = KvStoreProperties.tempDir();
    ObjectMapper json = new ObjectMapper();
    try (KvStore store = KvStore.open(dir, SMALL)) {
      KvTransaction tx = tx(sizes, 7);
      store.apply(0, account(1), List.of(S), KvTxCodec.encode(tx), s -> true);
      KvRpc rpc = new KvRpc(store, StreamFilter.of(Set.of(S)), json);
      // the last write of a key wins within a transaction; keys here are distinct
      for (int i = 0; i < sizes.size(); i++) {
        Bytes key = key("k" + i);
        Bytes value = tx.writes().get(i).value();
        StoredValue stored = store.read(s -> s.stored(S, key, KvStore.LATEST));
        assertThat(stored.size()).isEqualTo(value.size());
        assertThat(stored.large()).isEqualTo(value.size() > T);
        assertThat(stored.version()).isZero();
        assertThat(store.value(S, key, KvStore.LATEST).data()).isEqualTo(value);
        for (long[] r : ranges) {
          long start = Math.min(r[0], value.size());
          int length = (int) Math.min(r[1], KvRpc.MAX_QUERY_LENGTH);
          Bytes expected = value.slice((int) start, (int) Math.min(length, value.size() - start));
          Bytes viaSnapshot =
              store.<Bytes>read(s -> s.stored(S, key, KvStore.LATEST).read(start, length));
          assertThat(viaSnapshot).isEqualTo(expected);
          JsonNode answer =
              rpc.handle(
                  json.readTree(
                      "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"kv_getValue\",\"params\":[\""
                          + S.toHexString()
                          + "\",\""
                          + Base64.getEncoder().encodeToString(key.toArrayUnsafe())
                          + "\","
                          + start
                          + ","
                          + length
                          + "]}"));
          assertThat(answer.at("/result/size").asLong()).isEqualTo(value.size());
          assertThat(Base64.getDecoder().decode(answer.at("/result/data").asText()))
              .isEqualTo(expected.toArrayUnsafe());
        }
      }
      List<KvStore.Entry> all = store.range(S, key("k"), 10, KvStore.LATEST);
      assertThat(all.stream().map(KvStore.Entry::data).toList())
          .isEqualTo(
              tx.writes().stream().map(StreamWrite::value).filter(v -> !v.isEmpty()).toList());
      long files;
      try (var list = Files.list(dir.resolve("values"))) {
        files = list.count();
      }
      assertThat(files).isEqualTo(sizes.stream().anyMatch(n -> n > T) ? 1 : 0);
    } finally {
      KvStoreProperties.delete(dir);
    }
  }

  /** A log with large values, overwrites and deletes. */
  static List<LogEntry> largeLog(long seed, int n) {
    SplittableRandom r = new SplittableRandom(seed);
    List<LogEntry> log = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      List<StreamWrite> writes = new ArrayList<>();
      int count = 1 + r.nextInt(3);
      for (int w = 0; w < count; w++) {
        int size =
            switch (r.nextInt(4)) {
              case 0 -> 0;
              case 1 -> r.nextInt(100);
              default -> T + r.nextInt(T);
            };
        writes.add(new StreamWrite(S, key("k" + r.nextInt(4)), random(r.nextLong(), size)));
      }
      log.add(LogEntry.of(account(1), KvTransaction.ofWrites(-1, writes)));
    }
    return log;
  }

  @Property(tries = 10)
  void replayWithLargeValuesIsDeterministicAcrossARestart(
      @ForAll @net.jqwik.api.constraints.LongRange(min = 0, max = 1000) long seed,
      @ForAll @net.jqwik.api.constraints.IntRange(min = 0, max = 6) int restartAt) {
    List<LogEntry> log = largeLog(seed, 6);
    Path a = KvStoreProperties.tempDir();
    Path b = KvStoreProperties.tempDir();
    try {
      Bytes32 digestA;
      try (KvStore store = KvStore.open(a, SMALL)) {
        store.skip(0);
        KvStoreProperties.replay(store, log, 0, log.size());
        digestA = store.digest();
      }
      try (KvStore store = KvStore.open(b, SMALL)) {
        store.skip(0);
        KvStoreProperties.replay(store, log, 0, restartAt);
      }
      try (KvStore store = KvStore.open(b, SMALL)) {
        KvStoreProperties.replay(store, log, restartAt, log.size());
        assertThat(store.digest()).isEqualTo(digestA);
        for (int k = 0; k < 4; k++) {
          Bytes key = key("k" + k);
          assertThat(store.value(S, key, KvStore.LATEST).data())
              .isEqualTo(expectedLatest(log, key));
        }
      }
      // the digest covers the references' hashes, never the files: it does not read them
      deleteTree(a.resolve("values"));
      try (KvStore store = KvStore.open(a, SMALL)) {
        assertThat(store.digest()).isEqualTo(digestA);
      }
    } finally {
      KvStoreProperties.delete(a);
      KvStoreProperties.delete(b);
    }
  }

  /** The value of the last write of {@code key} in the log (every entry commits: one admin). */
  static Bytes expectedLatest(List<LogEntry> log, Bytes key) {
    Bytes v = Bytes.EMPTY;
    for (LogEntry e : log) {
      for (StreamWrite w : KvTxCodec.decode(e.data()).writes()) {
        if (w.key().equals(key)) {
          v = w.value();
        }
      }
    }
    return v;
  }

  static void deleteTree(Path dir) {
    if (Files.exists(dir)) {
      KvStoreProperties.delete(dir);
    }
  }

  /**
   * A crash after the batch's files are durable but before its LMDB commit (injected as a failure
   * there): nothing is committed, restart removes the orphan files, and replaying again reaches the
   * digest and values of a node that never crashed.
   */
  @Test
  void aCrashBetweenTheFileAndTheCommitRecovers(@TempDir Path tmp) {
    List<LogEntry> log = largeLog(3, 5);
    List<KvStore.Step> steps = new ArrayList<>();
    for (int i = 0; i < log.size(); i++) {
      LogEntry e = log.get(i);
      steps.add(new KvStore.Step.Apply(i, e.sender(), e.tags(), e.data()));
    }
    Bytes32 clean;
    try (KvStore store = KvStore.open(tmp.resolve("clean"), SMALL)) {
      store.replay(steps.subList(0, 2), s -> true);
      store.replay(steps.subList(2, 5), s -> true);
      clean = store.digest();
    }
    Path dir = tmp.resolve("crashed");
    try (KvStore store = KvStore.open(dir, SMALL)) {
      store.replay(steps.subList(0, 2), s -> true);
    }
    Bytes32 beforeCrash;
    try (KvStore store = KvStore.open(dir, SMALL)) {
      beforeCrash = store.digest();
    }
    try (KvStore store =
        KvStore.open(
            dir,
            SMALL,
            () -> {
              throw new IllegalStateException("crash injected before the LMDB commit");
            })) {
      assertThatThrownBy(() -> store.replay(steps.subList(2, 5), s -> true))
          .hasMessage("crash injected before the LMDB commit");
      assertThat(store.nextTxSeq()).isEqualTo(2);
      assertThat(store.digest()).isEqualTo(beforeCrash);
      // the files of the uncommitted batch are there: orphans nothing refers to
      assertThat(Files.exists(new ValueFiles(dir.resolve("values")).path(2))).isTrue();
    }
    try (KvStore store = KvStore.open(dir, SMALL)) {
      assertThat(Files.exists(new ValueFiles(dir.resolve("values")).path(2))).isFalse();
      assertThat(Files.exists(new ValueFiles(dir.resolve("values")).path(0))).isTrue();
      store.replay(steps.subList(2, 5), s -> true);
      assertThat(store.digest()).isEqualTo(clean);
      for (int k = 0; k < 4; k++) {
        assertThat(store.value(S, key("k" + k), KvStore.LATEST).data())
            .isEqualTo(expectedLatest(log, key("k" + k)));
      }
    }
  }

  /** A torn temporary file and a stale file past the cursor (crash mid-write) are harmless. */
  @Test
  void leftoversOfATornWriteAreRemovedAndRewritten(@TempDir Path dir) throws IOException {
    KvTransaction tx = tx(List.of(T + 5), 11);
    Bytes data = KvTxCodec.encode(tx);
    try (KvStore store = KvStore.open(dir, SMALL)) {
      store.skip(0);
    }
    ValueFiles files = new ValueFiles(dir.resolve("values"));
    Files.write(files.path(1), new byte[] {1, 2, 3}); // a stale, short file for seq 1
    Files.write(dir.resolve("values").resolve(files.path(1).getFileName() + ".tmp"), new byte[7]);
    try (KvStore store = KvStore.open(dir, SMALL)) {
      try (var list = Files.list(dir.resolve("values"))) {
        assertThat(list.count()).isZero();
      }
      assertThat(store.apply(1, account(1), List.of(S), data, s -> true))
          .isEqualTo(new TxResult.Committed());
      assertThat(store.value(S, key("k0"), KvStore.LATEST).data())
          .isEqualTo(tx.writes().get(0).value());
    }
  }

  /** A damaged value file gives a precise error naming the file and the damage, never bytes. */
  @Test
  void aCorruptedValueFileGivesAPreciseError(@TempDir Path dir) throws IOException {
    KvTransaction tx = tx(List.of(3 * T), 5);
    Bytes data = KvTxCodec.encode(tx);
    long offset = KvTxCodec.valueOffsets(tx)[0];
    try (KvStore store = KvStore.open(dir, SMALL)) {
      store.apply(0, account(1), List.of(S), data, s -> true);
      Path file = new ValueFiles(dir.resolve("values")).path(0);
      // flip one byte inside the value's second chunk (file bytes 64 KiB … 128 KiB)
      long at = ValueFiles.CHUNK + 100;
      flip(file, at);
      String chunk1 =
          "value file "
              + file
              + " of tx seq 0 is corrupt: chunk 1 (bytes 65536 to 131072) does not match its"
              + " sha256 ";
      assertThatThrownBy(() -> read(store, at - offset, 10))
          .isInstanceOf(CorruptValueException.class)
          .hasMessageStartingWith(chunk1);
      // a page that does not touch the damaged chunk still reads, and right
      assertThat(read(store, 0, 100)).isEqualTo(tx.writes().get(0).value().slice(0, 100));
      assertThatThrownBy(() -> store.value(S, key("k0"), KvStore.LATEST))
          .isInstanceOf(CorruptValueException.class)
          .hasMessageStartingWith(chunk1);
      // through kv_getValue: an internal error with the same words
      ObjectMapper json = new ObjectMapper();
      KvRpc rpc = new KvRpc(store, StreamFilter.of(Set.of(S)), json);
      JsonNode answer =
          rpc.handle(
              json.readTree(
                  "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"kv_getValue\",\"params\":[\""
                      + S.toHexString()
                      + "\",\"azA=\","
                      + (at - offset)
                      + ",1]}"));
      assertThat(answer.at("/error/code").asInt()).isEqualTo(-32603);
      assertThat(answer.at("/error/data").asText()).startsWith(chunk1);
      flip(file, at); // repaired

      // damage the chunk hashes at the end instead: the chunk no longer matches either
      flip(file, data.size()); // first byte of chunk 0's hash
      assertThatThrownBy(() -> read(store, 0, 10))
          .isInstanceOf(CorruptValueException.class)
          .hasMessageStartingWith(
              "value file " + file + " of tx seq 0 is corrupt: chunk 0 (bytes 0 to 65536)");
      flip(file, data.size());
      assertThat(store.value(S, key("k0"), KvStore.LATEST).data())
          .isEqualTo(tx.writes().get(0).value());

      long size = Files.size(file);
      try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE)) {
        ch.truncate(size - 1);
      }
      assertThatThrownBy(() -> read(store, 0, 10))
          .isInstanceOf(CorruptValueException.class)
          .hasMessage(
              "value file " + file + " of tx seq 0 has " + (size - 1) + " bytes, expected " + size);
      Files.delete(file);
      assertThatThrownBy(() -> read(store, 0, 10))
          .isInstanceOf(CorruptValueException.class)
          .hasMessage("value file " + file + " of tx seq 0 is missing");
      // the size and version come from LMDB and still answer
      long stillKnown = store.<Long>read(s -> s.stored(S, key("k0"), KvStore.LATEST).size());
      assertThat(stillKnown).isEqualTo(3L * T);
    }
  }

  /**
   * A state written before values carried the inline/reference byte is cleared, never misread: the
   * node replays the log from the start.
   */
  @Test
  void aStateOfTheOlderLayoutIsRebuiltFromTheLog(@TempDir Path dir) {
    try (KvStore store = KvStore.open(dir, SMALL)) {
      store.skip(0);
      store.skip(1);
    }
    try (io.axivon.common.store.Store raw =
        io.axivon.common.store.Store.open(
            dir,
            SMALL,
            KvStore.VALUES,
            KvStore.KEYS,
            KvStore.FLAGS,
            KvStore.STREAMS,
            KvStore.RESULTS,
            KvStore.META)) {
      raw.write(tx -> tx.delete(KvStore.META, KvStore.VALUE_FORMAT));
    }
    Bytes32 empty;
    Path fresh = dir.resolve("fresh");
    try (KvStore store = KvStore.open(fresh, SMALL)) {
      empty = store.digest();
    }
    try (KvStore store = KvStore.open(dir, SMALL)) {
      assertThat(store.nextTxSeq()).isZero();
      assertThat(store.digest()).isEqualTo(empty);
      store.skip(0);
    }
    // the marker is written: it opens again as it is
    try (KvStore store = KvStore.open(dir, SMALL)) {
      assertThat(store.nextTxSeq()).isEqualTo(1);
    }
  }

  /**
   * A state of layout 1 (kv.values keyed by sha256(stream ‖ key) ‖ version, oldest first) is
   * cleared at open and replayed, never misread under layout 2.
   */
  @Test
  void aStateOfLayoutOneIsRebuiltFromTheLog(@TempDir Path dir) {
    try (KvStore store = KvStore.open(dir, SMALL)) {
      store.skip(0);
    }
    try (io.axivon.common.store.Store raw =
        io.axivon.common.store.Store.open(
            dir,
            SMALL,
            KvStore.VALUES,
            KvStore.KEYS,
            KvStore.FLAGS,
            KvStore.STREAMS,
            KvStore.RESULTS,
            KvStore.META)) {
      raw.write(tx -> tx.put(KvStore.META, KvStore.VALUE_FORMAT, 1L));
    }
    try (KvStore store = KvStore.open(dir, SMALL)) {
      assertThat(store.nextTxSeq()).isZero();
      store.skip(0);
    }
    try (KvStore store = KvStore.open(dir, SMALL)) {
      assertThat(store.nextTxSeq()).isEqualTo(1);
    }
  }

  private static Bytes read(KvStore store, long start, int length) {
    return store.read(s -> s.stored(S, key("k0"), KvStore.LATEST).read(start, length));
  }

  private static void flip(Path file, long at) throws IOException {
    try (FileChannel ch =
        FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
      ByteBuffer b = ByteBuffer.allocate(1);
      ch.read(b, at);
      b.put(0, (byte) (b.get(0) ^ 0x40)).rewind();
      ch.write(b, at);
    }
  }
}
