package io.axivon.kv.replay;

import org.apache.tuweni.bytes.Bytes;
import org.apache.tuweni.bytes.Bytes32;

/** The latest committed state, as the replay core reads it before each transaction. */
public interface KvStateView {

  /** The seq of the last committed transaction that wrote the key, 0 if none. */
  long latestVersion(Bytes32 streamId, Bytes key);

  /** Whether the flag is on in the latest state. */
  boolean flag(AclFlag flag);
}
