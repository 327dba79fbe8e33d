package io.axivon.p2p;

import io.axivon.common.InvalidInputException;
import java.util.Objects;
import org.apache.tuweni.bytes.Bytes;
import org.apache.tuweni.bytes.Bytes32;

/**
 * A node's identity: its raw 32-byte Ed25519 public key (RFC 8032 encoding), not a hash of it, so a
 * dialer that knows a NodeId can verify the handshake signature without any further key lookup.
 */
public record NodeId(Bytes32 bytes) implements Comparable<NodeId> {
  public NodeId {
    Objects.requireNonNull(bytes, "bytes");
  }

  public static NodeId wrap(byte[] raw) {
    if (raw.length != 32) {
      throw new InvalidInputException("a node id is 32 bytes, got " + raw.length);
    }
    return new NodeId(Bytes32.wrap(raw.clone()));
  }

  /** Parses 64 hex digits, with or without 0x. */
  public static NodeId fromHex(String hex) {
    Bytes parsed;
    try {
      parsed = Bytes.fromHexString(hex);
    } catch (IllegalArgumentException e) {
      throw new InvalidInputException("a node id is 64 hex digits: " + e.getMessage(), e);
    }
    if (parsed.size() != 32) {
      throw new InvalidInputException(
          "a node id is 32 bytes (64 hex digits), got " + parsed.size());
    }
    return new NodeId(Bytes32.wrap(parsed));
  }

  public String toHex() {
    return bytes.toUnprefixedHexString();
  }

  /** The first 8 hex digits, for logs. */
  public String shortHex() {
    return toHex().substring(0, 8);
  }

  /** Unsigned lexicographic order of the key bytes; decides which of two duplicate links stays. */
  @Override
  public int compareTo(NodeId other) {
    return bytes.compareTo(other.bytes);
  }

  @Override
  public String toString() {
    return toHex();
  }
}
