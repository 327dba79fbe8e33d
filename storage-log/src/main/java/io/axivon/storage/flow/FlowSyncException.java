package io.axivon.storage.flow;

/**
 * The chain's flow events cannot be followed: a gap or repeat in the submission index, or a
 * malformed Submit log. Not transient: the follower stops, since every later tx seq would be wrong.
 */
public final class FlowSyncException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public FlowSyncException(String message) {
    super(message);
  }

  public FlowSyncException(String message, Throwable cause) {
    super(message, cause);
  }
}
