package io.axivon.consensus.execution.evm;

import io.axivon.common.crypto.secp256k1.Address;
import io.axivon.consensus.execution.system.SystemModules;
import io.horizen.evm.BlockHashCallback;
import io.horizen.evm.Evm;
import io.horizen.evm.EvmContext;
import io.horizen.evm.Hash;
import io.horizen.evm.Invocation;
import io.horizen.evm.LevelDBDatabase;
import io.horizen.evm.StateDB;
import io.horizen.evm.results.EvmLog;
import io.horizen.evm.results.InvocationResult;
import java.math.BigInteger;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import org.apache.tuweni.bytes.Bytes;
import org.apache.tuweni.bytes.Bytes32;

/**
 * A read-only {@link Executor} at one committed state root, on a StateDB of its own over the
 * chain's libevm database: eth_call and state reads run on it in parallel with each other and with
 * block execution. That is safe because a committed root never changes (the trie is hash-addressed
 * and never pruned) and go-ethereum's trie database serves readers while a commit adds nodes; only
 * the StateDB object is one thread at a time, so each caller takes a view of its own (see {@link
 * LibEvmViews}).
 *
 * <p>Changes are allowed only inside {@link #speculate} or {@link #call}, whose snapshot revert
 * undoes them: the view always stays at its root, so it can serve the next call without being
 * reopened, and the accounts it has loaded stay cached in libevm meanwhile.
 */
public final class LibEvmView implements Executor {
  private final Bytes32 root;
  private final StateDB state;
  private final BlockHashCallback blockHashes;
  private final ModuleBridge moduleBridge;
  private long blockNumber;
  private boolean speculating;
  private boolean ranInSpeculation;
  private AccessKey setUp; // the last access-list setup
  private boolean reverted; // no run since the last revert

  private record AccessKey(Address caller, Optional<Address> callee, Address coinbase) {}

  int uses; // calls served, for LibEvmViews' reopen limit

  LibEvmView(
      LevelDBDatabase db, Bytes32 root, BlockHashCallback blockHashes, SystemModules modules) {
    this.root = root;
    this.state = new StateDB(db, LibEvmExecutor.hash(root));
    this.blockHashes = blockHashes;
    this.moduleBridge = new ModuleBridge(modules, () -> state, () -> blockNumber);
  }

  /** The state root this view reads. */
  public Bytes32 root() {
    return root;
  }

  @Override
  public Bytes32 committedRoot() {
    return root;
  }

  @Override
  public BigInteger balance(Address account) {
    return state.getBalance(LibEvmExecutor.addr(account));
  }

  @Override
  public long nonce(Address account) {
    return state.getNonce(LibEvmExecutor.addr(account)).longValueExact();
  }

  @Override
  public Bytes code(Address account) {
    byte[] c = state.getCode(LibEvmExecutor.addr(account));
    return c == null ? Bytes.EMPTY : Bytes.wrap(c);
  }

  @Override
  public Bytes32 storage(Address account, Bytes32 key) {
    return Bytes32.wrap(
        state.getStorage(LibEvmExecutor.addr(account), LibEvmExecutor.hash(key)).toBytes());
  }

  @Override
  public AccountProof proof(Bytes32 at, Address account, List<Bytes32> keys) {
    return LibEvmExecutor.proof(state, at, account, keys);
  }

  private void writable() {
    if (!speculating) {
      throw new IllegalStateException("a state view changes only inside speculate");
    }
  }

  @Override
  public void addBalance(Address account, BigInteger amount) {
    writable();
    state.addBalance(LibEvmExecutor.addr(account), amount);
  }

  @Override
  public void subBalance(Address account, BigInteger amount) {
    writable();
    state.subBalance(LibEvmExecutor.addr(account), amount);
  }

  @Override
  public void setNonce(Address account, long nonce) {
    writable();
    state.setNonce(LibEvmExecutor.addr(account), BigInteger.valueOf(nonce));
  }

  @Override
  public void setStorage(Address account, Bytes32 key, Bytes32 value) {
    writable();
    state.setStorage(
        LibEvmExecutor.addr(account), LibEvmExecutor.hash(key), LibEvmExecutor.hash(value));
  }

  @Override
  public void setCode(Address account, Bytes code) {
    writable();
    state.setCode(LibEvmExecutor.addr(account), code.toArray());
  }

  /** As {@link LibEvmExecutor#run}; only inside {@link #speculate}, once per speculation. */
  @Override
  public MessageResult run(Message m, BlockEnv b) {
    writable();
    if (ranInSpeculation) {
      // A run's access-list setup is not journaled while the run's additions are: reverting a
      // first run's additions from a list a second setup replaced panics in go-ethereum (and a Go
      // panic aborts the JVM).
      throw new IllegalStateException("one run per speculation on a state view");
    }
    ranInSpeculation = true;
    InvocationResult r = apply(m, b);
    long gasLeft = r.leftOverGas == null ? 0 : r.leftOverGas.longValueExact();
    MessageResult.Status status = LibEvmExecutor.status(r);
    long refund = 0;
    List<Log> logs = List.of();
    if (gasLeft != m.gas()) {
      // The refund counter and the logs (all under the zero tx hash) start empty in every
      // speculation, since the view always reverts, and a speculation has one run: what is there
      // is this run's.
      refund = state.getRefund().longValueExact();
      EvmLog[] raw = state.getLogs(Hash.ZERO);
      if (raw != null && raw.length > 0 && status == MessageResult.Status.SUCCESS) {
        logs = LibEvmExecutor.convert(raw);
      }
    }
    return result(m, r, status, gasLeft, refund, logs);
  }

  /** eth_call's lean path: snapshot, access setup, one Evm.Apply, revert. */
  @Override
  public MessageResult call(Message m, BlockEnv b) {
    if (speculating) {
      throw new IllegalStateException("already speculating");
    }
    int id = state.snapshot();
    speculating = true;
    try {
      InvocationResult r = apply(m, b);
      long gasLeft = r.leftOverGas == null ? 0 : r.leftOverGas.longValueExact();
      return result(m, r, LibEvmExecutor.status(r), gasLeft, 0, List.of());
    } finally {
      speculating = false;
      state.revertToSnapshot(id);
      reverted = true;
    }
  }

  /** Access setup, the creator's nonce bump for a creation, then one Evm.Apply. */
  private InvocationResult apply(Message m, BlockEnv b) {
    io.horizen.evm.Address caller = LibEvmExecutor.addr(m.caller());
    io.horizen.evm.Address callee = m.to().map(LibEvmExecutor::addr).orElse(null);
    io.horizen.evm.Address coinbase = LibEvmExecutor.addr(b.coinbase());
    // The access-list setup is not journaled, while everything added to the list after it (the
    // message's access list, what the run touches) is, and goes with the snapshot's revert: after
    // a revert the list is exactly what the last setup made, so a run for the same caller, callee
    // and coinbase without an access list need not set it up again (one libevm call less).
    AccessKey wanted = new AccessKey(m.caller(), m.to(), b.coinbase());
    if (!reverted || !m.accessList().isEmpty() || !wanted.equals(setUp)) {
      state.accessSetup(caller, callee, coinbase, LibEvmExecutor.SHANGHAI);
      setUp = wanted;
    }
    reverted = false;
    LibEvmExecutor.warm(state, m.accessList());
    EvmContext ctx = LibEvmExecutor.context(b, m.gasPrice(), blockHashes, moduleBridge);
    blockNumber = b.number();
    BigInteger creatorNonce = null;
    if (callee == null) {
      // as LibEvmExecutor: libevm's creation takes one off the caller's nonce (undone after)
      creatorNonce = state.getNonce(caller);
      state.setNonce(caller, creatorNonce.add(BigInteger.ONE));
    }
    InvocationResult r =
        Evm.Apply(
            state,
            new Invocation(
                caller, callee, m.value(), m.data().toArray(), BigInteger.valueOf(m.gas()), false),
            ctx);
    if (creatorNonce != null) {
      state.setNonce(caller, creatorNonce);
    }
    return r;
  }

  private static MessageResult result(
      Message m,
      InvocationResult r,
      MessageResult.Status status,
      long gasLeft,
      long refund,
      List<Log> logs) {
    Optional<Address> created =
        r.contractAddress == null || m.to().isPresent()
            ? Optional.empty()
            : Optional.of(new Address(Bytes.wrap(r.contractAddress.toBytes())));
    return new MessageResult(
        status,
        r.returnData == null ? Bytes.EMPTY : Bytes.wrap(r.returnData),
        gasLeft,
        refund,
        logs,
        created,
        r.executionError == null ? "" : r.executionError); // as the executor: a revert says so
  }

  @Override
  public <T> T speculate(Function<Executor, T> body) {
    if (speculating) {
      throw new IllegalStateException("already speculating");
    }
    int id = state.snapshot();
    speculating = true;
    ranInSpeculation = false;
    try {
      return body.apply(this);
    } finally {
      speculating = false;
      state.revertToSnapshot(id);
      reverted = true;
    }
  }

  /** A view never commits: it reads one committed root. */
  @Override
  public Bytes32 commit() {
    throw new UnsupportedOperationException("a state view is read-only");
  }

  @Override
  public void discard() {
    throw new UnsupportedOperationException("a state view is read-only");
  }

  @Override
  public void reset(Bytes32 root) {
    throw new UnsupportedOperationException("a state view is read-only");
  }

  @Override
  public void close() {
    try {
      state.close();
    } catch (Exception e) {
      throw new IllegalStateException("cannot close libevm state view", e);
    }
    moduleBridge.close();
  }
}
