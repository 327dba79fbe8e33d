package io.axivon.consensus.execution.system;

import io.axivon.common.crypto.secp256k1.Address;
import io.axivon.consensus.app.ValidatorUpdate;
import java.math.BigInteger;
import java.util.List;
import org.apache.tuweni.bytes.Bytes;

/**
 * A native contract at a fixed address with a Solidity ABI: a call to {@link #address()} from a
 * transaction or from another contract runs {@link #call} in Java instead of EVM code. Its state is
 * the storage of its own address (covered by the state root) and the balances it moves. Adding a
 * module is one class implementing this plus its {@code .sol} interface in {@code
 * specs/contracts/}, registered in {@link SystemModules}.
 */
public interface SystemModule {
  /** Where it lives. */
  Address address();

  /**
   * Runs a call. The value (wei) was not moved yet: a payable function moves it with {@code
   * call.transfer(caller, call.self(), value)}; any other function must revert when it is non-zero.
   * Throw {@link ModuleRevert} to revert with a reason.
   *
   * @return the ABI-encoded return data
   */
  Bytes call(ModuleCall call, Address caller, BigInteger value, Bytes input);

  /** Writes the module's genesis state (block 0). */
  default void genesis(ModuleCall call) {}

  /**
   * Runs after a block's transactions (rewards, evidence, epochs) and returns the validator-set
   * changes that consensus applies from the next height.
   */
  default List<ValidatorUpdate> endBlock(ModuleCall call, EndBlock block) {
    return List.of();
  }

  /**
   * The validator updates that {@link #endBlock} returned for the committed block {@code height},
   * recomputed from the state (a block already committed is not run again after a restart).
   */
  default List<ValidatorUpdate> validatorUpdatesOf(ModuleCall call, long height) {
    return List.of();
  }

  /** Whether block fees (the priority fees) are paid to this module's address as coinbase. */
  default boolean collectsFees() {
    return false;
  }
}
