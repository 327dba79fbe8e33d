package io.axivon.consensus.execution.system;

import io.axivon.common.crypto.secp256k1.Address;
import java.math.BigInteger;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import org.apache.tuweni.bytes.Bytes32;

/** An in-memory world state for module tests: storage and balances in maps. */
public final class MapState implements ModuleState {
  private final Map<Address, Map<Bytes32, Bytes32>> storage = new HashMap<>();
  private final Map<Address, BigInteger> balances = new HashMap<>();

  @Override
  public Bytes32 storage(Address account, Bytes32 key) {
    return storage.getOrDefault(account, Map.of()).getOrDefault(key, Bytes32.ZERO);
  }

  @Override
  public void setStorage(Address account, Bytes32 key, Bytes32 value) {
    Map<Bytes32, Bytes32> s = storage.computeIfAbsent(account, a -> new HashMap<>());
    if (value.isZero()) {
      s.remove(key);
    } else {
      s.put(key, value);
    }
  }

  @Override
  public BigInteger balance(Address account) {
    return balances.getOrDefault(account, BigInteger.ZERO);
  }

  @Override
  public void addBalance(Address account, BigInteger amount) {
    balances.put(account, balance(account).add(amount));
  }

  @Override
  public void subBalance(Address account, BigInteger amount) {
    BigInteger b = balance(account).subtract(amount);
    if (b.signum() < 0) {
      throw new IllegalStateException("negative balance");
    }
    balances.put(account, b);
  }

  /** All balances together: the supply, to check that nothing is created or lost. */
  public BigInteger totalBalance() {
    return balances.values().stream().reduce(BigInteger.ZERO, BigInteger::add);
  }

  /** A deep copy, to compare states before and after. */
  public MapState copy() {
    MapState c = new MapState();
    storage.forEach((a, s) -> c.storage.put(a, new HashMap<>(s)));
    c.balances.putAll(balances);
    return c;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof MapState m
        && normalized(balances).equals(normalized(m.balances))
        && storage.entrySet().stream()
            .filter(e -> !e.getValue().isEmpty())
            .collect(java.util.stream.Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue))
            .equals(
                m.storage.entrySet().stream()
                    .filter(e -> !e.getValue().isEmpty())
                    .collect(
                        java.util.stream.Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue)));
  }

  private static Map<Address, BigInteger> normalized(Map<Address, BigInteger> m) {
    Map<Address, BigInteger> out = new HashMap<>();
    m.forEach(
        (a, b) -> {
          if (b.signum() != 0) {
            out.put(a, b);
          }
        });
    return out;
  }

  @Override
  public int hashCode() {
    return Objects.hash(normalized(balances));
  }
}
