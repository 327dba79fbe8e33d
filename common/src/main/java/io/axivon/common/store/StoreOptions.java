package io.axivon.common.store;

/**
 * Sizing of a store. The map starts at {@code initialMapSize} and doubles, up to {@code
 * maxMapSize}, whenever a write transaction runs out of room; only address space is reserved, the
 * data file grows with the data.
 *
 * @param initialMapSize first LMDB map size in bytes
 * @param maxMapSize the size beyond which writes fail with {@link StoreFullException}
 * @param maxReaders the most read transactions open at the same time (LMDB reader slots)
 */
public record StoreOptions(long initialMapSize, long maxMapSize, int maxReaders) {
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
  }

  /** 64 MiB to start, up to 1 TiB, 256 concurrent readers. */
  public static StoreOptions defaults() {
    return new StoreOptions(64 * MIB, 1024 * GIB, 256);
  }

  public StoreOptions withInitialMapSize(long bytes) {
    return new StoreOptions(bytes, Math.max(bytes, maxMapSize), maxReaders);
  }

  public StoreOptions withMaxMapSize(long bytes) {
    return new StoreOptions(initialMapSize, bytes, maxReaders);
  }

  public StoreOptions withMaxReaders(int readers) {
    return new StoreOptions(initialMapSize, maxMapSize, readers);
  }
}
