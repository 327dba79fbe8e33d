package io.axivon.p2p.frame;

import io.axivon.common.InvalidInputException;

/** A frame header declared more bytes than the limit; raised before any buffer is allocated. */
public final class FrameTooLargeException extends InvalidInputException {
  private static final long serialVersionUID = 1L;

  public FrameTooLargeException(long declared, int max) {
    super("frame length " + declared + " exceeds the limit of " + max + " bytes");
  }

  public FrameTooLargeException(String message) {
    super(message);
  }
}
