package io.axivon.sdk.compute;

/** A compute-market operation failed: the chain refused it, or the gateway did (with a status). */
public final class ComputeException extends RuntimeException {
  private final int status;

  public ComputeException(String message) {
    this(message, 0, null);
  }

  public ComputeException(String message, Throwable cause) {
    this(message, 0, cause);
  }

  /**
   * @param status the gateway's HTTP status, 0 when not from a gateway
   */
  public ComputeException(String message, int status, Throwable cause) {
    super(message, cause);
    this.status = status;
  }

  /** The gateway's HTTP status (401, 402, 409, 413, …), or 0. */
  public int status() {
    return status;
  }
}
