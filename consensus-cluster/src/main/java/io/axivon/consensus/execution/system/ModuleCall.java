package io.axivon.consensus.execution.system;

import io.axivon.common.crypto.secp256k1.Address;
import io.axivon.consensus.execution.evm.Log;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.tuweni.bytes.Bytes;
import org.apache.tuweni.bytes.Bytes32;

/**
 * One call (or block hook) of a system module: its view of the state, its gas meter and its events.
 * Writes go to an overlay that reaches the state only through {@link #flush} after a success, so a
 * revert or failure leaves the state untouched whatever backs it.
 *
 * <p>Gas (documented in specs/staking.md): {@link #CALL_GAS} per call, {@link #SLOAD_GAS} per slot
 * read, {@link #SSTORE_GAS} per slot written (flat: no refunds, no warm/cold distinction), a log
 * costs {@code 375 + 375 per topic + 8 per data byte} as in the EVM, and modules charge {@link
 * #BLS_VERIFY_GAS} per BLS verification.
 */
public final class ModuleCall {
  public static final long CALL_GAS = 5_000;
  public static final long SLOAD_GAS = 2_100;
  public static final long SSTORE_GAS = 20_000;

  /**
   * A write through {@link #update} to a slot already read in this call whose value is nonzero:
   * EIP-2929's warm SSTORE reset price (the cold read already paid {@link #SLOAD_GAS}).
   */
  public static final long SSTORE_RESET_GAS = 2_900;

  public static final long BLS_VERIFY_GAS = 50_000;
  public static final long BALANCE_GAS = 100;

  private record Slot(Address account, Bytes32 key) {}

  private final ModuleState state;
  private final Address self;
  private final long blockNumber;
  private final long gasLimit;
  private final boolean readOnly;
  private long gasUsed;
  private final Map<Slot, Bytes32> writes = new LinkedHashMap<>();
  private final Map<Address, BigInteger> deltas = new LinkedHashMap<>();
  private final List<Log> logs = new ArrayList<>();

  /**
   * @param gasLimit the gas this call may use ({@link Long#MAX_VALUE} for block hooks)
   * @param readOnly whether writes are refused (a STATICCALL)
   */
  public ModuleCall(
      ModuleState state, Address self, long blockNumber, long gasLimit, boolean readOnly) {
    this.state = state;
    this.self = self;
    this.blockNumber = blockNumber;
    this.gasLimit = gasLimit;
    this.readOnly = readOnly;
  }

  /** A block hook's context: no gas limit, writable. */
  public static ModuleCall hook(ModuleState state, Address self, long blockNumber) {
    return new ModuleCall(state, self, blockNumber, Long.MAX_VALUE, false);
  }

  public Address self() {
    return self;
  }

  /** The number of the block being executed. */
  public long blockNumber() {
    return blockNumber;
  }

  public boolean readOnly() {
    return readOnly;
  }

  public long gasUsed() {
    return gasUsed;
  }

  public void charge(long gas) {
    if (gas < 0 || gas > gasLimit - gasUsed) {
      gasUsed = gasLimit;
      throw new OutOfGas();
    }
    gasUsed += gas;
  }

  /**
   * Runs {@code body} with a read-only view of another module's storage (as that module's own calls
   * see it), charging its reads to this call: how one module asks another's state, e.g. the
   * validator sets staking defined.
   */
  public <T> T readOther(Address module, java.util.function.Function<ModuleCall, T> body) {
    ModuleCall view = new ModuleCall(state, module, blockNumber, gasLimit - gasUsed, true);
    try {
      return body.apply(view);
    } finally {
      charge(view.gasUsed);
    }
  }

  /** A slot of this module's own storage. */
  public Bytes32 load(Bytes32 key) {
    return loadOf(self, key);
  }

  public void store(Bytes32 key, Bytes32 value) {
    storeOf(self, key, value);
  }

  /**
   * Writes a slot of this module that the call has already {@link #load}ed (so it paid the read):
   * {@link #SSTORE_RESET_GAS} when the slot holds a nonzero value, {@link #SSTORE_GAS} when it is
   * still zero (a new entry), as the EVM prices a warm SSTORE. For hot paths that rewrite existing
   * entries, like the serving module's sub-accounts.
   */
  public void update(Bytes32 key, Bytes32 value) {
    writable();
    Slot slot = new Slot(self, key);
    Bytes32 current = writes.get(slot);
    if (current == null) {
      current = state.storage(self, key);
    }
    charge(current.isZero() ? SSTORE_GAS : SSTORE_RESET_GAS);
    writes.put(slot, value);
  }

  /**
   * A slot of another system module of the same chain, for modules that cooperate (the mining
   * module reads the flow's context and empties its reward pool). Charged as {@link #load}.
   */
  public Bytes32 loadOf(Address account, Bytes32 key) {
    charge(SLOAD_GAS);
    Bytes32 v = writes.get(new Slot(account, key));
    return v != null ? v : state.storage(account, key);
  }

  /** Writes a slot of {@code account} (see {@link #loadOf}); charged as {@link #store}. */
  public void storeOf(Address account, Bytes32 key, Bytes32 value) {
    writable();
    charge(SSTORE_GAS);
    writes.put(new Slot(account, key), value);
  }

  /**
   * A byte string kept in storage: its length at {@code lengthSlot}, then 32-byte chunks at {@code
   * chunkSlot(0)}, {@code chunkSlot(1)}, … (the last one right-padded with zeros).
   */
  public Bytes loadBlob(Bytes32 lengthSlot, java.util.function.LongFunction<Bytes32> chunkSlot) {
    int len = load(lengthSlot).toUnsignedBigInteger().intValueExact();
    byte[] out = new byte[len];
    for (int i = 0; i * 32 < len; i++) {
      Bytes32 w = load(chunkSlot.apply(i));
      System.arraycopy(w.toArrayUnsafe(), 0, out, i * 32, Math.min(32, len - i * 32));
    }
    return Bytes.wrap(out);
  }

  /** Stores {@code value} as {@link #loadBlob} reads it. */
  public void storeBlob(
      Bytes32 lengthSlot, java.util.function.LongFunction<Bytes32> chunkSlot, Bytes value) {
    store(lengthSlot, Bytes32.leftPad(Bytes.ofUnsignedLong(value.size())));
    for (int i = 0; i * 32 < value.size(); i++) {
      Bytes part = value.slice(i * 32, Math.min(32, value.size() - i * 32));
      store(chunkSlot.apply(i), Bytes32.rightPad(part));
    }
  }

  public BigInteger balance(Address account) {
    charge(BALANCE_GAS);
    return state.balance(account).add(deltas.getOrDefault(account, BigInteger.ZERO));
  }

  /** Moves {@code amount} wei; reverts if {@code from} cannot pay. */
  public void transfer(Address from, Address to, BigInteger amount) {
    burn(from, amount);
    writable();
    deltas.merge(to, amount, BigInteger::add);
  }

  /** Destroys {@code amount} wei of {@code from} (slashed stake); reverts if it cannot pay. */
  public void burn(Address from, BigInteger amount) {
    writable();
    if (amount.signum() < 0) {
      throw new IllegalArgumentException("negative amount");
    }
    if (balance(from).compareTo(amount) < 0) {
      throw new ModuleRevert("insufficient balance");
    }
    deltas.merge(from, amount.negate(), BigInteger::add);
  }

  /** Creates {@code amount} wei for {@code to} (genesis stake only). */
  public void mint(Address to, BigInteger amount) {
    writable();
    deltas.merge(to, amount, BigInteger::add);
  }

  /** Emits an event from this module's address. */
  public void log(List<Bytes32> topics, Bytes data) {
    writable();
    charge(375 + 375L * topics.size() + 8L * data.size());
    logs.add(new Log(self, topics, data));
  }

  private void writable() {
    if (readOnly) {
      throw new WriteProtection();
    }
  }

  public List<Log> logs() {
    return List.copyOf(logs);
  }

  /** Applies the buffered writes and balance changes to the state. */
  public void flush() {
    for (Map.Entry<Slot, Bytes32> e : writes.entrySet()) {
      state.setStorage(e.getKey().account(), e.getKey().key(), e.getValue());
    }
    for (Map.Entry<Address, BigInteger> e : deltas.entrySet()) {
      int sign = e.getValue().signum();
      if (sign > 0) {
        state.addBalance(e.getKey(), e.getValue());
      } else if (sign < 0) {
        state.subBalance(e.getKey(), e.getValue().negate());
      }
    }
    writes.clear();
    deltas.clear();
  }
}
