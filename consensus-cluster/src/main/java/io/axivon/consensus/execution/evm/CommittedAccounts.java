package io.axivon.consensus.execution.evm;

import io.axivon.common.crypto.secp256k1.Address;
import java.math.BigInteger;
import java.util.Map;
import org.apache.tuweni.bytes.Bytes32;

/**
 * Nonces and balances of some accounts of the committed state {@code root}, as the executor knew
 * them when it committed it: for readers on other threads (the mempool's checks) that must not wait
 * for the executor, which may already be running the next block. An account not here is read from a
 * view of the state instead. The maps are never changed once built (the executor hands over copies
 * of its own), so any thread may read them.
 */
public record CommittedAccounts(
    Bytes32 root, Map<Address, Long> nonces, Map<Address, BigInteger> balances) {
  /** Nothing known of {@code root}: every account is read from a view. */
  public static CommittedAccounts none(Bytes32 root) {
    return new CommittedAccounts(root, Map.of(), Map.of());
  }
}
