package io.axivon.common.store;

import io.axivon.common.InvalidInputException;
import java.nio.file.Path;

/**
 * The data directory is held by another process (or already open in this one). It is an {@link
 * InvalidInputException} because the fix is the user's: stop the other node or pick another
 * directory.
 */
public final class StoreLockedException extends InvalidInputException {
  private static final long serialVersionUID = 1L;

  StoreLockedException(Path dir, boolean sameProcess) {
    super(
        "data directory "
            + dir
            + (sameProcess
                ? " is already open in this process"
                : " is in use by another process (it holds the lock on "
                    + dir.resolve(Store.LOCK_FILE)
                    + ")")
            + ": stop the other node or pass a different --data-dir");
  }
}
