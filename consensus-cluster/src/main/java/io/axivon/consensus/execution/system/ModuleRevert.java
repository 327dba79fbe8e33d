package io.axivon.consensus.execution.system;

/**
 * Thrown by a system module to revert its call with {@code Error(reason)}: the caller gets the
 * Solidity revert data, the gas left, and none of the call's writes.
 */
public final class ModuleRevert extends RuntimeException {
  public ModuleRevert(String reason) {
    super(reason, null, false, false);
  }
}
