package io.axivon.p2p.transport;

import java.util.Locale;

/** A reason the transport cut an authenticated link. */
public enum Violation {
  /** A frame failed AEAD authentication. */
  DECRYPT_FAILED,
  /** A frame header declared more than the frame limit. */
  FRAME_TOO_LARGE,
  /** A decrypted frame was not a valid message. */
  MALFORMED_MESSAGE,
  /** The peer stopped reading and our write buffer stayed full. */
  SLOW_PEER,
  /** Nothing arrived for the idle timeout. */
  IDLE;

  public String label() {
    return name().toLowerCase(Locale.ROOT);
  }
}
