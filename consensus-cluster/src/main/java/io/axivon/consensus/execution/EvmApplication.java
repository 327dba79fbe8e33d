package io.axivon.consensus.execution;

import io.axivon.common.InvalidInputException;
import io.axivon.common.crypto.secp256k1.Address;
import io.axivon.common.time.Clock;
import io.axivon.consensus.app.Application;
import io.axivon.consensus.app.FinalizeResult;
import io.axivon.consensus.app.ProposalBody;
import io.axivon.consensus.app.TxCheck;
import io.axivon.consensus.app.TxSource;
import io.axivon.consensus.cluster.SetChangeSource;
import io.axivon.consensus.execution.cluster.Chain0LightClientModule;
import io.axivon.consensus.execution.evm.CommittedAccounts;
import io.axivon.consensus.execution.tx.IntrinsicGas;
import io.axivon.consensus.execution.tx.SenderCache;
import io.axivon.consensus.execution.tx.Transaction;
import io.axivon.consensus.execution.tx.TxErrors;
import io.axivon.consensus.execution.tx.TxRules;
import io.axivon.consensus.types.Block;
import io.axivon.consensus.types.BlockHeader;
import io.axivon.consensus.types.SetChange;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import org.apache.tuweni.bytes.Bytes;
import org.apache.tuweni.bytes.Bytes32;

/**
 * The EVM chain as the consensus application. The app hash of a block is the state root after it
 * (Ethereum's stateRoot of that block), so the next header commits to the whole world state.
 * Transactions are Ethereum raw transactions; checkTx answers with go-ethereum's messages.
 */
public final class EvmApplication implements Application {
  private static final BigInteger MAX_LONG = BigInteger.valueOf(Long.MAX_VALUE);

  private final EvmChain chain;
  private final TxSource source;
  private final Clock clock;
  private final Function<BlockHeader, Address> coinbase;
  private final SetChangeSource setChanges;

  /**
   * @param coinbase the fee recipient of a block (the node maps the proposer to its fee address)
   */
  public EvmApplication(
      EvmChain chain, TxSource source, Clock clock, Function<BlockHeader, Address> coinbase) {
    this(chain, source, clock, coinbase, SetChangeSource.NONE);
  }

  /**
   * @param setChanges chain 0's validator-set changes to propose (chains i &gt; 0 of a cluster,
   *     which run the {@link Chain0LightClientModule})
   */
  public EvmApplication(
      EvmChain chain,
      TxSource source,
      Clock clock,
      Function<BlockHeader, Address> coinbase,
      SetChangeSource setChanges) {
    this.chain = chain;
    this.source = source;
    this.clock = clock;
    this.coinbase = coinbase;
    this.setChanges = setChanges;
  }

  public EvmChain chain() {
    return chain;
  }

  /**
   * The transactions of the last {@link #checkTxs} batch that decoded with a sender, by instance.
   * The mempool re-checks the same held instances after every block, and finding one by identity
   * costs far less than hashing and comparing its bytes in the sender cache (those lookups were
   * most of the re-check). Each batch replaces it, so it holds only what the mempool held last; its
   * maps are never changed once published.
   */
  private volatile Map<Bytes, SenderCache.Decoded> lastBatch = Map.of();

  /** From the chain's cache of decoded transactions: the mempool's hash is checkTx's. */
  @Override
  public Bytes32 txHash(Bytes raw) {
    return chain.senders().hash(raw);
  }

  /**
   * Against the committed head, without the executor ({@link HeadAccounts}): thread-safe, never
   * waiting while a block executes (under load that held the executor for most of a second, and
   * submissions and gossiped transactions queued behind it, so that the next proposer reaped a
   * fraction of what had been sent), and never answering from a block executed but not committed.
   */
  @Override
  public TxCheck checkTx(Bytes raw) {
    return check(
        raw, chain.nextBaseFee(), new StateReads(chain.senders(), new HeadAccounts(chain)));
  }

  /**
   * As {@link #checkTx} on each in turn, for less: the base fee is computed once, each sender's
   * nonce and balance are read once for the batch (in the mempool a sender usually has many), and
   * the transactions of the last batch are found by instance ({@link #lastBatch}); the others are
   * decoded with their senders first, those not cached on every core (gossiped batches are new to
   * this node), with one sender-cache lookup each.
   */
  @Override
  public List<TxCheck> checkTxs(List<Bytes> raws) {
    Map<Bytes, SenderCache.Decoded> known = lastBatch;
    List<Bytes> rest = new ArrayList<>();
    for (Bytes raw : raws) {
      if (!known.containsKey(raw)) {
        rest.add(raw);
      }
    }
    List<SenderCache.Decoded> decoded = chain.senders().decodeAll(rest, chain.chainId());
    Map<Bytes, SenderCache.Decoded> prepared = new IdentityHashMap<>(rest.size());
    for (int i = 0; i < rest.size(); i++) {
      if (decoded.get(i) != null) { // null: the check decodes it again and says why it fails
        prepared.put(rest.get(i), decoded.get(i));
      }
    }
    BigInteger baseFee = chain.nextBaseFee();
    BatchReads reads =
        new BatchReads(chain.senders(), new HeadAccounts(chain), known, prepared, raws.size());
    List<TxCheck> out = new ArrayList<>(raws.size());
    for (Bytes raw : raws) {
      out.add(check(raw, baseFee, reads));
    }
    lastBatch = reads.recovered;
    return out;
  }

  /** The rules of {@link #checkTx}, shared with {@link #checkTxs} so that the two agree. */
  private TxCheck check(Bytes raw, BigInteger baseFee, Reads reads) {
    Transaction tx;
    Address from;
    try {
      SenderCache.Decoded d = reads.decode(raw);
      tx = d.tx();
      from = chain.senders().sender(d, chain.chainId());
      reads.recovered(raw, d);
    } catch (InvalidInputException e) {
      return new TxCheck.Rejected(e.getMessage());
    }
    Optional<String> bad = TxRules.checkStateless(tx, chain.genesis().gasLimit());
    if (bad.isEmpty()) {
      bad = TxRules.checkBaseFee(tx, baseFee);
    }
    if (bad.isPresent()) {
      return new TxCheck.Rejected(bad.get());
    }
    long next = reads.nonce(from);
    if (tx.nonce() < next) {
      return new TxCheck.Rejected(
          TxErrors.NONCE_TOO_LOW + ": next nonce " + next + ", tx nonce " + tx.nonce());
    }
    // each against the committed balance alone, not less what the sender's other held ones spend
    BigInteger balance = reads.balance(from);
    BigInteger cost = TxRules.maxCost(tx);
    if (balance.compareTo(cost) < 0) {
      return new TxCheck.Rejected(
          TxErrors.INSUFFICIENT_FUNDS
              + ": balance "
              + balance
              + ", tx cost "
              + cost
              + ", overshot "
              + cost.subtract(balance));
    }
    long tip = tx.effectiveTip(baseFee).min(MAX_LONG).max(BigInteger.ZERO).longValue();
    return new TxCheck.Accepted(from.bytes(), tx.nonce(), next, tip);
  }

  /** Where a check finds a transaction decoded, and a sender's committed nonce and balance. */
  private interface Reads {
    /**
     * {@code raw} decoded: as {@link SenderCache#decode}.
     *
     * @throws InvalidInputException as {@link SenderCache#decode}
     */
    SenderCache.Decoded decode(Bytes raw);

    /** That {@code d}, {@code raw} decoded, has its sender recovered. */
    default void recovered(Bytes raw, SenderCache.Decoded d) {}

    long nonce(Address a);

    BigInteger balance(Address a);
  }

  /**
   * Nonces and balances of the committed head: those the executor knew when it committed it ({@link
   * EvmChain#headAccounts}, which for a chain of transfers holds every recent sender), the rest
   * from a view of the head's state. Any thread; no lock.
   */
  private static final class HeadAccounts {
    private final EvmChain chain;
    private final CommittedAccounts known;

    HeadAccounts(EvmChain chain) {
      this.chain = chain;
      this.known = chain.headAccounts();
    }

    long nonce(Address a) {
      Long n = known.nonces().get(a);
      return n != null ? n : chain.readHead(view -> view.nonce(a));
    }

    BigInteger balance(Address a) {
      BigInteger b = known.balances().get(a);
      return b != null ? b : chain.readHead(view -> view.balance(a));
    }
  }

  /** Straight from the sender cache and the head's accounts, for one check. */
  private record StateReads(SenderCache senders, HeadAccounts state) implements Reads {
    @Override
    public SenderCache.Decoded decode(Bytes raw) {
      return senders.decode(raw);
    }

    @Override
    public long nonce(Address a) {
      return state.nonce(a);
    }

    @Override
    public BigInteger balance(Address a) {
      return state.balance(a);
    }
  }

  /**
   * For a batch checked against one state: each sender read from the state once, and transactions
   * of the last batch found by instance. The last sender is tried first: the mempool passes each
   * sender's transactions together, and comparing 20 bytes costs less than a map lookup.
   */
  private static final class BatchReads implements Reads {
    private static final class Read {
      Long nonce;
      BigInteger balance;
    }

    private final SenderCache senders;
    private final HeadAccounts state;
    private final Map<Bytes, SenderCache.Decoded> known;
    private final Map<Bytes, SenderCache.Decoded> prepared;
    final Map<Bytes, SenderCache.Decoded> recovered;
    private final Map<Address, Read> reads = new HashMap<>();
    private Address last;
    private Read lastRead;

    BatchReads(
        SenderCache senders,
        HeadAccounts state,
        Map<Bytes, SenderCache.Decoded> known,
        Map<Bytes, SenderCache.Decoded> prepared,
        int size) {
      this.senders = senders;
      this.state = state;
      this.known = known;
      this.prepared = prepared;
      this.recovered = new IdentityHashMap<>(size);
    }

    @Override
    public SenderCache.Decoded decode(Bytes raw) {
      SenderCache.Decoded d = known.get(raw);
      if (d == null) {
        d = prepared.get(raw);
      }
      return d != null ? d : senders.decode(raw);
    }

    @Override
    public void recovered(Bytes raw, SenderCache.Decoded d) {
      recovered.put(raw, d);
    }

    private Read of(Address a) {
      if (!a.equals(last)) {
        last = a;
        lastRead = reads.computeIfAbsent(a, k -> new Read());
      }
      return lastRead;
    }

    @Override
    public long nonce(Address a) {
      Read r = of(a);
      if (r.nonce == null) {
        r.nonce = state.nonce(a);
      }
      return r.nonce;
    }

    @Override
    public BigInteger balance(Address a) {
      Read r = of(a);
      if (r.balance == null) {
        r.balance = state.balance(a);
      }
      return r.balance;
    }
  }

  @Override
  public ProposalBody prepareProposal(long height, long maxBytes) {
    List<SetChange> changes = pendingSetChanges();
    long gasLimit = chain.genesis().gasLimit();
    List<Bytes> out = new ArrayList<>();
    long gas = 0;
    long bytes = 0;
    for (SetChange c : changes) {
      bytes += c.encode().size();
    }
    for (Bytes raw : source.candidates(maxBytes)) {
      if (gasLimit - gas < IntrinsicGas.TX) {
        // full: no transaction the mempool holds asks for less (checkTx refuses below intrinsic
        // gas), and with a backlog the candidates run to tens of thousands, each decoded for
        // nothing
        break;
      }
      Transaction tx;
      try {
        tx = chain.senders().decode(raw).tx();
      } catch (InvalidInputException e) {
        continue;
      }
      if (gas + tx.gasLimit() > gasLimit || bytes + raw.size() > maxBytes) {
        continue; // a smaller one further down may still fit
      }
      out.add(raw);
      gas += tx.gasLimit();
      bytes += raw.size();
    }
    return new ProposalBody(
        out, List.of(), changes, Math.max(clock.millis(), chain.head().timeMillis() + 1));
  }

  /** Chain 0's set changes this chain's light client does not follow yet. */
  private List<SetChange> pendingSetChanges() {
    return chain
        .modules()
        .at(Chain0LightClientModule.ADDRESS)
        .map(
            m ->
                setChanges.after(
                    ((Chain0LightClientModule) m)
                        .trusted(chain.readModule(Chain0LightClientModule.ADDRESS))
                        .fromHeight()))
        .orElse(List.of());
  }

  @Override
  public boolean processProposal(Block block) {
    if (block.header().timeMillis() <= chain.head().timeMillis()) {
      return false;
    }
    // senders on every core, each transaction looked up once (usually all cached by checkTx)
    List<SenderCache.Decoded> decoded =
        chain.senders().decodeAll(block.transactions(), chain.chainId());
    long gas = 0;
    for (SenderCache.Decoded d : decoded) {
      if (d == null) {
        return false; // does not decode, or has no valid sender
      }
      gas += d.tx().gasLimit();
      if (gas > chain.genesis().gasLimit()) {
        return false;
      }
    }
    return true;
  }

  @Override
  public FinalizeResult finalizeBlock(Block block) {
    BlockHeader h = block.header();
    if (h.height() <= chain.head().number()) { // committed before: not run again
      Bytes32 root =
          chain.execute(h.height(), h.hash(), h.parentHash(), 0, null, List.of()).stateRoot();
      return new FinalizeResult(root, chain.validatorUpdatesOf(h.height()));
    }
    Bytes32 stateRoot =
        chain
            .execute(
                h.height(),
                h.hash(),
                h.parentHash(),
                h.timeMillis(),
                chain.feeCollector().orElseGet(() -> coinbase.apply(h)),
                block.transactions(),
                h.proposerIndex(),
                block.evidence(),
                block.setChanges())
            .stateRoot();
    return new FinalizeResult(stateRoot, chain.pendingValidatorUpdates());
  }

  @Override
  public void commit() {
    chain.commit();
  }

  /** The chain can go back to its head's state: optimistic execution may run proposals. */
  @Override
  public boolean canDiscardBlock() {
    return true;
  }

  @Override
  public void discardBlock() {
    chain.discardPending();
  }

  /** The chain's committed head: the node replays only blocks above it after a restart. */
  @Override
  public long committedHeight() {
    return chain.head().number();
  }
}
