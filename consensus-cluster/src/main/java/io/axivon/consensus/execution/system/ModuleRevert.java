package io.axivon.consensus.execution.system;

import org.apache.tuweni.bytes.Bytes;

/**
 * Thrown by a system module to revert its call with {@code Error(reason)}, or with a Solidity
 * custom error's data: the caller gets the revert data, the gas left, and none of the call's
 * writes.
 */
public final class ModuleRevert extends RuntimeException {
  private final transient Bytes data;

  public ModuleRevert(String reason) {
    this(reason, null);
  }

  /**
   * @param reason what went wrong, for logs
   * @param data the revert data to return instead of {@code Error(reason)} (a custom error: its
   *     selector then its ABI-encoded arguments), or null
   */
  public ModuleRevert(String reason, Bytes data) {
    super(reason, null, false, false);
    this.data = data;
  }

  /** The revert data the caller gets. */
  public Bytes revertData() {
    return data != null ? data : Abi.revertData(getMessage());
  }
}
