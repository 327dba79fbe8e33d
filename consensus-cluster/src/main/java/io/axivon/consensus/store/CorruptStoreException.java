package io.axivon.consensus.store;

import io.axivon.common.InvalidInputException;

/**
 * A data directory whose contents this node must not use: written for another chain, in an unknown
 * format, or damaged. The message names the directory and exactly what is wrong.
 */
public class CorruptStoreException extends InvalidInputException {
  private static final long serialVersionUID = 1L;

  public CorruptStoreException(String message) {
    super(message);
  }

  public CorruptStoreException(String message, Throwable cause) {
    super(message, cause);
  }
}
