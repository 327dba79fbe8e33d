package io.axivon.p2p.handshake;

/** Why a handshake did not complete; the lower-case name is the metrics label. */
public enum HandshakeFailure {
  /** A handshake message had the wrong size or magic. */
  MALFORMED,
  VERSION_MISMATCH,
  NETWORK_MISMATCH,
  /** The remote ephemeral key is unusable (a low-order point, or a reflection of ours). */
  BAD_EPHEMERAL_KEY,
  /** The auth message failed AEAD authentication: wrong keys or tampered bytes. */
  DECRYPT_FAILED,
  BAD_SIGNATURE,
  /** The dialer expected a different node id. */
  UNEXPECTED_PEER,
  /** The remote has our own node key. */
  SELF_CONNECTION,
  /** Raised by the transport: not finished within the handshake timeout. */
  TIMEOUT,
  /** Raised by the transport: a frame header declared more than a handshake message may hold. */
  FRAME_TOO_LARGE,
  /** Raised by the transport: the link closed or failed before the handshake finished. */
  CLOSED;

  public String label() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }
}
