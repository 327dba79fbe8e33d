package io.axivon.consensus.execution.evm;

import io.axivon.common.crypto.secp256k1.Address;
import java.util.List;
import org.apache.tuweni.bytes.Bytes;
import org.apache.tuweni.bytes.Bytes32;

/** An event log as the EVM emits it (LOG0..LOG4). */
public record Log(Address address, List<Bytes32> topics, Bytes data) {
  public Log {
    if (address == null || topics == null || data == null || topics.size() > 4) {
      throw new IllegalArgumentException("log needs an address, at most 4 topics and data");
    }
    topics = List.copyOf(topics);
  }
}
