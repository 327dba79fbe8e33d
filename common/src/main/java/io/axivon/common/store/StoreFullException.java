package io.axivon.common.store;

import java.nio.file.Path;

/** A write transaction did not fit even at the largest map size allowed by {@link StoreOptions}. */
public final class StoreFullException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  StoreFullException(Path dir, long maxMapSize) {
    super(
        "store "
            + dir
            + " is full: a write transaction does not fit in the maximum map size of "
            + maxMapSize
            + " bytes; raise the store's maximum size");
  }
}
