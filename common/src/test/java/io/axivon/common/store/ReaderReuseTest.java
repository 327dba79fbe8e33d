package io.axivon.common.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.lmdbjava.ByteArrayProxy.PROXY_BA;
import static org.lmdbjava.EnvFlags.MDB_NOTLS;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.tuweni.bytes.Bytes;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lmdbjava.Dbi;
import org.lmdbjava.DbiFlags;
import org.lmdbjava.Env;
import org.lmdbjava.Txn;

class ReaderReuseTest {
  static final Table<Long, Long> TABLE = Table.of("t", Serializers.LONG, Serializers.LONG);
  static final Table<Long, Bytes> BLOBS = Table.of("b", Serializers.LONG, Serializers.BYTES);

  @TempDir Path dir;

  @Test
  void readTransactionsAreKeptAndReused() {
    try (Store store = Store.open(dir, StoreOptions.defaults(), TABLE)) {
      assertThat(store.idleReaders()).isZero();
      for (long i = 0; i < 100; i++) {
        long k = i;
        store.write(tx -> tx.put(TABLE, k, k * 2));
        Optional<Long> got = store.read(tx -> tx.get(TABLE, k));
        assertThat(got).contains(k * 2);
      }
      assertThat(store.idleReaders()).isEqualTo(1); // one thread: one reader, reused
    }
  }

  @Test
  void idleReaderStaysLiveUntilACommitThenHoldsNoSnapshot() {
    try (Store store = Store.open(dir, StoreOptions.defaults(), TABLE)) {
      store.write(tx -> tx.put(TABLE, 1L, 1L));
      assertThat(valueOf1(store)).contains(1L);
      assertThat(store.liveIdleReaders()).isEqualTo(1); // current snapshot kept for the next read
      assertThat(valueOf1(store)).contains(1L);
      store.write(tx -> tx.put(TABLE, 1L, 2L));
      // the commit reset it: an idle reader never pins an old snapshot's pages
      assertThat(store.liveIdleReaders()).isZero();
      assertThat(store.idleReaders()).isEqualTo(1);
      assertThat(valueOf1(store)).contains(2L);
      assertThat(store.liveIdleReaders()).isEqualTo(1);
    }
  }

  @Test
  void readerGivenBackAfterACommitIsNotKeptLive() throws Exception {
    try (Store store = Store.open(dir, StoreOptions.defaults(), TABLE)) {
      store.write(tx -> tx.put(TABLE, 1L, 1L));
      CountDownLatch inside = new CountDownLatch(1);
      CountDownLatch written = new CountDownLatch(1);
      ExecutorService pool = Executors.newSingleThreadExecutor();
      try {
        Future<Optional<Long>> read =
            pool.submit(
                () ->
                    store.read(
                        tx -> {
                          inside.countDown();
                          await(written);
                          return tx.get(TABLE, 1L);
                        }));
        assertThat(inside.await(10, TimeUnit.SECONDS)).isTrue();
        store.write(tx -> tx.put(TABLE, 1L, 2L));
        written.countDown();
        assertThat(read.get(10, TimeUnit.SECONDS)).contains(1L); // its own snapshot
      } finally {
        pool.shutdownNow();
      }
      assertThat(store.idleReaders()).isEqualTo(1);
      assertThat(store.liveIdleReaders()).isZero();
      assertThat(valueOf1(store)).contains(2L);
    }
  }

  @Test
  void failingLambdaLeavesReaderUsable() {
    try (Store store = Store.open(dir, StoreOptions.defaults(), TABLE)) {
      store.write(tx -> tx.put(TABLE, 1L, 1L));
      assertThatThrownBy(
              () ->
                  store.read(
                      tx -> {
                        tx.get(TABLE, 1L);
                        throw new IllegalArgumentException("boom");
                      }))
          .hasMessage("boom");
      store.write(tx -> tx.put(TABLE, 1L, 2L));
      Optional<Long> got = store.read(tx -> tx.get(TABLE, 1L));
      assertThat(got).contains(2L);
    }
  }

  @Test
  void idleReadersAreCappedAtAQuarterOfTheSlots() throws Exception {
    StoreOptions options = StoreOptions.defaults().withMaxReaders(8);
    try (Store store = Store.open(dir, options, TABLE)) {
      int threads = 6;
      CountDownLatch inside = new CountDownLatch(threads);
      CountDownLatch release = new CountDownLatch(1);
      ExecutorService pool = Executors.newFixedThreadPool(threads);
      try {
        List<Future<?>> reads = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
          reads.add(
              pool.submit(
                  () ->
                      store.read(
                          tx -> {
                            inside.countDown();
                            await(release);
                            return tx.count(TABLE);
                          })));
        }
        assertThat(inside.await(10, TimeUnit.SECONDS)).isTrue();
        release.countDown();
        for (Future<?> f : reads) {
          f.get(10, TimeUnit.SECONDS);
        }
      } finally {
        pool.shutdownNow();
      }
      assertThat(store.idleReaders()).isEqualTo(2);
      // and the slots the idle ones hold still leave room for reads
      long count = store.read(tx -> tx.count(TABLE));
      assertThat(count).isZero();
    }
  }

  @Test
  void mapGrowthWithIdleReadersKeepsReadsWorking() {
    StoreOptions tiny = new StoreOptions(64 * StoreOptions.KIB, 64 * StoreOptions.MIB, 16);
    try (Store store = Store.open(dir, tiny, BLOBS)) {
      Bytes blob = Bytes.wrap(new byte[8192]);
      for (long i = 0; i < 200; i++) {
        long k = i;
        store.write(tx -> tx.put(BLOBS, k, blob));
        Optional<KeyValue<Long, Bytes>> last =
            store.read(tx -> tx.firstIn(BLOBS, KeyRange.<Long>all().reversed()));
        assertThat(last.map(KeyValue::key)).contains(k);
      }
      assertThat(store.mapSize()).isGreaterThan(64 * StoreOptions.KIB);
    }
  }

  @Test
  void noReaderIsReusedLiveWhileACommitIsInFlight() {
    // the window between LMDB's commit and the pool hearing of it, driven by hand: a renewed
    // reader already sees the new snapshot there, so an idle live one must not answer with the old
    try (Env<byte[]> env =
        Env.create(PROXY_BA).setMapSize(1 << 20).setMaxDbs(1).open(dir.toFile(), MDB_NOTLS)) {
      Dbi<byte[]> db = env.openDbi("t", DbiFlags.MDB_CREATE);
      putOne(env, db, 1);
      ReaderPool pool = new ReaderPool(4, null);
      ReaderPool.Reader a = pool.borrow(env::txnRead);
      ReaderPool.Reader b = pool.borrow(env::txnRead);
      pool.giveBack(b, true);
      pool.giveBack(a, true);
      assertThat(pool.liveIdleCount()).isEqualTo(2);

      pool.committing();
      putOne(env, db, 2);
      ReaderPool.Reader first = pool.borrow(env::txnRead);
      ReaderPool.Reader second = pool.borrow(env::txnRead);
      assertThat(valueIn(db, first)).isEqualTo(2);
      assertThat(valueIn(db, second)).isEqualTo(2); // not the old snapshot it held idle
      pool.giveBack(first, true);
      assertThat(pool.liveIdleCount()).isZero(); // given back mid-commit: kept reset
      pool.giveBack(second, true);
      pool.committed();

      ReaderPool.Reader after = pool.borrow(env::txnRead);
      assertThat(valueIn(db, after)).isEqualTo(2);
      pool.giveBack(after, true);
      assertThat(pool.liveIdleCount()).isEqualTo(1); // a stable generation is reused live again
      pool.drain();
    }
  }

  private static void putOne(Env<byte[]> env, Dbi<byte[]> db, int value) {
    try (Txn<byte[]> txn = env.txnWrite()) {
      db.put(txn, new byte[] {1}, new byte[] {(byte) value});
      txn.commit();
    }
  }

  private static int valueIn(Dbi<byte[]> db, ReaderPool.Reader reader) {
    return db.get(reader.txn, new byte[] {1})[0];
  }

  @Test
  void concurrentWriterNeverBreaksReaders() throws Exception {
    try (Store store = Store.open(dir, StoreOptions.defaults(), TABLE)) {
      // invariant the writer keeps: key 0 holds the count, keys 1..count hold their own number
      store.write(tx -> tx.put(TABLE, 0L, 0L));
      AtomicBoolean stop = new AtomicBoolean();
      ExecutorService pool = Executors.newFixedThreadPool(3);
      try {
        List<Future<Long>> readers = new ArrayList<>();
        for (int r = 0; r < 2; r++) {
          readers.add(
              pool.submit(
                  () -> {
                    long seen = 0;
                    long last = 0;
                    while (!stop.get() || seen == 0) {
                      long[] snapshot =
                          store.read(
                              tx -> {
                                long n = tx.get(TABLE, 0L).orElseThrow();
                                long sum = 0;
                                for (long k = 1; k <= n; k++) {
                                  sum += tx.get(TABLE, k).orElseThrow();
                                }
                                return new long[] {n, sum};
                              });
                      assertThat(snapshot[1]).isEqualTo(snapshot[0] * (snapshot[0] + 1) / 2);
                      assertThat(snapshot[0]).isGreaterThanOrEqualTo(last); // never older
                      last = snapshot[0];
                      seen++;
                    }
                    return seen;
                  }));
        }
        for (long n = 1; n <= 300; n++) {
          long k = n;
          store.write(
              tx -> {
                tx.put(TABLE, k, k);
                tx.put(TABLE, 0L, k);
              });
          // a read right after the commit on this thread sees it
          Optional<Long> count = store.read(tx -> tx.get(TABLE, 0L));
          assertThat(count).contains(k);
        }
        stop.set(true);
        for (Future<Long> f : readers) {
          assertThat(f.get(30, TimeUnit.SECONDS)).isPositive();
        }
      } finally {
        stop.set(true);
        pool.shutdownNow();
      }
    }
  }

  private static Optional<Long> valueOf1(Store store) {
    return store.read(tx -> tx.get(TABLE, 1L));
  }

  private static void await(CountDownLatch latch) {
    try {
      if (!latch.await(10, TimeUnit.SECONDS)) {
        throw new IllegalStateException("not released");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
