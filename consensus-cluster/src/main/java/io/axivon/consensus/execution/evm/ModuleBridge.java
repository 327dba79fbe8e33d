package io.axivon.consensus.execution.evm;

import io.axivon.common.crypto.secp256k1.Address;
import io.axivon.consensus.execution.system.ModuleResult;
import io.axivon.consensus.execution.system.ModuleState;
import io.axivon.consensus.execution.system.SystemModules;
import io.horizen.evm.EvmContext;
import io.horizen.evm.ExternalInvocation;
import io.horizen.evm.Hash;
import io.horizen.evm.InvocationCallback;
import io.horizen.evm.StateDB;
import io.horizen.evm.results.EvmLog;
import io.horizen.evm.results.InvocationResult;
import java.math.BigInteger;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import org.apache.tuweni.bytes.Bytes;
import org.apache.tuweni.bytes.Bytes32;

/**
 * Runs system modules inside Evm.Apply, where libevm re-enters Java: reads and writes go straight
 * to the StateDB the message runs on, never through an executor's caches (those hold values from
 * before the message). The executor and each of its read-only views have their own, since the
 * callback writes to one StateDB.
 */
final class ModuleBridge implements AutoCloseable {
  private final SystemModules modules;
  private final Supplier<StateDB> state;
  private final LongSupplier blockNumber;
  private final io.horizen.evm.Address[] addresses;
  private final InvocationCallback callback; // null without modules

  /**
   * @param state the StateDB messages run on now (an executor reopens its own)
   * @param blockNumber the number of the block the message runs in
   */
  ModuleBridge(SystemModules modules, Supplier<StateDB> state, LongSupplier blockNumber) {
    this.modules = modules;
    this.state = state;
    this.blockNumber = blockNumber;
    this.addresses =
        modules.all().stream()
            .map(m -> LibEvmExecutor.addr(m.address()))
            .toArray(io.horizen.evm.Address[]::new);
    this.callback =
        modules.isEmpty()
            ? null
            : new InvocationCallback() {
              @Override
              protected InvocationResult execute(ExternalInvocation inv) {
                return runModule(inv);
              }
            };
  }

  /** Routes the context's calls to the modules' addresses here; nothing without modules. */
  void attach(EvmContext ctx) {
    if (callback != null) {
      ctx.setExternalContracts(addresses);
      ctx.setExternalCallback(callback);
    }
  }

  private InvocationResult runModule(ExternalInvocation inv) {
    long gas = inv.gas.bitLength() < 63 ? inv.gas.longValue() : Long.MAX_VALUE;
    ModuleResult r =
        modules.invoke(
            rawState,
            new Address(Bytes.wrap(inv.caller.toBytes())),
            new Address(Bytes.wrap(inv.callee.toBytes())),
            inv.value == null ? BigInteger.ZERO : inv.value,
            inv.input == null ? Bytes.EMPTY : Bytes.wrap(inv.input),
            gas,
            inv.readOnly,
            blockNumber.getAsLong());
    StateDB db = state.get();
    for (Log l : r.logs()) {
      db.addLog(
          new EvmLog(
              LibEvmExecutor.addr(l.address()),
              l.topics().stream().map(LibEvmExecutor::hash).toArray(Hash[]::new),
              l.data().toArray()));
    }
    return new InvocationResult(
        r.returnData().toArray(),
        BigInteger.valueOf(gas - r.gasUsed()),
        r.error(),
        r.status() == ModuleResult.Status.REVERTED,
        null);
  }

  private final ModuleState rawState =
      new ModuleState() {
        @Override
        public Bytes32 storage(Address account, Bytes32 key) {
          return Bytes32.wrap(
              state
                  .get()
                  .getStorage(LibEvmExecutor.addr(account), LibEvmExecutor.hash(key))
                  .toBytes());
        }

        @Override
        public void setStorage(Address account, Bytes32 key, Bytes32 value) {
          state
              .get()
              .setStorage(
                  LibEvmExecutor.addr(account),
                  LibEvmExecutor.hash(key),
                  LibEvmExecutor.hash(value));
        }

        @Override
        public BigInteger balance(Address account) {
          return state.get().getBalance(LibEvmExecutor.addr(account));
        }

        @Override
        public void addBalance(Address account, BigInteger amount) {
          state.get().addBalance(LibEvmExecutor.addr(account), amount);
        }

        @Override
        public void subBalance(Address account, BigInteger amount) {
          state.get().subBalance(LibEvmExecutor.addr(account), amount);
        }
      };

  @Override
  public void close() {
    if (callback != null) {
      callback.close();
    }
  }
}
