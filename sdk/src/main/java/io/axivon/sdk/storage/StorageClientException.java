package io.axivon.sdk.storage;

/** An upload or download that could not be completed; the message says why and what to do. */
public final class StorageClientException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public StorageClientException(String message) {
    super(message);
  }

  public StorageClientException(String message, Throwable cause) {
    super(message, cause);
  }
}
