package io.axivon.sdk.eth;

import java.util.Objects;
import org.apache.tuweni.bytes.Bytes;

/**
 * A call or transaction that the EVM reverted, with the revert data when the node gave it
 * (go-ethereum's JSON-RPC error code 3 with the data hex in {@code data}).
 */
public final class ExecutionRevertedException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final transient Bytes revertData;

  public ExecutionRevertedException(String message, Bytes revertData) {
    super(message);
    this.revertData = Objects.requireNonNull(revertData, "revertData");
  }

  /** The revert payload (empty when the node gave none). */
  public Bytes revertData() {
    return revertData;
  }
}
