package io.axivon.p2p.handshake;

import java.util.Objects;
import org.apache.tuweni.bytes.Bytes32;

/**
 * The first handshake message each side sends, in the clear: version, network, ephemeral key and
 * the mask of {@link io.axivon.p2p.frame.CipherSuite} bits the sender supports.
 */
public record Hello(int version, long networkId, Bytes32 ephemeralKey, int suites) {
  public Hello {
    if (version < 0 || version > 0xffff) {
      throw new IllegalArgumentException("version is a u16, got " + version);
    }
    if (suites < 0 || suites > 0xffff) {
      throw new IllegalArgumentException("suites is a u16 mask, got " + suites);
    }
    Objects.requireNonNull(ephemeralKey, "ephemeralKey");
  }
}
