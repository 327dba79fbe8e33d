package io.axivon.kv.tx;

import java.util.Objects;
import org.apache.tuweni.bytes.Bytes;
import org.apache.tuweni.bytes.Bytes32;

/** A key the transaction read; its version is the transaction's {@link KvTransaction#version}. */
public record StreamRead(Bytes32 streamId, Bytes key) {
  public StreamRead {
    Objects.requireNonNull(streamId, "streamId");
    KvTransaction.checkKey(key);
  }
}
