package io.axivon.p2p.handshake;

import io.axivon.common.InvalidInputException;

/** A handshake message from the remote was unacceptable; the link must be closed. */
public final class HandshakeException extends InvalidInputException {
  private static final long serialVersionUID = 1L;
  private final HandshakeFailure failure;

  public HandshakeException(HandshakeFailure failure, String message) {
    super(message);
    this.failure = failure;
  }

  public HandshakeException(HandshakeFailure failure, String message, Throwable cause) {
    super(message, cause);
    this.failure = failure;
  }

  public HandshakeFailure failure() {
    return failure;
  }
}
