package io.axivon.consensus.app;

import java.util.List;
import org.apache.tuweni.bytes.Bytes32;

/** What executing a block produced: the app hash (in the next header) and validator changes. */
public record FinalizeResult(Bytes32 appHash, List<ValidatorUpdate> validatorUpdates) {
  public FinalizeResult {
    validatorUpdates = List.copyOf(validatorUpdates);
  }
}
