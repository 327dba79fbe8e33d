package io.axivon.consensus.execution.system;

/** A system-module call ran past its gas: it fails, using all of it, and writes nothing. */
final class OutOfGas extends RuntimeException {
  OutOfGas() {
    super("out of gas", null, false, false);
  }
}
