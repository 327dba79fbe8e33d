package io.axivon.consensus.execution.system;

import io.axivon.common.crypto.secp256k1.Address;
import io.axivon.consensus.execution.evm.Executor;
import java.math.BigInteger;
import org.apache.tuweni.bytes.Bytes32;

/** The executor's working state as a module sees it in block hooks (outside any EVM call). */
public record ExecutorModuleState(Executor executor) implements ModuleState {
  @Override
  public Bytes32 storage(Address account, Bytes32 key) {
    return executor.storage(account, key);
  }

  @Override
  public void setStorage(Address account, Bytes32 key, Bytes32 value) {
    executor.setStorage(account, key, value);
  }

  @Override
  public BigInteger balance(Address account) {
    return executor.balance(account);
  }

  @Override
  public void addBalance(Address account, BigInteger amount) {
    executor.addBalance(account, amount);
  }

  @Override
  public void subBalance(Address account, BigInteger amount) {
    executor.subBalance(account, amount);
  }
}
