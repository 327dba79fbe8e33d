package io.axivon.consensus.execution.system;

import io.axivon.consensus.execution.evm.Log;
import java.util.List;
import org.apache.tuweni.bytes.Bytes;

/**
 * The outcome of one call into a system module.
 *
 * @param returnData the ABI-encoded return value, or the revert data ({@code Error(string)})
 * @param gasUsed gas charged, at most the call's gas (all of it when {@code status} is FAILED)
 * @param logs the events it emitted (empty unless it succeeded)
 * @param error the failure reason when FAILED (e.g. {@code out of gas}), else empty
 */
public record ModuleResult(
    Status status, Bytes returnData, long gasUsed, List<Log> logs, String error) {
  public enum Status {
    SUCCESS,
    REVERTED,
    FAILED
  }

  public ModuleResult {
    logs = List.copyOf(logs);
  }

  public boolean success() {
    return status == Status.SUCCESS;
  }
}
