package io.axivon.consensus.execution.system;

import io.axivon.common.crypto.secp256k1.Address;
import java.math.BigInteger;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.tuweni.bytes.Bytes;

/**
 * The system modules of a chain, by address: what the executor hands to libevm as external
 * contracts, and how a call reaches one.
 */
public final class SystemModules {
  /**
   * The code a module's account holds: {@code PUSH1 0 PUSH1 0 REVERT}. Calls never run it (libevm
   * routes them to Java first), but it makes EXTCODESIZE non-zero, which Solidity checks before a
   * call, and keeps the account from being "empty" (EIP-161 would delete an empty account).
   */
  public static final Bytes MARKER_CODE = Bytes.fromHexString("0x60006000fd");

  private static final SystemModules NONE = new SystemModules(List.of());

  private final Map<Address, SystemModule> byAddress = new LinkedHashMap<>();

  public SystemModules(List<? extends SystemModule> modules) {
    for (SystemModule m : modules) {
      if (byAddress.put(m.address(), m) != null) {
        throw new IllegalArgumentException("two system modules at " + m.address());
      }
    }
  }

  public static SystemModules none() {
    return NONE;
  }

  public static SystemModules of(SystemModule... modules) {
    return new SystemModules(List.of(modules));
  }

  public boolean isEmpty() {
    return byAddress.isEmpty();
  }

  public Collection<SystemModule> all() {
    return byAddress.values();
  }

  public Optional<SystemModule> at(Address address) {
    return Optional.ofNullable(byAddress.get(address));
  }

  /** The module that collects block fees, if any (its address is then every block's coinbase). */
  public Optional<SystemModule> feeCollector() {
    return byAddress.values().stream().filter(SystemModule::collectsFees).findFirst();
  }

  /**
   * Runs a call into the module at {@code callee}: charges {@link ModuleCall#CALL_GAS}, runs it,
   * and on success applies its writes to {@code state}. A revert returns {@code Error(reason)} with
   * the gas used so far; running out of gas or writing in a read-only call fails with all the gas
   * used; a bug in a module (any other exception) fails the same way, so no Java error can escape
   * into the EVM.
   */
  public ModuleResult invoke(
      ModuleState state,
      Address caller,
      Address callee,
      BigInteger value,
      Bytes input,
      long gas,
      boolean readOnly,
      long blockNumber) {
    SystemModule module = byAddress.get(callee);
    if (module == null) {
      throw new IllegalArgumentException("no system module at " + callee);
    }
    ModuleCall call = new ModuleCall(state, callee, blockNumber, gas, readOnly);
    try {
      call.charge(ModuleCall.CALL_GAS);
      Bytes out = module.call(call, caller, value, input);
      call.flush();
      return new ModuleResult(ModuleResult.Status.SUCCESS, out, call.gasUsed(), call.logs(), "");
    } catch (ModuleRevert e) {
      return new ModuleResult(
          ModuleResult.Status.REVERTED, e.revertData(), call.gasUsed(), List.of(), "");
    } catch (OutOfGas | WriteProtection e) {
      return new ModuleResult(
          ModuleResult.Status.FAILED, Bytes.EMPTY, gas, List.of(), e.getMessage());
    } catch (RuntimeException e) {
      return new ModuleResult(
          ModuleResult.Status.FAILED,
          Bytes.EMPTY,
          gas,
          List.of(),
          "system module error: " + e.getClass().getSimpleName());
    }
  }
}
