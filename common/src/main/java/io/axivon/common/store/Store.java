package io.axivon.common.store;

import io.axivon.common.InvalidInputException;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.locks.Lock;
import java.util.concurrent.locks.ReentrantLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.Consumer;
import java.util.function.Function;
import org.lmdbjava.Dbi;
import org.lmdbjava.DbiFlags;
import org.lmdbjava.Env;
import org.lmdbjava.EnvFlags;
import org.lmdbjava.LmdbException;
import org.lmdbjava.Txn;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The node's key-value store: one LMDB environment in one data directory, holding typed {@link
 * Table}s. Reads run in parallel on consistent snapshots; writes run one at a time and commit
 * atomically and durably (fsync) when their lambda returns.
 *
 * <p>Concurrency: every transaction holds the shared side of a gate lock; growing the map takes the
 * exclusive side, because LMDB only allows a resize while no transaction of the process is open. A
 * write that finds the map full is rolled back, the map is doubled once in-flight reads have
 * drained, and the write lambda runs again: write lambdas must therefore have no effects outside
 * the transaction. Transactions do not nest (a nested one could deadlock a resize and would not see
 * the outer one's writes), so calling the store from inside a lambda throws. For the same reason a
 * read lambda must not wait for a write to finish: that write may be waiting to resize.
 *
 * <p>Values come back as fresh copies (a {@code byte[]} buffer proxy), never views into the map, so
 * nothing read can be invalidated by a later resize or close.
 */
public final class Store implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(Store.class);

  /** Our own lock file: LMDB allows several processes on one environment, we do not. */
  static final String LOCK_FILE = "axivon-store.lock";

  /** Storage format written by this code; bump it with a migration when the layout changes. */
  static final long FORMAT_VERSION = 1;

  static final Table<String, Long> META =
      new Table<>(Table.RESERVED_PREFIX + "meta", Serializers.STRING, Serializers.LONG);
  static final String FORMAT_KEY = "format-version";

  private static final Object MAP_FULL = new Object();

  private final Path dir;
  private final StoreOptions options;
  private final FileChannel lockChannel;
  private final Env<byte[]> env;
  private final Map<String, Dbi<byte[]>> dbis = new LinkedHashMap<>();
  private final ReentrantLock writer = new ReentrantLock();
  private final ReentrantReadWriteLock gate = new ReentrantReadWriteLock(true);
  private volatile boolean closed;
  private boolean released; // guarded by the exclusive gate
  private volatile long mapSize; // changed only under the exclusive gate
  private final ReaderPool readers;
  private final int maxKeySize; // a native call otherwise: asked once

  private Store(
      Path dir,
      StoreOptions options,
      FileChannel lockChannel,
      List<Table<?, ?>> tables,
      boolean nativeReads) {
    this.dir = dir;
    this.options = options;
    this.lockChannel = lockChannel;
    Env<byte[]> opened;
    try {
      opened =
          Env.create(new ScratchByteArrayProxy())
              .setMapSize(options.initialMapSize())
              .setMaxDbs(tables.size() + 1)
              .setMaxReaders(options.maxReaders())
              // read transactions are not tied to threads: a virtual thread may carry one
              .open(
                  dir.toFile(),
                  options.durability() == StoreOptions.Durability.EVERY_COMMIT
                      ? new EnvFlags[] {EnvFlags.MDB_NOTLS}
                      : new EnvFlags[] {EnvFlags.MDB_NOTLS, EnvFlags.MDB_NOMETASYNC});
    } catch (Env.FileInvalidException | Env.VersionMismatchException e) {
      throw new InvalidInputException(
          "data directory " + dir + " does not hold a readable LMDB store: " + e.getMessage(), e);
    }
    this.env = opened;
    this.maxKeySize = opened.getMaxKeySize();
    // idle readers keep their LMDB reader slots: leave most slots for concurrent reads
    this.readers =
        new ReaderPool(
            options.maxReaders() / 4, nativeReads ? NativeLmdb.load().orElse(null) : null);
    try {
      // an existing environment keeps its larger map size
      this.mapSize = Math.max(options.initialMapSize(), env.info().mapSize);
      openTables(tables);
    } catch (RuntimeException | Error e) {
      env.close();
      throw e;
    }
  }

  /**
   * Opens (creating if needed) the store in {@code dir} with the given tables. Only one process,
   * and one {@code Store} per process, may have a directory open.
   *
   * @throws StoreLockedException if the directory is already open
   * @throws InvalidInputException if the directory cannot be created or holds something else
   */
  public static Store open(
      Path dir, StoreOptions options, Collection<? extends Table<?, ?>> tables) {
    return open(dir, options, tables, true);
  }

  /**
   * As {@link #open(Path, StoreOptions, Collection)}; {@code nativeReads} false makes reads go
   * through lmdbjava rather than the FFM binding (tests compare the two).
   */
  static Store open(
      Path dir,
      StoreOptions options,
      Collection<? extends Table<?, ?>> tables,
      boolean nativeReads) {
    Objects.requireNonNull(dir, "dir");
    Objects.requireNonNull(options, "options");
    List<Table<?, ?>> schema = checkSchema(tables);
    Path absolute = dir.toAbsolutePath().normalize();
    FileChannel channel;
    try {
      Files.createDirectories(absolute);
      channel =
          FileChannel.open(
              absolute.resolve(LOCK_FILE), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
    } catch (IOException e) {
      throw new InvalidInputException(
          "cannot use data directory " + absolute + ": " + e.getMessage(), e);
    }
    try {
      FileLock lock;
      boolean sameProcess = false;
      try {
        lock = channel.tryLock();
      } catch (OverlappingFileLockException e) {
        lock = null;
        sameProcess = true;
      }
      if (lock == null) {
        throw new StoreLockedException(absolute, sameProcess);
      }
      return new Store(absolute, options, channel, schema, nativeReads);
    } catch (IOException e) {
      closeQuietly(channel);
      throw new InvalidInputException("cannot lock data directory " + absolute + ": " + e, e);
    } catch (RuntimeException | Error e) {
      closeQuietly(channel); // also releases the lock
      throw e;
    }
  }

  /** Opens the store with the given tables; see {@link #open(Path, StoreOptions, Collection)}. */
  public static Store open(Path dir, StoreOptions options, Table<?, ?>... tables) {
    return open(dir, options, Arrays.asList(tables));
  }

  /**
   * Runs {@code body} on a consistent snapshot and returns its result. The snapshot is taken when
   * the call starts, so it sees every write committed before; do many reads in one call (one
   * snapshot, one transaction) rather than one call per read when they need not be separate.
   * Transactions are reused between calls (reset and renewed), so a call costs little more than its
   * reads.
   */
  public <R> R read(Function<? super ReadTx, ? extends R> body) {
    Objects.requireNonNull(body, "body");
    refuseNested();
    checkOpen(); // fail fast instead of queueing behind a close
    Lock shared = gate.readLock();
    shared.lock();
    try {
      checkOpen();
      ReaderPool.Reader reader = readers.borrow(env::txnRead);
      boolean reusable = false;
      LmdbTx tx = new LmdbTx(this, reader.txn, false, reader);
      try {
        R result = body.apply(tx);
        reusable = true;
        return result;
      } catch (RuntimeException e) {
        reusable = !(e instanceof LmdbException); // the lambda's own failure leaves the txn sound
        throw e;
      } finally {
        tx.finish();
        readers.giveBack(reader, reusable);
      }
    } finally {
      shared.unlock();
    }
  }

  /** Read transactions kept idle for reuse; for tests. */
  int idleReaders() {
    return readers.idleCount();
  }

  /** Idle read transactions still holding a snapshot; for tests. */
  int liveIdleReaders() {
    return readers.liveIdleCount();
  }

  /** Whether reads go through the FFM binding; for tests. */
  boolean nativeReads() {
    return readers.nativeReads();
  }

  /**
   * Runs {@code body} in the write transaction and commits when it returns; if it throws, nothing
   * is written and the exception propagates. May run {@code body} more than once (map growth).
   */
  public void write(Consumer<? super WriteTx> body) {
    Objects.requireNonNull(body, "body");
    writeAndGet(
        tx -> {
          body.accept(tx);
          return null;
        });
  }

  /** {@link #write(Consumer)} returning the lambda's result once committed. */
  public <R> R writeAndGet(Function<? super WriteTx, ? extends R> body) {
    Objects.requireNonNull(body, "body");
    refuseNested();
    checkOpen();
    writer.lock();
    try {
      while (true) {
        Object result = attemptWrite(body);
        if (result != MAP_FULL) {
          @SuppressWarnings("unchecked")
          R r = (R) result;
          return r;
        }
        grow();
      }
    } finally {
      writer.unlock();
    }
  }

  /** One try of a write; {@link #MAP_FULL} when it was rolled back for lack of room. */
  private Object attemptWrite(Function<? super WriteTx, ?> body) {
    Lock shared = gate.readLock();
    shared.lock();
    try {
      checkOpen();
      try (Txn<byte[]> txn = env.txnWrite()) {
        LmdbTx tx = new LmdbTx(this, txn, true, null);
        try {
          Object result;
          try {
            result = body.apply(tx);
          } catch (RuntimeException | Error e) {
            if (tx.hitMapFull()) {
              return MAP_FULL; // whatever the lambda threw, the cause was ours
            }
            throw e;
          }
          if (tx.hitMapFull()) {
            return MAP_FULL; // the lambda swallowed the failure; the transaction is unusable
          }
          tx.finish(); // cursors of a write transaction must close before it ends
          readers.committing();
          try {
            txn.commit();
          } catch (Env.MapFullException e) {
            return MAP_FULL;
          } finally {
            readers.committed(); // before the write returns: later reads see it
          }
          return result;
        } finally {
          tx.finish();
        }
      } // closing an uncommitted transaction aborts it
    } finally {
      shared.unlock();
    }
  }

  /** Doubles the map, up to the maximum, once no transaction is open. */
  private void grow() {
    long current = mapSize;
    if (current >= options.maxMapSize()) {
      throw new StoreFullException(dir, options.maxMapSize());
    }
    long next = current > options.maxMapSize() / 2 ? options.maxMapSize() : current * 2;
    Lock exclusive = gate.writeLock();
    exclusive.lock();
    try {
      checkOpen();
      readers.drain(); // no transaction may be open, even a reset one, while the map moves
      env.setMapSize(next);
      mapSize = next;
    } finally {
      exclusive.unlock();
    }
    LOG.info("store {}: map size grown from {} to {} bytes", dir, current, next);
  }

  /**
   * Closes the store: new transactions are refused at once, in-flight ones are waited for, then the
   * environment and the directory lock are released. Idempotent.
   *
   * @throws IllegalStateException if called from inside one of this store's transactions
   */
  @Override
  public void close() {
    if (gate.getReadHoldCount() > 0) {
      throw new IllegalStateException(
          "store " + dir + ": close() called inside one of its transactions");
    }
    closed = true;
    Lock exclusive = gate.writeLock();
    exclusive.lock();
    try {
      if (released) {
        return;
      }
      released = true;
      readers.drain();
      env.close();
      closeQuietly(lockChannel);
    } finally {
      exclusive.unlock();
    }
  }

  public boolean isClosed() {
    return closed;
  }

  public Path dir() {
    return dir;
  }

  /** The current LMDB map size in bytes (grows as needed). */
  public long mapSize() {
    return mapSize;
  }

  /** Threads waiting on the gate (a resize or close behind open transactions); for tests. */
  int gateQueueLength() {
    return gate.getQueueLength();
  }

  Dbi<byte[]> dbi(Table<?, ?> table) {
    Dbi<byte[]> dbi = dbis.get(table.name());
    if (dbi == null || table.name().startsWith(Table.RESERVED_PREFIX)) {
      throw new IllegalArgumentException(
          "table '"
              + table.name()
              + "' was not declared when store "
              + dir
              + " was opened; declared: "
              + dbis.keySet().stream().filter(n -> !n.startsWith(Table.RESERVED_PREFIX)).toList());
    }
    return dbi;
  }

  int maxKeySize() {
    return maxKeySize;
  }

  private void openTables(List<Table<?, ?>> tables) {
    while (true) {
      try (Txn<byte[]> txn = env.txnWrite()) {
        Dbi<byte[]> meta = openDbi(txn, META);
        for (Table<?, ?> table : tables) {
          dbis.put(table.name(), openDbi(txn, table));
        }
        checkFormat(txn, meta);
        txn.commit();
        dbis.put(META.name(), meta);
        return;
      } catch (Env.MapFullException e) {
        dbis.clear(); // handles opened in an aborted transaction are gone
        long next = Math.min(options.maxMapSize(), mapSize * 2);
        if (next == mapSize) {
          throw new StoreFullException(dir, options.maxMapSize());
        }
        env.setMapSize(next);
        mapSize = next;
      }
    }
  }

  private Dbi<byte[]> openDbi(Txn<byte[]> txn, Table<?, ?> table) {
    return env.openDbi(
        txn, table.name().getBytes(StandardCharsets.UTF_8), null, false, DbiFlags.MDB_CREATE);
  }

  private void checkFormat(Txn<byte[]> txn, Dbi<byte[]> meta) {
    byte[] key = META.keys().toBytes(FORMAT_KEY);
    byte[] stored = meta.get(txn, key);
    if (stored == null) {
      meta.put(txn, key, META.values().toBytes(FORMAT_VERSION));
      return;
    }
    long version;
    try {
      version = META.values().fromBytes(stored);
    } catch (IllegalStateException e) {
      throw new InvalidInputException("data directory " + dir + " has a corrupt format version");
    }
    if (version != FORMAT_VERSION) {
      throw new InvalidInputException(
          "data directory "
              + dir
              + " uses storage format "
              + version
              + " but this build reads format "
              + FORMAT_VERSION
              + ": use a matching build or a fresh --data-dir");
    }
  }

  private static List<Table<?, ?>> checkSchema(Collection<? extends Table<?, ?>> tables) {
    Objects.requireNonNull(tables, "tables");
    Map<String, Table<?, ?>> byName = new LinkedHashMap<>();
    for (Table<?, ?> table : tables) {
      Objects.requireNonNull(table, "table");
      if (table.name().startsWith(Table.RESERVED_PREFIX)) {
        throw new IllegalArgumentException(
            "table name '" + table.name() + "' is reserved (starts with __)");
      }
      if (byName.putIfAbsent(table.name(), table) != null) {
        throw new IllegalArgumentException("table '" + table.name() + "' declared twice");
      }
    }
    return List.copyOf(byName.values());
  }

  private void checkOpen() {
    if (closed) {
      throw new IllegalStateException("store " + dir + " is closed");
    }
  }

  private void refuseNested() {
    if (gate.getReadHoldCount() > 0) {
      throw new IllegalStateException(
          "store "
              + dir
              + ": transactions do not nest; do all the work in the one read or write lambda");
    }
  }

  private static void closeQuietly(FileChannel channel) {
    try {
      channel.close();
    } catch (IOException e) {
      LOG.warn("closing lock file: {}", e.toString());
    }
  }

  /** Thrown inside a write lambda when the map is full; the store catches it and retries. */
  static final class MapFullSignal extends RuntimeException {
    private static final long serialVersionUID = 1L;

    MapFullSignal() {
      super("store map is full; the write is retried after growing the map", null, false, false);
    }
  }
}
