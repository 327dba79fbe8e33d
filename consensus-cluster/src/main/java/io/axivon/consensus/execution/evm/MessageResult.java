package io.axivon.consensus.execution.evm;

import io.axivon.common.crypto.secp256k1.Address;
import java.util.List;
import java.util.Optional;
import org.apache.tuweni.bytes.Bytes;

/**
 * What running a message did. On a revert, {@code returnData} is the revert data (an ABI-encoded
 * reason or custom error) and the unused gas is returned; on any other failure all gas is used and
 * {@code error} says why (go-ethereum's wording, e.g. "out of gas").
 *
 * @param gasLeft gas not used by execution, before the refund
 * @param refund the refund counter (SSTORE clears), before EIP-3529's cap
 * @param logs the logs of a successful execution (none on failure)
 * @param contractAddress the new contract's address for a creation
 */
public record MessageResult(
    Status status,
    Bytes returnData,
    long gasLeft,
    long refund,
    List<Log> logs,
    Optional<Address> contractAddress,
    String error) {
  public enum Status {
    SUCCESS,
    REVERTED,
    FAILED
  }

  public MessageResult {
    logs = List.copyOf(logs);
  }

  public boolean success() {
    return status == Status.SUCCESS;
  }
}
