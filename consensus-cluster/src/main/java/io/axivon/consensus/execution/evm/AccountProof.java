package io.axivon.consensus.execution.evm;

import io.axivon.common.crypto.secp256k1.Address;
import java.math.BigInteger;
import java.util.List;
import org.apache.tuweni.bytes.Bytes;
import org.apache.tuweni.bytes.Bytes32;

/**
 * An account and some of its storage slots at one state root, with the Merkle-Patricia proofs
 * (EIP-1186, what {@code eth_getProof} returns): the trie nodes from the state root to the account,
 * and from the account's storage root to each slot.
 */
public record AccountProof(
    Address address,
    List<Bytes> accountProof,
    BigInteger balance,
    long nonce,
    Bytes32 codeHash,
    Bytes32 storageHash,
    List<StorageProof> storageProof) {
  public AccountProof {
    accountProof = List.copyOf(accountProof);
    storageProof = List.copyOf(storageProof);
  }

  /** One slot: its value (zero when absent) and the trie nodes that prove it. */
  public record StorageProof(Bytes32 key, Bytes32 value, List<Bytes> proof) {
    public StorageProof {
      proof = List.copyOf(proof);
    }
  }
}
