package io.axivon.da.disperser;

/**
 * The DA network cannot serve the request: too few quorum members reachable to certify or to
 * retrieve. The blob API maps it to 503 (the OP batcher then falls back to Ethereum DA).
 */
public final class DaUnavailableException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public DaUnavailableException(String message) {
    super(message);
  }
}
