package io.axivon.common.store;

/**
 * Sizing of a store. The map starts at {@code initialMapSize} and doubles, up to {@code
 * maxMapSize}, whenever a write transaction runs out of room; only address space is reserved, the
 * data file grows with the data.
 *
 * @param initialMapSize first LMDB map size in bytes
 * @param maxMapSize the size beyond which writes fail with {@link StoreFullException}
 * @param maxReaders the most read transactions open at the same time (LMDB reader slots)
 * @param durability when a commit is on disk: {@link Durability#EVERY_COMMIT} unless the data is
 *     derived from a durable source
 */
public record StoreOptions(
    long initialMapSize, long maxMapSize, int maxReaders, Durability durability) {
  /** When a write transaction's commit is on disk. */
  public enum Durability {
    /** When the commit returns: LMDB fsyncs the data pages, then the meta page. */
    EVERY_COMMIT,
    /**
     * The data pages when the commit returns, the meta page that makes them current at the next
     * commit or when the system writes it back (LMDB's {@code MDB_NOMETASYNC}): one fsync per
     * commit instead of two. A process crash loses nothing; a system crash or power loss may undo
     * the last commit, never tear it. For data its owner can rebuild from a durable source.
     */
    ALL_BUT_LAST_COMMIT
  }

  public static final long KIB = 1L << 10;
  public static final long MIB = 1L << 20;
  public static final long GIB = 1L << 30;

  public StoreOptions {
    if (initialMapSize < 64 * KIB) {
      throw new IllegalArgumentException(
          "initialMapSize must be at least 64 KiB, got " + initialMapSize);
    }
    if (maxMapSize < initialMapSize) {
      throw new IllegalArgumentException(
          "maxMapSize ("
              + maxMapSize
              + ") must be at least initialMapSize ("
              + initialMapSize
              + ")");
    }
    if (maxReaders < 1) {
      throw new IllegalArgumentException("maxReaders must be positive, got " + maxReaders);
    }
    java.util.Objects.requireNonNull(durability, "durability");
  }

  /** Every commit durable on return. */
  public StoreOptions(long initialMapSize, long maxMapSize, int maxReaders) {
    this(initialMapSize, maxMapSize, maxReaders, Durability.EVERY_COMMIT);
  }

  /** 64 MiB to start, up to 1 TiB, 256 concurrent readers. */
  public static StoreOptions defaults() {
    return new StoreOptions(64 * MIB, 1024 * GIB, 256);
  }

  public StoreOptions withInitialMapSize(long bytes) {
    return new StoreOptions(bytes, Math.max(bytes, maxMapSize), maxReaders, durability);
  }

  public StoreOptions withMaxMapSize(long bytes) {
    return new StoreOptions(initialMapSize, bytes, maxReaders, durability);
  }

  public StoreOptions withMaxReaders(int readers) {
    return new StoreOptions(initialMapSize, maxMapSize, readers, durability);
  }

  public StoreOptions withDurability(Durability d) {
    return new StoreOptions(initialMapSize, maxMapSize, maxReaders, d);
  }
}
