package io.axivon.p2p;

/** Why a request did not get a successful response. */
public final class RequestException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public enum Kind {
    /** No response within the timeout. */
    TIMEOUT,
    /** No link to that peer when the request was made. */
    NOT_CONNECTED,
    /** The link closed before the response came. */
    PEER_DISCONNECTED,
    /** The peer answered with an error (its message is this exception's message). */
    REMOTE_ERROR,
    /** The request or the response exceeds the protocol's size limit. */
    TOO_LARGE
  }

  private final Kind kind;

  public RequestException(Kind kind, String message) {
    super(kind + ": " + message, null, false, false);
    this.kind = kind;
  }

  public Kind kind() {
    return kind;
  }
}
