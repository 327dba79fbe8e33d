package io.axivon.common.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.axivon.common.InvalidInputException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;
import java.util.function.Function;
import java.util.stream.LongStream;
import org.apache.tuweni.bytes.Bytes;
import org.apache.tuweni.bytes.Bytes32;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.lmdbjava.ByteArrayProxy;
import org.lmdbjava.Dbi;
import org.lmdbjava.Env;
import org.lmdbjava.Txn;

@Timeout(60)
class StoreTest {
  static final Table<Long, Bytes> BLOCKS = Table.of("blocks", Serializers.LONG, Serializers.BYTES);
  static final Table<Bytes, String> NAMES =
      Table.of("names", Serializers.BYTES, Serializers.STRING);
  static final Table<Bytes32, Long> HEIGHTS =
      Table.of("heights", Serializers.BYTES32, Serializers.LONG);

  @TempDir Path dir;
  private final ExecutorService threads = Executors.newCachedThreadPool();

  @AfterEach
  void stopThreads() {
    threads.shutdownNow();
  }

  private Store open() {
    return open(StoreOptions.defaults());
  }

  private Store open(StoreOptions options) {
    return Store.open(dir, options, BLOCKS, NAMES, HEIGHTS);
  }

  private static Bytes text(String s) {
    return Bytes.wrap(s.getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void putGetContainsDeleteAcrossTables() {
    try (Store store = open()) {
      Bytes32 hash = Bytes32.fromHexString("0x" + "ab".repeat(32));
      store.write(
          tx -> {
            tx.put(BLOCKS, 7L, text("seven"));
            tx.put(NAMES, text("alice"), "Alice");
            tx.put(HEIGHTS, hash, 7L);
            // a write transaction sees its own writes
            assertThat(tx.get(BLOCKS, 7L)).contains(text("seven"));
          });
      store.read(
          tx -> {
            assertThat(tx.get(BLOCKS, 7L)).contains(text("seven"));
            assertThat(tx.get(BLOCKS, 8L)).isEmpty();
            assertThat(tx.contains(NAMES, text("alice"))).isTrue();
            assertThat(tx.contains(NAMES, text("bob"))).isFalse();
            assertThat(tx.get(HEIGHTS, hash)).contains(7L);
            return null;
          });
      boolean removed = store.writeAndGet(tx -> tx.delete(BLOCKS, 7L));
      boolean removedAgain = store.writeAndGet(tx -> tx.delete(BLOCKS, 7L));
      assertThat(removed).isTrue();
      assertThat(removedAgain).isFalse();
      assertThat(block(store, 7L)).isEmpty();
      assertThat(count(store, NAMES)).isEqualTo(1);
    }
  }

  /**
   * A store that leaves the meta page's sync to the next commit still commits atomically and keeps
   * every commit across a close (which syncs): its commits grow the map and reopen as usual.
   */
  @Test
  void aStoreSyncingAllButTheLastCommitKeepsEveryCommitAcrossReopen() {
    StoreOptions lazy =
        StoreOptions.defaults()
            .withInitialMapSize(64 * StoreOptions.KIB)
            .withDurability(StoreOptions.Durability.ALL_BUT_LAST_COMMIT);
    assertThat(StoreOptions.defaults().durability())
        .isEqualTo(StoreOptions.Durability.EVERY_COMMIT);
    try (Store store = open(lazy)) {
      for (long i = 0; i < 200; i++) {
        long n = i;
        store.write(tx -> tx.put(BLOCKS, n, Bytes.wrap(new byte[1024])));
      }
    }
    try (Store store = open()) {
      long count = store.read(tx -> tx.count(BLOCKS));
      assertThat(count).isEqualTo(200);
    }
    assertThatThrownBy(() -> StoreOptions.defaults().withDurability(null))
        .isInstanceOf(NullPointerException.class);
  }

  @Test
  void scansRangesInNumericOrderBothWays() {
    try (Store store = open()) {
      store.write(
          tx -> LongStream.rangeClosed(-5, 5).forEach(i -> tx.put(BLOCKS, i * 10, text("v" + i))));
      List<Long> all =
          store.read(tx -> tx.scan(BLOCKS, KeyRange.<Long>all()).map(KeyValue::key).toList());
      assertThat(all).containsExactly(-50L, -40L, -30L, -20L, -10L, 0L, 10L, 20L, 30L, 40L, 50L);
      assertThat(keys(store, KeyRange.between(-15L, 20L))).containsExactly(-10L, 0L, 10L);
      assertThat(keys(store, KeyRange.between(-15L, 20L).reversed()))
          .containsExactly(10L, 0L, -10L);
      assertThat(keys(store, KeyRange.atLeast(30L))).containsExactly(30L, 40L, 50L);
      assertThat(keys(store, KeyRange.atLeast(31L).reversed())).containsExactly(50L, 40L);
      assertThat(keys(store, KeyRange.lessThan(-30L))).containsExactly(-50L, -40L);
      assertThat(keys(store, KeyRange.lessThan(-30L).reversed())).containsExactly(-40L, -50L);
      assertThat(keys(store, KeyRange.lessThan(1000L).reversed())).first().isEqualTo(50L);
      assertThat(keys(store, KeyRange.between(11L, 19L))).isEmpty();
      assertThat(keys(store, KeyRange.between(11L, 19L).reversed())).isEmpty();
      assertThat(store.<Optional<KeyValue<Long, Bytes>>>read(tx -> tx.first(BLOCKS)))
          .contains(new KeyValue<>(-50L, text("v-5")));
      assertThat(store.<Optional<KeyValue<Long, Bytes>>>read(tx -> tx.last(BLOCKS)))
          .contains(new KeyValue<>(50L, text("v5")));
      // values come with the keys
      List<Bytes> values =
          store.read(
              tx -> tx.scan(BLOCKS, KeyRange.between(0L, 11L)).map(KeyValue::value).toList());
      assertThat(values).containsExactly(text("v0"), text("v1"));
    }
  }

  private static Optional<Bytes> block(Store store, long key) {
    return store.read(tx -> tx.get(BLOCKS, key));
  }

  private static long count(Store store, Table<?, ?> table) {
    return store.read(tx -> tx.count(table));
  }

  private static List<Long> keys(Store store, KeyRange<Long> range) {
    return store.read(tx -> tx.scan(BLOCKS, range).map(KeyValue::key).toList());
  }

  @Test
  void emptyTableHasNoFirstLastOrEntries() {
    try (Store store = open()) {
      store.read(
          tx -> {
            assertThat(tx.first(BLOCKS)).isEmpty();
            assertThat(tx.last(BLOCKS)).isEmpty();
            assertThat(tx.scan(BLOCKS, KeyRange.<Long>all().reversed())).isEmpty();
            assertThat(tx.count(BLOCKS)).isZero();
            return null;
          });
    }
  }

  @Test
  void prefixScanCoversExactlyTheKeysWithThePrefix() {
    try (Store store = open()) {
      List<String> keys = List.of("a", "ab", "abc", "abd", "ac", "b", "ab\u00ff", "");
      store.write(
          tx -> {
            for (String k : keys.subList(0, 7)) {
              tx.put(NAMES, text(k), k);
            }
            tx.put(NAMES, Bytes.fromHexString("0xabff"), "ff1");
            tx.put(NAMES, Bytes.fromHexString("0xabffff"), "ff2");
            tx.put(NAMES, Bytes.fromHexString("0xac"), "next");
          });
      assertThat(prefix(store, text("ab"))).containsExactly("ab", "abc", "abd", "ab\u00ff");
      assertThat(prefix(store, text("abc"))).containsExactly("abc");
      assertThat(prefix(store, text("z"))).isEmpty();
      assertThat(prefix(store, Bytes.fromHexString("0xabff"))).containsExactly("ff1", "ff2");
      assertThat(prefix(store, Bytes.EMPTY)).hasSize(10);
    }
  }

  private static List<String> prefix(Store store, Bytes prefix) {
    return store.read(tx -> tx.scanPrefix(NAMES, prefix).map(KeyValue::value).toList());
  }

  @Test
  void nextPrefixSkipsTrailingFf() {
    assertThat(LmdbTx.nextPrefix(new byte[] {1, 2})).containsExactly(1, 3);
    assertThat(LmdbTx.nextPrefix(new byte[] {1, (byte) 0xFF})).containsExactly(2);
    assertThat(LmdbTx.nextPrefix(new byte[] {(byte) 0xFF, (byte) 0xFF})).isNull();
    assertThat(LmdbTx.nextPrefix(new byte[0])).isNull();
  }

  @Test
  void exceptionInWriteAbortsEverythingAndPropagates() {
    try (Store store = open()) {
      store.write(tx -> tx.put(BLOCKS, 1L, text("kept")));
      IllegalArgumentException boom = new IllegalArgumentException("boom");
      assertThatThrownBy(
              () ->
                  store.write(
                      tx -> {
                        tx.put(BLOCKS, 1L, text("overwritten"));
                        tx.put(BLOCKS, 2L, text("new"));
                        tx.clear(NAMES);
                        throw boom;
                      }))
          .isSameAs(boom);
      assertThat(
              store.<List<KeyValue<Long, Bytes>>>read(
                  tx -> tx.scan(BLOCKS, KeyRange.<Long>all()).toList()))
          .containsExactly(new KeyValue<>(1L, text("kept")));
    }
  }

  @Test
  void clearEmptiesOneTable() {
    try (Store store = open()) {
      store.write(
          tx -> {
            tx.put(BLOCKS, 1L, text("x"));
            tx.put(NAMES, text("n"), "n");
          });
      store.write(tx -> tx.clear(BLOCKS));
      assertThat(count(store, BLOCKS)).isZero();
      assertThat(count(store, NAMES)).isOne();
    }
  }

  @Test
  void dataSurvivesReopen() {
    try (Store store = open()) {
      store.write(tx -> tx.put(BLOCKS, 42L, text("answer")));
    }
    try (Store store = open()) {
      assertThat(block(store, 42L)).contains(text("answer"));
    }
  }

  @Test
  void readSeesItsSnapshotWhileAWriteCommits() throws Exception {
    try (Store store = open()) {
      store.write(tx -> tx.put(BLOCKS, 1L, text("old")));
      CountDownLatch inRead = new CountDownLatch(1);
      CountDownLatch written = new CountDownLatch(1);
      Future<List<Optional<Bytes>>> reader =
          threads.submit(
              () ->
                  store.read(
                      tx -> {
                        Optional<Bytes> before = tx.get(BLOCKS, 1L);
                        inRead.countDown();
                        await(written);
                        return List.of(before, tx.get(BLOCKS, 1L));
                      }));
      await(inRead);
      store.write(tx -> tx.put(BLOCKS, 1L, text("new"))); // readers never block the writer
      written.countDown();
      assertThat(reader.get(30, TimeUnit.SECONDS))
          .containsExactly(Optional.of(text("old")), Optional.of(text("old")));
      assertThat(block(store, 1L)).contains(text("new"));
    }
  }

  @Test
  void mapGrowsTransparentlyForManySmallAndOneLargeWrite() {
    StoreOptions small = StoreOptions.defaults().withInitialMapSize(64 * StoreOptions.KIB);
    Bytes payload = Bytes.wrap(new byte[3000]);
    try (Store store = open(small)) {
      long start = store.mapSize();
      for (long i = 0; i < 200; i++) {
        long key = i;
        store.write(tx -> tx.put(BLOCKS, key, payload));
      }
      // a single transaction far bigger than the current map
      int runs =
          store.writeAndGet(
              new Function<WriteTx, Integer>() {
                int calls;

                @Override
                public Integer apply(WriteTx tx) {
                  calls++;
                  for (long i = 1000; i < 3000; i++) {
                    tx.put(BLOCKS, i, payload);
                  }
                  return calls;
                }
              });
      assertThat(runs).as("the lambda is rerun after growing").isGreaterThan(1);
      assertThat(store.mapSize()).isGreaterThanOrEqualTo(8 * StoreOptions.MIB).isGreaterThan(start);
      assertThat(count(store, BLOCKS)).isEqualTo(2200);
      assertThat(block(store, 2999L)).contains(payload);
    }
    try (Store store = open(small)) {
      // the grown file keeps its size across a reopen with a smaller configured start
      assertThat(store.mapSize()).isGreaterThanOrEqualTo(8 * StoreOptions.MIB);
      assertThat(count(store, BLOCKS)).isEqualTo(2200);
    }
  }

  @Test
  void writeThatNeedsMoreThanTheMaximumFailsAndLeavesStoreUsable() {
    StoreOptions tiny = new StoreOptions(64 * StoreOptions.KIB, 256 * StoreOptions.KIB, 16);
    try (Store store = open(tiny)) {
      store.write(tx -> tx.put(BLOCKS, 1L, text("small")));
      assertThatThrownBy(
              () ->
                  store.write(
                      tx -> {
                        for (long i = 10; i < 200; i++) {
                          tx.put(BLOCKS, i, Bytes.wrap(new byte[4000]));
                        }
                      }))
          .isInstanceOf(StoreFullException.class)
          .hasMessageContaining("is full")
          .hasMessageContaining("262144");
      assertThat(count(store, BLOCKS)).isOne();
      store.write(tx -> tx.put(BLOCKS, 2L, text("still works")));
      assertThat(block(store, 2L)).contains(text("still works"));
    }
  }

  @Test
  void resizeWaitsForOpenReadersAndThenProceeds() throws Exception {
    StoreOptions small = StoreOptions.defaults().withInitialMapSize(64 * StoreOptions.KIB);
    try (Store store = open(small)) {
      store.write(tx -> tx.put(BLOCKS, 0L, text("zero")));
      CountDownLatch inRead = new CountDownLatch(1);
      CountDownLatch release = new CountDownLatch(1);
      Future<Optional<Bytes>> reader =
          threads.submit(
              () ->
                  store.read(
                      tx -> {
                        inRead.countDown();
                        await(release);
                        return tx.get(BLOCKS, 0L);
                      }));
      await(inRead);
      long before = store.mapSize();
      Future<?> bigWrite =
          threads.submit(
              () ->
                  store.write(
                      tx -> {
                        for (long i = 1; i < 200; i++) {
                          tx.put(BLOCKS, i, Bytes.wrap(new byte[2000]));
                        }
                      }));
      // the writer hits MAP_FULL and queues for the exclusive gate behind the open reader
      waitUntil(() -> store.gateQueueLength() > 0);
      assertThat(bigWrite).isNotDone();
      assertThat(store.mapSize()).isEqualTo(before);
      release.countDown();
      assertThat(reader.get(30, TimeUnit.SECONDS)).contains(text("zero"));
      bigWrite.get(30, TimeUnit.SECONDS);
      assertThat(store.mapSize()).isGreaterThan(before);
      assertThat(count(store, BLOCKS)).isEqualTo(200);
    }
  }

  @Test
  void secondOpenOfTheSameDirectoryIsRefused() {
    try (Store store = open()) {
      assertThatThrownBy(this::open)
          .isInstanceOf(StoreLockedException.class)
          .isInstanceOf(InvalidInputException.class)
          .hasMessageContaining(dir.toAbsolutePath().toString())
          .hasMessageContaining("already open in this process")
          .hasMessageContaining("--data-dir");
      assertThat(store.isClosed()).isFalse();
    }
    // the lock is released on close
    try (Store again = open()) {
      assertThat(again.isClosed()).isFalse();
    }
  }

  @Test
  void closeIsIdempotentAndEverythingAfterItIsAClearError() {
    Store store = open();
    AtomicReference<ReadTx> leaked = new AtomicReference<>();
    store.read(
        tx -> {
          leaked.set(tx);
          return null;
        });
    store.close();
    store.close();
    assertThat(store.isClosed()).isTrue();
    assertThatThrownBy(() -> store.read(tx -> tx.get(BLOCKS, 1L)))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("is closed");
    assertThatThrownBy(() -> store.write(tx -> tx.put(BLOCKS, 1L, Bytes.EMPTY)))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("is closed");
    assertThatThrownBy(() -> leaked.get().get(BLOCKS, 1L))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("transaction has ended");
  }

  @Test
  void closeWaitsForInFlightTransactionsAndRefusesNewOnes() throws Exception {
    Store store = open();
    CountDownLatch inRead = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    Future<Optional<Bytes>> reader =
        threads.submit(
            () ->
                store.read(
                    tx -> {
                      inRead.countDown();
                      await(release);
                      return tx.get(BLOCKS, 5L);
                    }));
    await(inRead);
    CompletableFuture<Void> closing = CompletableFuture.runAsync(store::close, threads);
    waitUntil(store::isClosed);
    assertThatThrownBy(() -> store.read(tx -> tx.count(BLOCKS)))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("is closed");
    waitUntil(() -> store.gateQueueLength() > 0);
    assertThat(closing).isNotDone();
    release.countDown();
    assertThat(reader.get(30, TimeUnit.SECONDS)).isEmpty(); // the open snapshot stayed usable
    closing.get(30, TimeUnit.SECONDS);
  }

  @Test
  @SuppressWarnings("try") // closes the store from inside its own try block on purpose
  void transactionsDoNotNestAndCloseInsideOneIsRefused() {
    try (Store store = open()) {
      assertThatThrownBy(() -> store.read(tx -> store.read(inner -> inner.count(BLOCKS))))
          .isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("do not nest");
      assertThatThrownBy(() -> store.write(tx -> store.write(inner -> {})))
          .isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("do not nest");
      assertThatThrownBy(
              () ->
                  store.read(
                      tx -> {
                        store.close();
                        return null;
                      }))
          .isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("inside one of its transactions");
      assertThat(store.isClosed()).isFalse();
    }
  }

  @Test
  void readTransactionCannotWrite() {
    try (Store store = open()) {
      assertThatThrownBy(
              () ->
                  store.read(
                      tx -> {
                        ((WriteTx) tx).put(BLOCKS, 1L, Bytes.EMPTY);
                        return null;
                      }))
          .isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("cannot write");
    }
  }

  @Test
  void undeclaredTablesAndBadKeysAreRejected() {
    try (Store store = open()) {
      Table<Long, Long> other = Table.of("other", Serializers.LONG, Serializers.LONG);
      assertThatThrownBy(() -> store.read(tx -> tx.get(other, 1L)))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("'other' was not declared")
          .hasMessageContaining("[blocks, names, heights]");
      assertThatThrownBy(() -> store.read(tx -> tx.get(Store.META, Store.FORMAT_KEY)))
          .isInstanceOf(IllegalArgumentException.class);
      assertThatThrownBy(() -> store.write(tx -> tx.put(NAMES, Bytes.EMPTY, "x")))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("keys must be 1 to 511 bytes");
      assertThatThrownBy(() -> store.write(tx -> tx.put(NAMES, Bytes.wrap(new byte[512]), "x")))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("512 bytes");
    }
  }

  @Test
  void schemaErrorsAreCaughtAtOpen() {
    assertThatThrownBy(() -> Store.open(dir, StoreOptions.defaults(), BLOCKS, BLOCKS))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("declared twice");
    assertThatThrownBy(
            () ->
                Store.open(
                    dir,
                    StoreOptions.defaults(),
                    Table.of("__mine", Serializers.LONG, Serializers.LONG)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("reserved");
    assertThatThrownBy(() -> Table.of("has space", Serializers.LONG, Serializers.LONG))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void unknownFormatVersionIsRefused() {
    open().close();
    // rewrite the format version behind the store's back, as a future build would
    try (Env<byte[]> env = Env.create(ByteArrayProxy.PROXY_BA).setMaxDbs(8).open(dir.toFile())) {
      Dbi<byte[]> meta = env.openDbi("__meta");
      try (Txn<byte[]> txn = env.txnWrite()) {
        meta.put(txn, Serializers.STRING.toBytes(Store.FORMAT_KEY), Serializers.LONG.toBytes(2L));
        txn.commit();
      }
    }
    assertThatThrownBy(this::open)
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("storage format 2")
        .hasMessageContaining("reads format 1");
    // and the failed open released the lock
    assertThatThrownBy(this::open)
        .isInstanceOf(InvalidInputException.class)
        .isNotInstanceOf(StoreLockedException.class);
  }

  @Test
  void optionsAreValidated() {
    assertThatThrownBy(() -> new StoreOptions(1024, StoreOptions.GIB, 1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("64 KiB");
    assertThatThrownBy(() -> new StoreOptions(StoreOptions.GIB, StoreOptions.MIB, 1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("maxMapSize");
    assertThat(StoreOptions.defaults().initialMapSize()).isEqualTo(64 * StoreOptions.MIB);
  }

  static void await(CountDownLatch latch) {
    try {
      if (!latch.await(30, TimeUnit.SECONDS)) {
        throw new AssertionError("latch not released in 30 s");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  /** Waits for a condition another thread will make true; the test timeout bounds it. */
  static void waitUntil(BooleanSupplier condition) {
    while (!condition.getAsBoolean()) {
      Thread.onSpinWait();
      Thread.yield();
    }
  }
}
