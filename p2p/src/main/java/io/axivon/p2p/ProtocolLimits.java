package io.axivon.p2p;

/** Size limits of one request/response protocol, in payload bytes. */
public record ProtocolLimits(int maxRequestBytes, int maxResponseBytes) {
  public ProtocolLimits {
    if (maxRequestBytes < 0 || maxResponseBytes < 0) {
      throw new IllegalArgumentException("limits must not be negative");
    }
  }
}
