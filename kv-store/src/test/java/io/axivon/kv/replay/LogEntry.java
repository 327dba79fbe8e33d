package io.axivon.kv.replay;

import io.axivon.common.crypto.secp256k1.Address;
import io.axivon.kv.tx.KvTags;
import io.axivon.kv.tx.KvTransaction;
import io.axivon.kv.tx.KvTxCodec;
import java.util.List;
import org.apache.tuweni.bytes.Bytes;
import org.apache.tuweni.bytes.Bytes32;

/** One KV submission of a test log: sender, tag streams and stream data (maybe malformed). */
public record LogEntry(Address sender, List<Bytes32> tags, Bytes data) {

  public static LogEntry of(Address sender, KvTransaction tx) {
    return new LogEntry(sender, KvTags.streamIds(tx), KvTxCodec.encode(tx));
  }
}
