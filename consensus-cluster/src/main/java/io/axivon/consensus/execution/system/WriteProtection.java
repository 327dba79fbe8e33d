package io.axivon.consensus.execution.system;

/** A write in a read-only (STATICCALL) system-module call: it fails as the EVM's own would. */
final class WriteProtection extends RuntimeException {
  WriteProtection() {
    super("write protection", null, false, false);
  }
}
