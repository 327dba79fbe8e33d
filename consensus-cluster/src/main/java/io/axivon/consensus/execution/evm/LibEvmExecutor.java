package io.axivon.consensus.execution.evm;

import io.axivon.common.crypto.secp256k1.Address;
import io.axivon.consensus.execution.system.SystemModules;
import io.axivon.consensus.execution.tx.AccessTuple;
import io.horizen.evm.BlockHashCallback;
import io.horizen.evm.Evm;
import io.horizen.evm.EvmContext;
import io.horizen.evm.ForkRules;
import io.horizen.evm.Hash;
import io.horizen.evm.Invocation;
import io.horizen.evm.LevelDBDatabase;
import io.horizen.evm.StateDB;
import io.horizen.evm.results.EvmLog;
import io.horizen.evm.results.InvocationResult;
import io.horizen.evm.results.ProofAccountResult;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.function.LongFunction;
import java.util.stream.Collectors;
import org.apache.tuweni.bytes.Bytes;
import org.apache.tuweni.bytes.Bytes32;

/**
 * {@link Executor} over io.horizen:libevm: go-ethereum's EVM (Shanghai rules) and state database,
 * reached through JNA with every call serialized as JSON. A call costs tens of microseconds, so
 * {@link #run} makes as few as it can: a message that used no gas ran no code, so it can have
 * neither logs nor refunds, and we skip asking for them, and nonces and balances are cached while
 * no code runs.
 *
 * <p>Balance and nonce writes are also deferred: they collect in Java per account and reach libevm
 * in one call each per account (a block's gas purchases, refunds, nonce bumps and the proposer's
 * tips), right before anything that could observe them: a message that may run code, a snapshot, a
 * read of another field, the commit. A message to a callee already seen to run no code (no code,
 * not a precompile or system module) can observe none of them: a transfer of a positive value to it
 * runs in Java as two more deferred writes (go-ethereum's call does nothing else for it), so a
 * block of plain transfers reaches libevm only as one balance write per account and one nonce write
 * per sender, at the commit. Additions and subtractions commute, so the committed state is the one
 * the writes made in order.
 *
 * <p>The state lives in libevm's own LevelDB under the directory given to {@link #open}: libevm
 * offers no other persistent backend, so the world state is the one thing we keep outside our LMDB
 * store. The trie is hash-addressed and never pruned, so any root committed before can be reopened:
 * the caller records the root of each committed block (in LMDB) and reopens at it after a restart,
 * without recomputing anything. One instance per directory.
 */
public final class LibEvmExecutor implements Executor {
  static final ForkRules SHANGHAI = new ForkRules(true);

  private final LevelDBDatabase db;
  private final BlockHashCallback blockHashes;
  // System modules: libevm calls back into Java for a call to any of these addresses, from a
  // transaction or from contract code, and reverts the callback's writes itself on failure.
  private final SystemModules modules;
  private final ModuleBridge moduleBridge;
  private BlockEnv runningIn;
  private StateDB state;
  private Bytes32 committedRoot;
  // Logs are kept by go-ethereum per "tx hash" set with setTxContext. Rather than one extra call
  // per
  // transaction, all logs go to the current bucket; after a message that logged we read them and
  // move to a fresh bucket, so a bucket only ever holds one message's logs.
  private long logBucket;
  private boolean speculating;
  // Nonces and balances read or written since the last time code ran, kept exact by applying our
  // own writes and plain value transfers to them: a sender's second transaction in a block then
  // costs no reads. Any message that runs code (it can move anyone's balance) clears it, and so do
  // discard, reset and speculation.
  private final Map<Address, long[]> nonces = new HashMap<>();
  private final Map<Address, BigInteger> balances = new HashMap<>();
  private static final int CACHE_LIMIT = 100_000;
  // Writes not yet sent to libevm, in first-write order (see the class comment). Outside
  // speculation only: there writes go straight through, so the snapshot's revert undoes them.
  private final Map<Address, Pending> pending = new LinkedHashMap<>();
  // Callees whose last message ran no code and that are neither precompiles nor modules. Code only
  // appears through creation or setCode, and both clear this with the caches.
  private final Set<Address> codeless = new HashSet<>();
  private final Set<Address> moduleSet;
  private final boolean deferWrites; // false: every write goes straight to libevm (tests compare)
  private final LibEvmViews views;
  private long javaTransfers; // messages run by transferInJava, for tests
  // The caches' copy at the last commit; after a reset to another root it no longer applies.
  private CommittedAccounts committedAccounts = CommittedAccounts.none(EMPTY_ROOT);

  /** An account's balance change and nonce not yet written to libevm. */
  private static final class Pending {
    BigInteger delta = BigInteger.ZERO;
    long nonce = -1; // none
  }

  private LibEvmExecutor(
      Path dir,
      Bytes32 root,
      LongFunction<Bytes32> blockHash,
      SystemModules modules,
      boolean deferWrites) {
    this.deferWrites = deferWrites;
    try {
      Files.createDirectories(dir);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create state directory " + dir, e);
    }
    this.db = new LevelDBDatabase(dir.toAbsolutePath().toString());
    this.blockHashes =
        new BlockHashCallback() {
          @Override
          protected Hash getBlockHash(BigInteger number) {
            Bytes32 h = number.bitLength() < 63 ? blockHash.apply(number.longValue()) : null;
            return h == null ? Hash.ZERO : new Hash(h.toArrayUnsafe());
          }
        };
    this.committedRoot = root;
    this.state = new StateDB(db, hash(root));
    this.modules = modules;
    this.moduleSet = modules.all().stream().map(m -> m.address()).collect(Collectors.toSet());
    this.views = new LibEvmViews(db, blockHashes, modules);
    this.moduleBridge =
        new ModuleBridge(modules, () -> state, () -> runningIn == null ? 0 : runningIn.number());
  }

  /**
   * Opens the state in {@code dir} at {@code root} ({@link #EMPTY_ROOT} for a new chain).
   *
   * @param blockHash the hash of a block by number, for BLOCKHASH (null when unknown)
   */
  public static LibEvmExecutor open(Path dir, Bytes32 root, LongFunction<Bytes32> blockHash) {
    return new LibEvmExecutor(dir, root, blockHash, SystemModules.none(), true);
  }

  /** As {@link #open(Path, Bytes32, LongFunction)}, with calls to {@code modules} run in Java. */
  public static LibEvmExecutor open(
      Path dir, Bytes32 root, LongFunction<Bytes32> blockHash, SystemModules modules) {
    return new LibEvmExecutor(dir, root, blockHash, modules, true);
  }

  /** As {@link #open(Path, Bytes32, LongFunction)}, every write sent at once: the reference. */
  static LibEvmExecutor openWriteThrough(Path dir, Bytes32 root, LongFunction<Bytes32> blockHash) {
    return new LibEvmExecutor(dir, root, blockHash, SystemModules.none(), false);
  }

  /** How many messages ran as plain transfers in Java, without libevm; for tests. */
  long javaTransfers() {
    return javaTransfers;
  }

  /** The root of the empty state trie. */
  public static final Bytes32 EMPTY_ROOT = Bytes32.wrap(StateDB.EMPTY_ROOT_HASH.toBytes());

  @Override
  public Bytes32 committedRoot() {
    return committedRoot;
  }

  @Override
  public BigInteger balance(Address account) {
    BigInteger b = balances.get(account);
    if (b == null) {
      b = state.getBalance(addr(account));
      Pending p = pending.get(account);
      if (p != null) {
        b = b.add(p.delta);
      }
      if (balances.size() < CACHE_LIMIT) {
        balances.put(account, b);
      }
    }
    return b;
  }

  @Override
  public long nonce(Address account) {
    long[] n = nonces.get(account);
    if (n == null) {
      Pending p = pending.get(account);
      n =
          new long[] {
            p != null && p.nonce >= 0 ? p.nonce : state.getNonce(addr(account)).longValueExact()
          };
      if (nonces.size() < CACHE_LIMIT) {
        nonces.put(account, n);
      }
    }
    return n[0];
  }

  private void clearCache() {
    nonces.clear();
    balances.clear();
    codeless.clear();
  }

  private Pending pendingOf(Address account) {
    return pending.computeIfAbsent(account, a -> new Pending());
  }

  /** Sends every deferred write to libevm. */
  private void flush() {
    for (Map.Entry<Address, Pending> e : pending.entrySet()) {
      write(e.getKey(), e.getValue());
    }
    pending.clear();
  }

  private void flush(Address account) {
    Pending p = pending.remove(account);
    if (p != null) {
      write(account, p);
    }
  }

  private void write(Address account, Pending p) {
    int sign = p.delta.signum();
    if (sign > 0) {
      state.addBalance(addr(account), p.delta);
    } else if (sign < 0) {
      state.subBalance(addr(account), p.delta.negate());
    }
    if (p.nonce >= 0) {
      state.setNonce(addr(account), BigInteger.valueOf(p.nonce));
    }
  }

  @Override
  public Bytes code(Address account) {
    flush();
    byte[] c = state.getCode(addr(account));
    return c == null ? Bytes.EMPTY : Bytes.wrap(c);
  }

  @Override
  public Bytes32 storage(Address account, Bytes32 key) {
    flush();
    return Bytes32.wrap(state.getStorage(addr(account), hash(key)).toBytes());
  }

  /**
   * Read-only views of committed roots of this state's database, for readers on other threads
   * (eth_call and state reads in parallel with block execution).
   */
  public LibEvmViews views() {
    return views;
  }

  @Override
  public AccountProof proof(Bytes32 root, Address account, List<Bytes32> keys) {
    return proof(state, root, account, keys);
  }

  static AccountProof proof(StateDB state, Bytes32 root, Address account, List<Bytes32> keys) {
    ProofAccountResult r =
        state.getProof(
            addr(account),
            hash(root),
            keys.stream().map(LibEvmExecutor::hash).toArray(Hash[]::new));
    List<AccountProof.StorageProof> slots = new ArrayList<>();
    for (int i = 0; i < keys.size(); i++) {
      ProofAccountResult.ProofStorageResult s = r.storageProof[i];
      slots.add(
          new AccountProof.StorageProof(
              keys.get(i), Bytes32.leftPad(uint(s.value)), nodes(s.proof)));
    }
    return new AccountProof(
        account,
        nodes(r.accountProof),
        r.balance,
        r.nonce.longValueExact(),
        Bytes32.wrap(r.codeHash.toBytes()),
        Bytes32.wrap(r.storageHash.toBytes()),
        slots);
  }

  private static List<Bytes> nodes(String[] hex) {
    return hex == null
        ? List.of()
        : java.util.Arrays.stream(hex).map(Bytes::fromHexString).toList();
  }

  private static Bytes uint(BigInteger v) {
    return v.signum() == 0 ? Bytes.EMPTY : Bytes.wrap(v.toByteArray()).trimLeadingZeros();
  }

  @Override
  public void addBalance(Address account, BigInteger amount) {
    if (speculating || !deferWrites) {
      state.addBalance(addr(account), amount);
    } else {
      Pending p = pendingOf(account);
      p.delta = p.delta.add(amount);
    }
    balances.computeIfPresent(account, (a, b) -> b.add(amount));
  }

  @Override
  public void subBalance(Address account, BigInteger amount) {
    if (speculating || !deferWrites) {
      state.subBalance(addr(account), amount);
    } else {
      Pending p = pendingOf(account);
      p.delta = p.delta.subtract(amount);
    }
    balances.computeIfPresent(account, (a, b) -> b.subtract(amount));
  }

  @Override
  public void setNonce(Address account, long nonce) {
    if (speculating || !deferWrites || nonce < 0) {
      flush(account);
      state.setNonce(addr(account), BigInteger.valueOf(nonce));
    } else {
      pendingOf(account).nonce = nonce;
    }
    long[] n = nonces.get(account);
    if (n != null) {
      n[0] = nonce;
    }
  }

  @Override
  public void setStorage(Address account, Bytes32 key, Bytes32 value) {
    flush();
    state.setStorage(addr(account), hash(key), hash(value));
  }

  @Override
  public void setCode(Address account, Bytes code) {
    flush();
    clearCache();
    state.setCode(addr(account), code.toArray());
  }

  /**
   * libevm's top-level creation expects the caller's nonce already bumped (its Horizen SDK bumps
   * before running) and takes one off to derive the address; our contract is the unbumped nonce, so
   * bump it first. Without this a creation at nonce n > 0 went to the address of nonce n - 1 (and
   * the second creation of an account collided with its first). Returns the unbumped nonce.
   */
  private long bumpForCreation(Address creator) {
    long n = nonce(creator);
    state.setNonce(addr(creator), BigInteger.valueOf(n + 1));
    return n;
  }

  @Override
  public MessageResult run(Message m, BlockEnv b) {
    if (deferWrites
        && !speculating
        && m.to().isPresent()
        && m.value().signum() > 0
        && codeless.contains(m.to().get())
        && balance(m.caller()).compareTo(m.value()) >= 0) {
      return transferInJava(m);
    }
    io.horizen.evm.Address caller = addr(m.caller());
    io.horizen.evm.Address callee = m.to().map(LibEvmExecutor::addr).orElse(null);
    io.horizen.evm.Address coinbase = addr(b.coinbase());
    // A callee known to run no code: nothing but the value transfer can happen, so the deferred
    // writes stay deferred and the access list (which only code's gas sees) is not set up.
    boolean plain = deferWrites && m.to().isPresent() && codeless.contains(m.to().get());
    if (plain) {
      alignForTransfer(m.caller(), m.value());
    } else {
      flush();
      state.accessSetup(caller, callee, coinbase, SHANGHAI);
      warm(state, m.accessList());
    }
    EvmContext ctx = context(b, m.gasPrice(), blockHashes, moduleBridge);
    runningIn = b;
    // Unfinalised (speculative) runs share one refund counter: measure this run's part.
    long refundBefore = speculating ? state.getRefund().longValueExact() : 0;
    long creatorNonce = callee == null ? bumpForCreation(m.caller()) : 0;
    InvocationResult r =
        Evm.Apply(
            state,
            new Invocation(
                caller, callee, m.value(), m.data().toArray(), BigInteger.valueOf(m.gas()), false),
            ctx);
    if (callee == null) {
      state.setNonce(caller, BigInteger.valueOf(creatorNonce));
    }
    long gasLeft = r.leftOverGas == null ? 0 : r.leftOverGas.longValueExact();
    MessageResult.Status status = status(r);
    if (plain && gasLeft != m.gas()) {
      // cannot happen: only creation and setCode add code, and both clear the set
      throw new IllegalStateException("a callee known to have no code ran code: " + m.to().get());
    }
    long refund = 0;
    List<Log> logs = List.of();
    if (gasLeft != m.gas()) { // code ran: collect its logs and refund, close the tx's journal
      refund = state.getRefund().longValueExact() - refundBefore;
      EvmLog[] raw = state.getLogs(bucketHash());
      if (raw != null && raw.length > 0) {
        logs = status == MessageResult.Status.SUCCESS ? convert(raw) : List.of();
        logBucket++;
        state.setTxContext(bucketHash(), 0);
      }
      if (!speculating) {
        // Finalise, as go-ethereum does after every transaction: clears the refund counter and
        // removes self-destructed accounts.
        state.finalizeChanges();
      }
    }
    if (gasLeft != m.gas() || status != MessageResult.Status.SUCCESS || callee == null) {
      clearCache(); // code ran, or something unusual: trust nothing cached
    } else {
      Address to = m.to().orElseThrow();
      if (codeless.size() < CACHE_LIMIT && !moduleSet.contains(to) && !isPrecompile(to)) {
        codeless.add(to);
      }
      if (m.value().signum() > 0) { // a plain value transfer: mirror it
        balances.computeIfPresent(m.caller(), (a, v) -> v.subtract(m.value()));
        balances.computeIfPresent(to, (a, v) -> v.add(m.value()));
      }
    }
    Optional<Address> created =
        r.contractAddress == null || callee != null
            ? Optional.empty()
            : Optional.of(new Address(Bytes.wrap(r.contractAddress.toBytes())));
    return new MessageResult(
        status,
        r.returnData == null ? Bytes.EMPTY : Bytes.wrap(r.returnData),
        gasLeft,
        refund,
        logs,
        created,
        r.executionError == null ? "" : r.executionError);
  }

  /**
   * A value transfer to a callee known to run no code, as go-ethereum's call does it (the caller
   * can pay, checked above; a positive value creates a missing callee, which libevm does when the
   * deferred credit reaches it): no gas used, no logs, no refund, nothing for libevm until the next
   * flush. A zero value stays with libevm, whose touch rules (EIP-158) we do not copy.
   */
  private MessageResult transferInJava(Message m) {
    Address to = m.to().orElseThrow();
    javaTransfers++;
    subBalance(m.caller(), m.value());
    addBalance(to, m.value());
    return new MessageResult(
        MessageResult.Status.SUCCESS, Bytes.EMPTY, m.gas(), 0, List.of(), Optional.empty(), "");
  }

  /**
   * Before a transfer that leaves writes deferred: libevm checks the caller's balance against the
   * value, so its view of the caller must give the same answer as the true balance.
   */
  private void alignForTransfer(Address caller, BigInteger value) {
    Pending p = pending.get(caller);
    if (p == null || p.delta.signum() == 0) {
      return;
    }
    BigInteger truth = balances.get(caller);
    if (truth == null
        || (truth.compareTo(value) >= 0) != (truth.subtract(p.delta).compareTo(value) >= 0)) {
      flush(caller);
    }
  }

  /**
   * Shanghai's precompiles are 0x01..0x09; 0x0a (Cancun's) counts too, as a margin. A precompile
   * reads no state, but one can run on no gas (blake2f with zero rounds), so it never counts as
   * codeless.
   */
  private static boolean isPrecompile(Address a) {
    byte[] b = a.bytes().toArrayUnsafe();
    for (int i = 0; i < b.length - 1; i++) {
      if (b[i] != 0) {
        return false;
      }
    }
    return b[b.length - 1] >= 1 && b[b.length - 1] <= 0x0a;
  }

  /**
   * eth_call's lean path: snapshot, access setup, one Evm.Apply, revert: four libevm calls, where a
   * {@link #run} inside {@link #speculate} also reads the refund (twice) and the logs.
   */
  @Override
  public MessageResult call(Message m, BlockEnv b) {
    if (speculating) {
      throw new IllegalStateException("already speculating");
    }
    flush();
    int id = state.snapshot();
    try {
      io.horizen.evm.Address caller = addr(m.caller());
      io.horizen.evm.Address callee = m.to().map(LibEvmExecutor::addr).orElse(null);
      io.horizen.evm.Address coinbase = addr(b.coinbase());
      state.accessSetup(caller, callee, coinbase, SHANGHAI);
      warm(state, m.accessList());
      // system modules answer eth_call too (this path once skipped them: the marker code reverted)
      EvmContext ctx = context(b, m.gasPrice(), blockHashes, moduleBridge);
      runningIn = b;
      if (callee == null) {
        bumpForCreation(m.caller()); // the snapshot's revert undoes it
      }
      InvocationResult r =
          Evm.Apply(
              state,
              new Invocation(
                  caller,
                  callee,
                  m.value(),
                  m.data().toArray(),
                  BigInteger.valueOf(m.gas()),
                  false),
              ctx);
      long gasLeft = r.leftOverGas == null ? 0 : r.leftOverGas.longValueExact();
      MessageResult.Status status = status(r);
      Optional<Address> created =
          r.contractAddress == null || callee != null
              ? Optional.empty()
              : Optional.of(new Address(Bytes.wrap(r.contractAddress.toBytes())));
      return new MessageResult(
          status,
          r.returnData == null ? Bytes.EMPTY : Bytes.wrap(r.returnData),
          gasLeft,
          0,
          List.of(),
          created,
          r.executionError == null ? "" : r.executionError);
    } finally {
      state.revertToSnapshot(id);
      clearCache();
    }
  }

  @Override
  public <T> T speculate(Function<Executor, T> body) {
    if (speculating) {
      throw new IllegalStateException("already speculating");
    }
    // go-ethereum panics (and a panic aborts the whole JVM) on reverting to a snapshot that a
    // Finalise has dropped, so while speculating run() does not finalise.
    flush();
    int id = state.snapshot();
    speculating = true;
    try {
      return body.apply(this);
    } finally {
      speculating = false;
      state.revertToSnapshot(id);
      clearCache();
    }
  }

  @Override
  public Bytes32 commit() {
    flush();
    committedRoot = Bytes32.wrap(state.commit().toBytes());
    // A fresh StateDB on the new root: go-ethereum's StateDB is not meant for reuse after Commit.
    // What is cached is the committed state: it stays valid, and a copy of it is what other
    // threads may read of this root (the caches themselves change with the next block).
    Map<Address, Long> n = HashMap.newHashMap(nonces.size());
    for (Map.Entry<Address, long[]> e : nonces.entrySet()) {
      n.put(e.getKey(), e.getValue()[0]);
    }
    Map<Address, BigInteger> b = new HashMap<>(balances);
    reopenState(); // the caches hold the committed state: they stay, and go on with the next block
    committedAccounts =
        new CommittedAccounts(
            committedRoot, Collections.unmodifiableMap(n), Collections.unmodifiableMap(b));
    return committedRoot;
  }

  @Override
  public CommittedAccounts committedAccounts() {
    CommittedAccounts known = committedAccounts;
    return known.root().equals(committedRoot) ? known : CommittedAccounts.none(committedRoot);
  }

  @Override
  public void discard() {
    reopen();
  }

  /** Any root committed earlier can be reopened: the trie is never pruned. */
  @Override
  public void reset(Bytes32 root) {
    committedRoot = root;
    reopen();
  }

  private void reopen() {
    clearCache();
    reopenState();
  }

  /** A fresh StateDB on the committed root; nothing pending. The caches are the caller's affair. */
  private void reopenState() {
    pending.clear();
    closeState();
    state = new StateDB(db, hash(committedRoot));
    logBucket = 0;
  }

  private void closeState() {
    try {
      state.close();
    } catch (Exception e) {
      throw new IllegalStateException("cannot close libevm state", e);
    }
  }

  @Override
  public void close() {
    views.close();
    closeState();
    blockHashes.close();
    moduleBridge.close();
    db.close();
  }

  private Hash bucketHash() {
    return new Hash(Bytes32.leftPad(Bytes.ofUnsignedLong(logBucket)).toArrayUnsafe());
  }

  static List<Log> convert(EvmLog[] raw) {
    List<Log> out = new ArrayList<>(raw.length);
    for (EvmLog l : raw) {
      List<Bytes32> topics = new ArrayList<>(l.topics == null ? 0 : l.topics.length);
      if (l.topics != null) {
        for (Hash t : l.topics) {
          topics.add(Bytes32.wrap(t.toBytes()));
        }
      }
      out.add(
          new Log(
              new Address(Bytes.wrap(l.address.toBytes())),
              topics,
              l.data == null ? Bytes.EMPTY : Bytes.wrap(l.data)));
    }
    return out;
  }

  /** The block context of a message, with BLOCKHASH and the system modules wired in. */
  static EvmContext context(
      BlockEnv b, BigInteger gasPrice, BlockHashCallback blockHashes, ModuleBridge modules) {
    EvmContext ctx =
        new EvmContext(
            BigInteger.valueOf(b.chainId()),
            addr(b.coinbase()),
            BigInteger.valueOf(b.gasLimit()),
            gasPrice,
            BigInteger.valueOf(b.number()),
            BigInteger.valueOf(b.timeSeconds()),
            b.baseFee(),
            hash(b.prevRandao()),
            SHANGHAI);
    ctx.setBlockHashCallback(blockHashes);
    modules.attach(ctx);
    return ctx;
  }

  /** Adds a message's EIP-2930 access list to the state's warm set. */
  static void warm(StateDB state, List<AccessTuple> accessList) {
    for (AccessTuple t : accessList) {
      io.horizen.evm.Address a = addr(t.address());
      state.accessAccount(a);
      for (Bytes32 key : t.storageKeys()) {
        state.accessSlot(a, hash(key));
      }
    }
  }

  static MessageResult.Status status(InvocationResult r) {
    boolean failed = r.executionError != null && !r.executionError.isEmpty();
    return r.reverted
        ? MessageResult.Status.REVERTED
        : failed ? MessageResult.Status.FAILED : MessageResult.Status.SUCCESS;
  }

  static io.horizen.evm.Address addr(Address a) {
    return new io.horizen.evm.Address(a.bytes().toArrayUnsafe());
  }

  static Hash hash(Bytes32 h) {
    return new Hash(h.toArrayUnsafe());
  }
}
