package io.axivon.consensus.app;

import java.util.List;
import org.apache.tuweni.bytes.Bytes32;

/**
 * What executing a block produced: the app hash (in the next header) and validator changes.
 *
 * @param txHashes the hashes ({@link Application#txHash}) of the block's transactions, in any
 *     order, as the application found them while executing it; empty when it does not say. The
 *     mempool drops the committed transactions by these instead of hashing each of them again
 *     (thousands a block; for EVM transactions each a lookup by its bytes).
 */
public record FinalizeResult(
    Bytes32 appHash, List<ValidatorUpdate> validatorUpdates, List<Bytes32> txHashes) {
  public FinalizeResult {
    validatorUpdates = List.copyOf(validatorUpdates);
    txHashes = List.copyOf(txHashes);
  }

  /** Without the transactions' hashes. */
  public FinalizeResult(Bytes32 appHash, List<ValidatorUpdate> validatorUpdates) {
    this(appHash, validatorUpdates, List.of());
  }
}
