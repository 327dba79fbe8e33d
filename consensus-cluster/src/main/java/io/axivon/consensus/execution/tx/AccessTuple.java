package io.axivon.consensus.execution.tx;

import io.axivon.common.crypto.secp256k1.Address;
import java.util.List;
import org.apache.tuweni.bytes.Bytes32;

/** One EIP-2930 access-list entry: an address and the storage keys the transaction pre-warms. */
public record AccessTuple(Address address, List<Bytes32> storageKeys) {
  public AccessTuple {
    if (address == null || storageKeys == null) {
      throw new IllegalArgumentException("access tuple address and storage keys are required");
    }
    storageKeys = List.copyOf(storageKeys);
  }
}
