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
import io.axivon.consensus.execution.block.EthBlock;
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
   * An accepted transaction's memo is its decoded form with the sender recovered.
   */
  @Override
  public TxCheck checkTx(Bytes raw) {
    return check(raw, null, chain.nextBaseFee(), new HeadAccounts(chain));
  }

  /**
   * As {@link #checkTx} on each in turn, for less: the base fee is computed once, each sender's
   * nonce and balance are read once for the batch (in the mempool a sender usually has many), and
   * the transactions are decoded with their senders first, those not cached on every core (gossiped
   * batches are new to this node), with one sender-cache lookup each.
   */
  @Override
  public List<TxCheck> checkTxs(List<Bytes> raws) {
    return checkAll(raws, new SenderCache.Decoded[raws.size()]);
  }

  /**
   * As {@link #checkTxs}, with each transaction taken from its memo (its decoded form from the
   * check that let it in) rather than from the sender cache: the mempool re-checks everything it
   * holds after each block, and those lookups (hashing and comparing each transaction's bytes in a
   * map of a hundred thousand) were most of the re-check. A transaction without one is decoded as
   * in {@link #checkTxs}.
   */
  @Override
  public List<TxCheck> recheckTxs(List<Bytes> raws, List<Object> memos) {
    SenderCache.Decoded[] known = new SenderCache.Decoded[raws.size()];
    if (memos.size() == raws.size()) {
      for (int i = 0; i < known.length; i++) {
        if (memos.get(i) instanceof SenderCache.Decoded d) {
          known[i] = d; // this check's own memo of these very bytes
        }
      }
    }
    return checkAll(raws, known);
  }

  /** Checks {@code raws} against one state; {@code known[i]}, where set, is raws[i] decoded. */
  private List<TxCheck> checkAll(List<Bytes> raws, SenderCache.Decoded[] known) {
    List<Bytes> rest = new ArrayList<>();
    int[] restAt = new int[raws.size()];
    for (int i = 0; i < known.length; i++) {
      if (known[i] == null) {
        restAt[rest.size()] = i;
        rest.add(raws.get(i));
      }
    }
    // null where it fails: the check decodes it again and says why
    List<SenderCache.Decoded> decoded = chain.senders().decodeAll(rest, chain.chainId());
    for (int k = 0; k < rest.size(); k++) {
      known[restAt[k]] = decoded.get(k);
    }
    BigInteger baseFee = chain.nextBaseFee();
    BatchReads reads = new BatchReads(new HeadAccounts(chain));
    List<TxCheck> out = new ArrayList<>(raws.size());
    for (int i = 0; i < known.length; i++) {
      out.add(check(raws.get(i), known[i], baseFee, reads));
    }
    return out;
  }

  /**
   * The rules of {@link #checkTx}, shared with {@link #checkTxs} so that the two agree.
   *
   * @param decoded {@code raw} decoded, or null to decode it here
   */
  private TxCheck check(Bytes raw, SenderCache.Decoded decoded, BigInteger baseFee, Reads reads) {
    SenderCache.Decoded d;
    Transaction tx;
    Address from;
    try {
      d = decoded != null ? decoded : chain.senders().decode(raw);
      tx = d.tx();
      from = chain.senders().sender(d, chain.chainId());
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
    return new TxCheck.Accepted(from.bytes(), tx.nonce(), next, tip, d);
  }

  /** A sender's committed nonce and balance, as a check reads them. */
  private interface Reads {
    long nonce(Address a);

    BigInteger balance(Address a);
  }

  /**
   * Nonces and balances of the committed head: those the executor knew when it committed it ({@link
   * EvmChain#headAccounts}, which for a chain of transfers holds every recent sender), the rest
   * from a view of the head's state. Any thread; no lock.
   */
  private static final class HeadAccounts implements Reads {
    private final EvmChain chain;
    private final CommittedAccounts known;

    HeadAccounts(EvmChain chain) {
      this.chain = chain;
      this.known = chain.headAccounts();
    }

    @Override
    public long nonce(Address a) {
      Long n = known.nonces().get(a);
      return n != null ? n : chain.readHead(view -> view.nonce(a));
    }

    @Override
    public BigInteger balance(Address a) {
      BigInteger b = known.balances().get(a);
      return b != null ? b : chain.readHead(view -> view.balance(a));
    }
  }

  /**
   * For a batch checked against one state: each sender read from the state once. The last sender is
   * tried first: the mempool passes each sender's transactions together, and comparing 20 bytes
   * costs less than a map lookup.
   */
  private static final class BatchReads implements Reads {
    private static final class Read {
      Long nonce;
      BigInteger balance;
    }

    private final HeadAccounts state;
    private final Map<Address, Read> reads = new HashMap<>();
    private Address last;
    private Read lastRead;

    BatchReads(HeadAccounts state) {
      this.state = state;
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
    EthBlock executed =
        chain.execute(
            h.height(),
            h.hash(),
            h.parentHash(),
            h.timeMillis(),
            chain.feeCollector().orElseGet(() -> coinbase.apply(h)),
            block.transactions(),
            h.proposerIndex(),
            block.evidence(),
            block.setChanges());
    // every transaction of the block was either included or skipped, each with its hash
    List<Bytes32> hashes = new ArrayList<>(block.transactions().size());
    hashes.addAll(executed.transactionHashes());
    chain.pendingExecution().ifPresent(e -> e.skipped().forEach(s -> hashes.add(s.hash())));
    return new FinalizeResult(executed.stateRoot(), chain.pendingValidatorUpdates(), hashes);
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
