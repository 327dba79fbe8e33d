package io.axivon.p2p.handshake;

import io.axivon.p2p.NodeId;
import java.util.Objects;
import org.apache.tuweni.bytes.Bytes;

/**
 * The second handshake message, sent encrypted: the sender's static key, the TCP port it accepts
 * connections on (0: none), and its Ed25519 signature over the transcript.
 */
public record Auth(NodeId staticKey, int listenPort, Bytes signature) {
  public static final int SIGNATURE_BYTES = 64;

  public Auth {
    Objects.requireNonNull(staticKey, "staticKey");
    if (listenPort < 0 || listenPort > 0xffff) {
      throw new IllegalArgumentException("listen port is a u16, got " + listenPort);
    }
    if (signature.size() != SIGNATURE_BYTES) {
      throw new IllegalArgumentException("a signature is 64 bytes, got " + signature.size());
    }
  }
}
