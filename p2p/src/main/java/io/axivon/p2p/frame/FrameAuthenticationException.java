package io.axivon.p2p.frame;

import io.axivon.common.InvalidInputException;

/** A frame failed AEAD authentication: tampered, reordered, replayed or under another key. */
public final class FrameAuthenticationException extends InvalidInputException {
  private static final long serialVersionUID = 1L;

  public FrameAuthenticationException(String message, Throwable cause) {
    super(message, cause);
  }

  public FrameAuthenticationException(String message) {
    super(message);
  }
}
