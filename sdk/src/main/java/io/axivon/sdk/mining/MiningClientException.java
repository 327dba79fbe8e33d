package io.axivon.sdk.mining;

/** The chain refused a miner's transaction, or it did not complete. */
public final class MiningClientException extends RuntimeException {
  public MiningClientException(String message) {
    super(message);
  }

  public MiningClientException(String message, Throwable cause) {
    super(message, cause);
  }
}
