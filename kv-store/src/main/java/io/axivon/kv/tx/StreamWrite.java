package io.axivon.kv.tx;

import java.util.Objects;
import org.apache.tuweni.bytes.Bytes;
import org.apache.tuweni.bytes.Bytes32;

/** A key set to a value; an empty value deletes the key (specs/kv.md). */
public record StreamWrite(Bytes32 streamId, Bytes key, Bytes value) {
  public StreamWrite {
    Objects.requireNonNull(streamId, "streamId");
    KvTransaction.checkKey(key);
    Objects.requireNonNull(value, "value");
  }
}
