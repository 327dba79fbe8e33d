package io.axivon.kv.replay;

import java.util.Objects;
import org.apache.tuweni.bytes.Bytes;
import org.apache.tuweni.bytes.Bytes32;

/** A state change of a committed transaction; each takes the transaction's seq as its version. */
public sealed interface KvEffect {

  /**
   * Sets a key's value (an empty value deletes the key). {@code offset} is where the value starts
   * in the transaction's stream data: a large value is stored as a reference to those bytes.
   */
  record Put(Bytes32 streamId, Bytes key, Bytes value, long offset) implements KvEffect {
    public Put {
      Objects.requireNonNull(streamId, "streamId");
      Objects.requireNonNull(key, "key");
      Objects.requireNonNull(value, "value");
      if (offset < 0) {
        throw new IllegalArgumentException("offset must not be negative, got " + offset);
      }
    }
  }

  /** Turns an access-control flag on or off. */
  record SetFlag(AclFlag flag, boolean on) implements KvEffect {
    public SetFlag {
      Objects.requireNonNull(flag, "flag");
    }
  }
}
