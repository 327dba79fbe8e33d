package io.axivon.kv.store;

/**
 * A large value's local file is missing, short or does not match its hashes. Never bad input: the
 * node's own disk is damaged, so the read fails with what is wrong instead of returning bytes.
 */
public final class CorruptValueException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public CorruptValueException(String message) {
    super(message);
  }

  public CorruptValueException(String message, Throwable cause) {
    super(message, cause);
  }
}
