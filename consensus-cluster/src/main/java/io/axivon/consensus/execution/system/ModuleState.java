package io.axivon.consensus.execution.system;

import io.axivon.common.crypto.secp256k1.Address;
import java.math.BigInteger;
import org.apache.tuweni.bytes.Bytes32;

/**
 * The world state as a system module sees it: storage slots and balances. Backed by libevm's
 * StateDB inside an EVM call, by the {@link io.axivon.consensus.execution.evm.Executor} in block
 * hooks, and by a map in tests.
 */
public interface ModuleState {
  Bytes32 storage(Address account, Bytes32 key);

  void setStorage(Address account, Bytes32 key, Bytes32 value);

  BigInteger balance(Address account);

  void addBalance(Address account, BigInteger amount);

  void subBalance(Address account, BigInteger amount);
}
