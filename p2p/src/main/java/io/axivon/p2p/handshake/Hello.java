package io.axivon.p2p.handshake;

import java.util.Objects;
import org.apache.tuweni.bytes.Bytes32;

/**
 * The first handshake message each side sends, in the clear: version, network and ephemeral key.
 */
public record Hello(int version, long networkId, Bytes32 ephemeralKey) {
  public Hello {
    if (version < 0 || version > 0xffff) {
      throw new IllegalArgumentException("version is a u16, got " + version);
    }
    Objects.requireNonNull(ephemeralKey, "ephemeralKey");
  }
}
