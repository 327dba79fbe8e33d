package io.axivon.p2p.gossip;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import org.apache.tuweni.bytes.Bytes;
import org.apache.tuweni.bytes.Bytes32;

/**
 * A gossip message's id: SHA-256 of {@code u8(len(topic)) || topic || payload}. The length byte
 * keeps (topic, payload) pairs from colliding when a topic is a prefix of another.
 */
public final class MessageId {
  private MessageId() {}

  public static Bytes32 of(String topic, Bytes payload) {
    try {
      MessageDigest digest = MessageDigest.getInstance("SHA-256");
      byte[] t = topic.getBytes(StandardCharsets.US_ASCII);
      digest.update((byte) t.length);
      digest.update(t);
      payload.update(digest);
      return Bytes32.wrap(digest.digest());
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("JDK without SHA-256", e);
    }
  }
}
