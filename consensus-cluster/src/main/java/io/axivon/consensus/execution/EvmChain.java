package io.axivon.consensus.execution;

import io.axivon.common.crypto.Hashes;
import io.axivon.common.crypto.secp256k1.Address;
import io.axivon.consensus.app.ValidatorUpdate;
import io.axivon.consensus.execution.block.BlockExecutor;
import io.axivon.consensus.execution.block.Bloom;
import io.axivon.consensus.execution.block.ChainIndex;
import io.axivon.consensus.execution.block.EthBlock;
import io.axivon.consensus.execution.block.ExecutedBlock;
import io.axivon.consensus.execution.block.Receipt;
import io.axivon.consensus.execution.block.TrieRoots;
import io.axivon.consensus.execution.evm.BlockEnv;
import io.axivon.consensus.execution.evm.CommittedAccounts;
import io.axivon.consensus.execution.evm.Executor;
import io.axivon.consensus.execution.evm.LibEvmExecutor;
import io.axivon.consensus.execution.genesis.Genesis;
import io.axivon.consensus.execution.system.EndBlock;
import io.axivon.consensus.execution.system.ExecutorModuleState;
import io.axivon.consensus.execution.system.ModuleCall;
import io.axivon.consensus.execution.system.SystemModule;
import io.axivon.consensus.execution.system.SystemModules;
import io.axivon.consensus.execution.tx.SenderCache;
import io.axivon.consensus.types.Evidence;
import io.axivon.consensus.types.SetChange;
import java.math.BigInteger;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.tuweni.bytes.Bytes;
import org.apache.tuweni.bytes.Bytes32;

/**
 * An EVM chain's execution side: the world state (libevm, {@code dir/state}), the chain index
 * (LMDB, {@code dir/index}) and the head. {@link #execute} runs the next block and writes its state
 * (reachable only by its new root); {@link #commit} indexes it and moves the head, in one LMDB
 * transaction. After a crash between the two, the index still names the previous root and the block
 * runs again; after a restart the state opens at the head's root and nothing is recomputed.
 */
public final class EvmChain implements AutoCloseable {
  /**
   * How many recovered senders to remember: 10 s of traffic at 5,000 transactions/s (and a quarter
   * as many decoded transactions, 2.5 s), from admission past a block's execution even in a
   * backlog. A miss costs a decode or a recovery; a bigger cache costs every young collection,
   * which copies the entries still alive: at 200,000 about 100 MB of survivors made G1's pauses
   * 135–190 ms at 5,000/s, against 50–75 ms now.
   */
  public static final int SENDER_CACHE_SIZE = 50_000;

  private final Genesis genesis;
  private final Executor executor;
  private final ChainIndex index;
  private final SenderCache senders;
  private final BlockExecutor blockExecutor;
  private final SystemModules modules;
  private volatile EthBlock head; // read by RPC threads without the chain's lock
  private volatile CommittedAccounts headAccounts; // of head's state, published before head
  private Pending pending;

  private record Pending(
      EthBlock block,
      ExecutedBlock executed,
      List<ValidatorUpdate> validatorUpdates,
      CommittedAccounts accounts) {}

  private EvmChain(Genesis genesis, Path dir, SystemModules modules, SenderCache senders) {
    this.genesis = genesis;
    this.senders = senders;
    this.modules = modules;
    this.index = ChainIndex.open(dir.resolve("index"));
    Optional<EthBlock> stored = index.head().flatMap(index::block);
    Bytes32 root = stored.map(EthBlock::stateRoot).orElse(LibEvmExecutor.EMPTY_ROOT);
    this.executor =
        LibEvmExecutor.open(
            dir.resolve("state"),
            root,
            n -> index.block(n).map(EthBlock::hash).orElse(null),
            modules);
    this.blockExecutor = new BlockExecutor(executor, genesis.chainId(), senders);
    this.head = stored.orElseGet(this::writeGenesis);
    this.headAccounts = CommittedAccounts.none(head.stateRoot());
  }

  /** Opens the chain in {@code dir}, writing block 0 from {@code genesis} on first use. */
  public static EvmChain open(Path dir, Genesis genesis) {
    return open(dir, genesis, SystemModules.none());
  }

  /**
   * Opens the chain with system modules: calls to their addresses run in Java, their genesis state
   * is part of block 0, and their block hooks run after each block's transactions.
   */
  public static EvmChain open(Path dir, Genesis genesis, SystemModules modules) {
    return open(dir, genesis, modules, new SenderCache(SENDER_CACHE_SIZE));
  }

  /**
   * As {@link #open(Path, Genesis, SystemModules)}, with a sender cache that other chains of this
   * process may share (validators of an in-process devnet: each signature is recovered once).
   */
  public static EvmChain open(
      Path dir, Genesis genesis, SystemModules modules, SenderCache senders) {
    return new EvmChain(genesis, dir, modules, senders);
  }

  private EthBlock writeGenesis() {
    for (Map.Entry<Address, BigInteger> e : genesis.alloc().entrySet()) {
      executor.addBalance(e.getKey(), e.getValue());
    }
    for (SystemModule m : modules.all()) {
      executor.setCode(m.address(), SystemModules.MARKER_CODE);
      executor.setNonce(m.address(), 1);
      ModuleCall call = ModuleCall.hook(new ExecutorModuleState(executor), m.address(), 0);
      m.genesis(call);
      call.flush();
    }
    Bytes32 root = executor.commit();
    EthBlock zero =
        new EthBlock(
            0,
            genesis.hash(),
            Bytes32.ZERO,
            0,
            new Address(Bytes.wrap(new byte[Address.SIZE])),
            root,
            TrieRoots.transactionsRoot(List.of()),
            TrieRoots.receiptsRoot(List.of()),
            Bloom.EMPTY,
            genesis.gasLimit(),
            0,
            genesis.baseFee().initial(),
            Bytes32.ZERO,
            List.of());
    index.put(zero, List.of(), List.of());
    return zero;
  }

  public Genesis genesis() {
    return genesis;
  }

  public long chainId() {
    return genesis.chainId();
  }

  /** The last committed block (block 0 before any). */
  public EthBlock head() {
    return head;
  }

  /** The state: committed, except between {@link #execute} and {@link #commit}. */
  public Executor state() {
    return executor;
  }

  /**
   * Nonces and balances of the head's state that are known without the executor: those it had
   * cached when it committed the head (for a chain of plain transfers, every recent sender). Any
   * thread; an account not there is read with {@link #readHead}.
   */
  public CommittedAccounts headAccounts() {
    return headAccounts;
  }

  public ChainIndex index() {
    return index;
  }

  /**
   * Runs {@code body} on a read-only view of the head's committed state, from any thread and
   * without the executor's lock: it never waits for a block's execution (nor for an optimistically
   * executed proposal's decision) and never sees a block that is not committed.
   */
  public <T> T readHead(java.util.function.Function<Executor, T> body) {
    return readAt(head, body);
  }

  /** As {@link #readHead}, with a read-only call context of system module {@code module}. */
  public <T> T readModuleAtHead(Address module, java.util.function.Function<ModuleCall, T> body) {
    EthBlock h = head;
    return readAt(
        h,
        view ->
            body.apply(
                new ModuleCall(
                    new ExecutorModuleState(view), module, h.number(), Long.MAX_VALUE, true)));
  }

  /**
   * As {@link #readHead}, on committed block {@code b}'s state (the head or an earlier block):
   * views of the head are kept for reuse, one of a past block is opened for the call.
   */
  public <T> T readAt(EthBlock b, java.util.function.Function<Executor, T> body) {
    if (!(executor instanceof LibEvmExecutor lib)) {
      throw new IllegalStateException("state views need the libevm executor");
    }
    return lib.views().at(b.stateRoot(), b.number() == head.number() ? b.number() : -1, body);
  }

  public SystemModules modules() {
    return modules;
  }

  /**
   * The coinbase of every block when a module collects fees (staking: priority fees fund the
   * rewards); empty when the proposer's own fee address is used.
   */
  public Optional<Address> feeCollector() {
    return modules.feeCollector().map(SystemModule::address);
  }

  public SenderCache senders() {
    return senders;
  }

  /** The base fee of the next block: the initial one for block 1, then EIP-1559's update. */
  public BigInteger nextBaseFee() {
    EthBlock h = head;
    BaseFeeOf c = nextBaseFee;
    if (c == null || c.head != h) { // checkTx asks for every transaction: computed once per head
      c =
          new BaseFeeOf(
              h,
              h.number() == 0
                  ? genesis.baseFee().initial()
                  : genesis.baseFee().next(h.baseFeePerGas(), h.gasUsed(), h.gasLimit()));
      nextBaseFee = c;
    }
    return c.fee;
  }

  private record BaseFeeOf(EthBlock head, BigInteger fee) {}

  private volatile BaseFeeOf nextBaseFee;

  /** PREVRANDAO of a block: derived from its parent's hash (there is no beacon randomness here). */
  public static Bytes32 prevRandao(Bytes32 parentHash) {
    return Hashes.keccak256(parentHash);
  }

  /**
   * Executes block {@code number} (the head's successor) and writes its state; returns its Ethereum
   * view. A block already committed is not run again: its stored view comes back.
   *
   * @throws IllegalStateException if {@code number} is not the next block, a block is pending, or a
   *     committed block of that number has another hash
   */
  public EthBlock execute(
      long number,
      Bytes32 hash,
      Bytes32 parentHash,
      long timeMillis,
      Address coinbase,
      List<Bytes> txs) {
    return execute(number, hash, parentHash, timeMillis, coinbase, txs, -1, List.of());
  }

  /**
   * As {@link #execute(long, Bytes32, Bytes32, long, Address, List)}, then runs the system modules'
   * block hooks with the proposer's index and the block's evidence; their validator updates are
   * {@link #pendingValidatorUpdates()} until commit.
   */
  public EthBlock execute(
      long number,
      Bytes32 hash,
      Bytes32 parentHash,
      long timeMillis,
      Address coinbase,
      List<Bytes> txs,
      int proposerIndex,
      List<Evidence> evidence) {
    return execute(
        number, hash, parentHash, timeMillis, coinbase, txs, proposerIndex, evidence, List.of());
  }

  /** As above, with the chain-0 validator-set changes the block carries (chains i &gt; 0). */
  public EthBlock execute(
      long number,
      Bytes32 hash,
      Bytes32 parentHash,
      long timeMillis,
      Address coinbase,
      List<Bytes> txs,
      int proposerIndex,
      List<Evidence> evidence,
      List<SetChange> setChanges) {
    if (number <= head.number()) {
      EthBlock done = index.block(number).orElseThrow();
      if (!done.hash().equals(hash)) {
        throw new IllegalStateException("block " + number + " was committed with another hash");
      }
      return done;
    }
    if (number != head.number() + 1 || pending != null) {
      throw new IllegalStateException(
          "next block is " + (head.number() + 1) + (pending != null ? " (one pending)" : ""));
    }
    BigInteger baseFee = nextBaseFee();
    BlockEnv env =
        new BlockEnv(
            genesis.chainId(),
            number,
            timeMillis / 1000,
            coinbase,
            genesis.gasLimit(),
            baseFee,
            prevRandao(parentHash));
    ExecutedBlock executed = blockExecutor.execute(env, txs);
    List<ValidatorUpdate> updates = new ArrayList<>();
    if (!modules.isEmpty()) {
      BigInteger fees = BigInteger.ZERO;
      for (Receipt r : executed.receipts()) {
        BigInteger tip = r.effectiveGasPrice().subtract(baseFee);
        fees = fees.add(tip.multiply(BigInteger.valueOf(r.gasUsed())));
      }
      EndBlock end =
          new EndBlock(number, proposerIndex, coinbase, fees, evidence, hash, setChanges);
      for (SystemModule m : modules.all()) {
        ModuleCall call = ModuleCall.hook(new ExecutorModuleState(executor), m.address(), number);
        updates.addAll(m.endBlock(call, end));
        call.flush(); // block-level changes have no transaction, hence no receipt for their logs
      }
    }
    Bytes32 stateRoot = executor.commit();
    EthBlock block =
        new EthBlock(
            number,
            hash,
            parentHash,
            timeMillis,
            coinbase,
            stateRoot,
            executed.transactionsRoot(),
            executed.receiptsRoot(),
            executed.logsBloom(),
            genesis.gasLimit(),
            executed.gasUsed(),
            baseFee,
            env.prevRandao(),
            executed.receipts().stream().map(Receipt::txHash).toList());
    pending = new Pending(block, executed, List.copyOf(updates), executor.committedAccounts());
    return block;
  }

  /** The validator updates of the block run by the last {@link #execute}, until commit. */
  public List<ValidatorUpdate> pendingValidatorUpdates() {
    return pending == null ? List.of() : pending.validatorUpdates;
  }

  /**
   * The validator updates block {@code number} produced, recomputed by the modules from the current
   * state: for a block committed before (which is not run again).
   */
  public List<ValidatorUpdate> validatorUpdatesOf(long number) {
    List<ValidatorUpdate> out = new ArrayList<>();
    for (SystemModule m : modules.all()) {
      ModuleCall call =
          new ModuleCall(
              new ExecutorModuleState(executor), m.address(), number, Long.MAX_VALUE, true);
      out.addAll(m.validatorUpdatesOf(call, number));
    }
    return out;
  }

  /** A read-only view of a system module's state at the committed head. */
  public ModuleCall readModule(Address module) {
    return new ModuleCall(
        new ExecutorModuleState(executor), module, head.number(), Long.MAX_VALUE, true);
  }

  /** The block run by the last {@link #execute} and not committed yet, with its skipped ones. */
  public Optional<ExecutedBlock> pendingExecution() {
    return Optional.ofNullable(pending).map(Pending::executed);
  }

  /** Indexes the pending block and makes it the head (no-op when none is pending). */
  public void commit() {
    if (pending == null) {
      return;
    }
    index.put(pending.block, pending.executed.included(), pending.executed.receipts());
    headAccounts = pending.accounts;
    head = pending.block;
    pending = null;
  }

  /**
   * Drops the block run by the last {@link #execute} (or whatever an execution that failed part-way
   * left behind) without committing it: the state is the head's again. Its trie nodes stay on disk
   * unreachable, as nothing is ever pruned.
   */
  public void discardPending() {
    executor.reset(head.stateRoot());
    pending = null;
  }

  @Override
  public void close() {
    executor.close();
    index.close();
  }
}
