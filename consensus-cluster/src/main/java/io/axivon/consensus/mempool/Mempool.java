package io.axivon.consensus.mempool;

import io.axivon.common.InvalidInputException;
import io.axivon.common.crypto.Hashes;
import io.axivon.consensus.app.Application;
import io.axivon.consensus.app.TxCheck;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Objects;
import java.util.Optional;
import java.util.PriorityQueue;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.function.Supplier;
import org.apache.tuweni.bytes.Bytes;
import org.apache.tuweni.bytes.Bytes32;

/**
 * Transactions waiting for a block, ordered like go-ethereum's txpool without understanding them:
 * the application's checker says each one's sender, nonce, the sender's committed next nonce and
 * its priority ({@link TxCheck.Accepted}).
 *
 * <ul>
 *   <li>De-duplicated by Keccak-256 of the bytes.
 *   <li>Per sender, by nonce: the run from the committed next nonce without a gap is executable;
 *       later ones wait in a future queue of at most {@code maxQueuedPerSender}.
 *   <li>The same sender and nonce replaces the held one only when paying at least {@code
 *       priceBumpPercent} more.
 *   <li>At {@code maxTxs} or {@code maxBytes} the cheapest sender tail (highest nonce, so no gap
 *       opens) is evicted, cheapest first; a transaction that would itself be the first evicted is
 *       refused ("txpool is full").
 *   <li>{@link #reap} takes executable transactions by priority across senders, each sender's in
 *       nonce order (go-ethereum's price-and-nonce ordering).
 * </ul>
 *
 * <p>Thread-safe: one lock; the checker runs outside it in {@link #add}, and the re-checker inside
 * it in {@link #update}, once for everything held, given each transaction's memo from the checker
 * ({@link TxCheck.Accepted#memo}: an application's decoded form of it, which the mempool keeps
 * beside the bytes).
 */
public final class Mempool {
  public static final String OVERSIZED = "oversized data";
  public static final String UNDERPRICED = "replacement transaction underpriced";
  public static final String FULL = "txpool is full";
  public static final String QUEUE_FULL = "sender's future queue is full";

  private static final class Entry {
    final Bytes32 hash;
    final Bytes tx;
    final Bytes sender;
    final long nonce;
    final long priority;
    final long seq; // arrival order: ties go to the earlier one
    final Object memo; // the checker's, from the verdict that let it in or its last re-check

    Entry(Bytes32 hash, Bytes tx, Bytes sender, long nonce, long priority, long seq, Object memo) {
      this.hash = hash;
      this.tx = tx;
      this.sender = sender;
      this.nonce = nonce;
      this.priority = priority;
      this.seq = seq;
      this.memo = memo;
    }

    Entry(Bytes32 hash, Bytes tx, TxCheck.Accepted a, long seq) {
      this(hash, tx, a.sender(), a.nonce(), a.priority(), seq, a.memo());
    }

    int size() {
      return tx.size();
    }
  }

  /**
   * One sender's held transactions by nonce. The length of the run from {@code nextNonce} without a
   * gap is kept up to date on each change rather than counted by walking the map on each add (a
   * sender holds dozens under load); {@code txs} and {@code nextNonce} change only through the
   * methods here so that it stays right.
   */
  private static final class Account {
    private long nextNonce;
    final TreeMap<Long, Entry> txs = new TreeMap<>();
    private int run = -1; // how many run from nextNonce without a gap; -1: to be counted

    Account(long nextNonce) {
      this.nextNonce = nextNonce;
    }

    long nextNonce() {
      return nextNonce;
    }

    void nextNonce(long next) {
      if (next != nextNonce) {
        nextNonce = next;
        run = -1;
      }
    }

    void put(Entry e) {
      txs.put(e.nonce, e);
      if (run >= 0 && e.nonce == nextNonce + run) { // it closes the gap after the run
        run++;
        while (txs.containsKey(nextNonce + run)) {
          run++;
        }
      }
    }

    void remove(long nonce) {
      if (txs.remove(nonce) != null && run >= 0 && nonce >= nextNonce && nonce < nextNonce + run) {
        run = (int) (nonce - nextNonce); // a gap opens there
      }
    }

    /** How many transactions run from {@code nextNonce} without a gap. */
    int executable() {
      if (run < 0) {
        run = countRun();
      }
      return run;
    }

    /** The run counted afresh. */
    int countRun() {
      int n = 0;
      long want = nextNonce;
      for (Long nonce : txs.tailMap(nextNonce, true).keySet()) {
        if (nonce != want) {
          break;
        }
        n++;
        want++;
      }
      return n;
    }

    boolean isExecutable(long nonce) {
      return nonce >= nextNonce && nonce - nextNonce < executable();
    }
  }

  private final MempoolConfig config;
  private final Function<Bytes, TxCheck> checker;
  private final Function<List<Bytes>, List<TxCheck>> batchChecker;
  private final Rechecker rechecker;
  private final Function<Bytes, Bytes32> hasher;
  private final Map<Bytes32, Entry> byHash = new HashMap<>();
  private final Map<Bytes, Account> accounts = new HashMap<>();
  private long bytes;
  private long seq;

  public Mempool(MempoolConfig config, Function<Bytes, TxCheck> checker) {
    this(config, checker, Hashes::keccak256);
  }

  /**
   * @param hasher Keccak-256 of a transaction's bytes, which it must always answer (such as {@link
   *     io.axivon.consensus.app.Application#txHash}, which may answer from the application's cache)
   */
  public Mempool(
      MempoolConfig config, Function<Bytes, TxCheck> checker, Function<Bytes, Bytes32> hasher) {
    this(config, checker, txs -> txs.stream().map(checker).toList(), hasher);
  }

  /**
   * The re-check after a block: the verdicts on {@code txs} in order, each given with the memo of
   * its last accepted verdict ({@link TxCheck.Accepted#memo}), such as {@link
   * Application#recheckTxs}.
   */
  @FunctionalInterface
  public interface Rechecker {
    List<TxCheck> recheck(List<Bytes> txs, List<Object> memos);
  }

  /**
   * @param checker the verdict on one transaction, for {@link #add}
   * @param batchChecker the verdicts of {@code checker} on each of a list in turn, in order, for
   *     {@link #addAll} and the re-check of everything held after a block (such as {@link
   *     Application#checkTxs}, which costs less per transaction)
   * @param hasher as above
   */
  public Mempool(
      MempoolConfig config,
      Function<Bytes, TxCheck> checker,
      Function<List<Bytes>, List<TxCheck>> batchChecker,
      Function<Bytes, Bytes32> hasher) {
    this(config, checker, batchChecker, (txs, memos) -> batchChecker.apply(txs), hasher);
  }

  /**
   * As above, with the re-check after each block given each held transaction's memo ({@code
   * app::recheckTxs}), so that the application need not find its decoded form again.
   */
  public Mempool(
      MempoolConfig config,
      Function<Bytes, TxCheck> checker,
      Function<List<Bytes>, List<TxCheck>> batchChecker,
      Rechecker rechecker,
      Function<Bytes, Bytes32> hasher) {
    this.config = Objects.requireNonNull(config, "config");
    this.checker = Objects.requireNonNull(checker, "checker");
    this.batchChecker = Objects.requireNonNull(batchChecker, "batchChecker");
    this.rechecker = Objects.requireNonNull(rechecker, "rechecker");
    this.hasher = Objects.requireNonNull(hasher, "hasher");
  }

  /**
   * The usual wiring: {@code app}'s checks, batch checks, re-checks with memos and hashes. A
   * supplier, as the application is usually built after its mempool (its proposals reap from it).
   */
  public static Mempool of(MempoolConfig config, Supplier<Application> app) {
    return new Mempool(
        config,
        tx -> app.get().checkTx(tx),
        txs -> app.get().checkTxs(txs),
        (txs, memos) -> app.get().recheckTxs(txs, memos),
        tx -> app.get().txHash(tx));
  }

  public AddResult add(Bytes tx) {
    if (tx.size() > config.maxTxBytes()) {
      return new AddResult.Rejected(OVERSIZED);
    }
    Bytes32 hash = hasher.apply(tx);
    synchronized (this) {
      if (byHash.containsKey(hash)) {
        return new AddResult.Duplicate(hash);
      }
    }
    TxCheck check;
    try {
      check = checker.apply(tx);
    } catch (InvalidInputException e) {
      return new AddResult.Rejected(e.getMessage());
    }
    if (check instanceof TxCheck.Rejected r) {
      return new AddResult.Rejected(r.reason());
    }
    TxCheck.Accepted a = (TxCheck.Accepted) check;
    synchronized (this) {
      if (byHash.containsKey(hash)) {
        return new AddResult.Duplicate(hash);
      }
      return insert(new Entry(hash, tx, a, seq++), a.nextNonce());
    }
  }

  /**
   * As {@link #add} on each of {@code txs} in turn, with the same results, for a batch (a gossip
   * message): the ones not held are checked with one call of the batch checker (the application
   * prepares them together and takes its lock once) and inserted in order. Where the batch checker
   * fails, or a transaction held when the batch came in is gone by its turn, it is added alone.
   */
  public List<AddResult> addAll(List<Bytes> txs) {
    AddResult[] out = new AddResult[txs.size()];
    Bytes32[] hashes = new Bytes32[txs.size()];
    for (int i = 0; i < hashes.length; i++) {
      Bytes tx = txs.get(i);
      if (tx.size() > config.maxTxBytes()) {
        out[i] = new AddResult.Rejected(OVERSIZED);
      } else {
        hashes[i] = hasher.apply(tx);
      }
    }
    List<Integer> unheld = new ArrayList<>();
    synchronized (this) {
      for (int i = 0; i < hashes.length; i++) {
        if (hashes[i] != null && !byHash.containsKey(hashes[i])) {
          unheld.add(i);
        }
      }
    }
    TxCheck[] verdicts = new TxCheck[txs.size()]; // null: not checked with the batch
    if (!unheld.isEmpty()) {
      List<Bytes> toCheck = new ArrayList<>(unheld.size());
      for (int i : unheld) {
        toCheck.add(txs.get(i));
      }
      List<TxCheck> checks;
      try {
        checks = batchChecker.apply(toCheck);
      } catch (RuntimeException e) {
        checks = null; // each is added alone below
      }
      if (checks != null && checks.size() == unheld.size()) {
        for (int k = 0; k < unheld.size(); k++) {
          verdicts[unheld.get(k)] = checks.get(k);
        }
      }
    }
    // In order, as one-by-one adds would: an insert may replace or evict a transaction that was
    // held when the batch came in, so a later copy of it is judged by the pool as it is then.
    for (int i = 0; i < hashes.length; i++) {
      if (hashes[i] == null) {
        continue; // oversized: answered above
      }
      if (verdicts[i] == null) {
        out[i] = add(txs.get(i)); // held when the batch came in, or the batch check failed
        continue;
      }
      synchronized (this) {
        if (byHash.containsKey(hashes[i])) {
          out[i] = new AddResult.Duplicate(hashes[i]); // e.g. twice in the batch
        } else if (verdicts[i] instanceof TxCheck.Accepted a) {
          out[i] = insert(new Entry(hashes[i], txs.get(i), a, seq++), a.nextNonce());
        } else {
          out[i] = new AddResult.Rejected(((TxCheck.Rejected) verdicts[i]).reason());
        }
      }
    }
    return Arrays.asList(out);
  }

  private AddResult insert(Entry e, long nextNonce) {
    Account acct = accounts.get(e.sender);
    if (acct != null && acct.nextNonce() != nextNonce) {
      // the committed state moved on since this sender's last check: drop what it made stale
      acct.nextNonce(nextNonce);
      for (Entry stale : List.copyOf(acct.txs.headMap(nextNonce, false).values())) {
        remove(stale);
      }
    }
    Account view = acct != null ? acct : new Account(nextNonce);
    try {
      Entry old = view.txs.get(e.nonce);
      if (old != null && !bumped(old.priority, e.priority)) {
        return new AddResult.Rejected(UNDERPRICED);
      }
      if (old == null) {
        view.put(e); // tentatively, to count the queue
        int queued = view.txs.size() - view.executable();
        boolean executable = view.isExecutable(e.nonce);
        view.remove(e.nonce);
        if (!executable && queued > config.maxQueuedPerSender()) {
          return new AddResult.Rejected(QUEUE_FULL);
        }
      }
      List<Entry> victims = planEvictions(e, old, view);
      if (victims == null) {
        return new AddResult.Rejected(FULL);
      }
      if (old != null) {
        remove(old);
      }
      for (Entry v : victims) {
        remove(v);
      }
      Account target = accounts.computeIfAbsent(e.sender, s -> view);
      target.put(e);
      byHash.put(e.hash, e);
      bytes += e.size();
      return new AddResult.Added(e.hash, target.isExecutable(e.nonce));
    } finally {
      if (acct != null && acct.txs.isEmpty()) {
        accounts.remove(e.sender);
      }
    }
  }

  /** Whether {@code priority} pays the bump over {@code old}: >= old * (100 + bump) / 100. */
  private boolean bumped(long old, long priority) {
    BigInteger need =
        BigInteger.valueOf(old)
            .multiply(BigInteger.valueOf(100L + config.priceBumpPercent()))
            .divide(BigInteger.valueOf(100));
    return BigInteger.valueOf(priority).compareTo(need) >= 0;
  }

  /**
   * The entries to evict so that {@code e} fits (replacing {@code old}, if any), or null when
   * {@code e} itself would go first. Candidates are each sender's current tail; when a tail goes,
   * the sender's next lower nonce becomes its candidate.
   */
  private List<Entry> planEvictions(Entry e, Entry old, Account view) {
    long needCount = byHash.size() + 1L - (old != null ? 1 : 0);
    long needBytes = bytes + e.size() - (old != null ? old.size() : 0);
    if (needCount <= config.maxTxs() && needBytes <= config.maxBytes()) {
      return List.of();
    }
    record Cursor(Entry head, Iterator<Entry> rest) {}
    Comparator<Cursor> cheapest =
        Comparator.<Cursor>comparingLong(c -> c.head.priority)
            .thenComparing(c -> c.head != e) // the newcomer loses ties
            .thenComparing(c -> -c.head.seq);
    PriorityQueue<Cursor> tails = new PriorityQueue<>(cheapest);
    for (Map.Entry<Bytes, Account> a : accounts.entrySet()) {
      if (a.getKey().equals(e.sender)) {
        continue;
      }
      Iterator<Entry> it = a.getValue().txs.descendingMap().values().iterator();
      tails.add(new Cursor(it.next(), it));
    }
    NavigableMap<Long, Entry> own = new TreeMap<>(view.txs);
    own.put(e.nonce, e); // replaces old, if any
    Iterator<Entry> ownIt = own.descendingMap().values().iterator();
    tails.add(new Cursor(ownIt.next(), ownIt));
    List<Entry> victims = new ArrayList<>();
    while (needCount > config.maxTxs() || needBytes > config.maxBytes()) {
      Cursor c = tails.poll();
      if (c == null || c.head == e) {
        return null;
      }
      victims.add(c.head);
      needCount--;
      needBytes -= c.head.size();
      if (c.rest.hasNext()) {
        tails.add(new Cursor(c.rest.next(), c.rest));
      }
    }
    return victims;
  }

  private void remove(Entry e) {
    byHash.remove(e.hash);
    bytes -= e.size();
    Account a = accounts.get(e.sender);
    if (a != null && a.txs.get(e.nonce) == e) {
      a.remove(e.nonce);
      if (a.txs.isEmpty()) {
        accounts.remove(e.sender);
      }
    }
  }

  /**
   * Executable transactions for a block: the highest-priority sender head first (ties to the
   * earlier arrival), each sender's in nonce order. A sender whose next transaction does not fit in
   * the remaining bytes is passed over for the rest of this reap (its later nonces cannot go
   * first); others may still fill the space.
   */
  public synchronized List<Bytes> reap(long maxBytes, int maxTxs) {
    record Head(Entry entry, Account account) {}
    PriorityQueue<Head> heads =
        new PriorityQueue<>(
            Comparator.<Head>comparingLong(h -> -h.entry.priority)
                .thenComparingLong(h -> h.entry.seq));
    for (Account a : accounts.values()) {
      Entry first = a.txs.get(a.nextNonce());
      if (first != null) {
        heads.add(new Head(first, a));
      }
    }
    List<Bytes> out = new ArrayList<>();
    long used = 0;
    while (out.size() < maxTxs && !heads.isEmpty()) {
      Head h = heads.poll();
      if (used + h.entry.size() > maxBytes) {
        continue;
      }
      out.add(h.entry.tx);
      used += h.entry.size();
      Entry next = h.account.txs.get(h.entry.nonce + 1);
      if (next != null) {
        heads.add(new Head(next, h.account));
      }
    }
    return out;
  }

  /**
   * After a block: drops the committed transactions, re-checks every other one against the new
   * state in one call of the batch checker (dropping the rejected, re-reading nonces and
   * priorities, which promotes queued ones that became executable) and trims future queues to their
   * bound.
   *
   * <p>In place: a transaction's sender and nonce are facts of its bytes, so the checker can only
   * change a held one's priority, its sender's next nonce, or reject it; the pool's structure is
   * kept and only what changed is touched. A checker that answers another sender or nonce (none
   * should) gets its transaction re-inserted, the higher priority winning a clash.
   */
  public synchronized void update(List<Bytes> committed) {
    update(committed, List.of());
  }

  /**
   * As {@link #update(List)}, given the committed transactions' hashes as the application found
   * them while executing the block ({@link io.axivon.consensus.app.FinalizeResult#txHashes}, in any
   * order): they are dropped by those rather than hashed again. Hashes of another count than the
   * transactions are ignored, and the transactions hashed here.
   */
  public synchronized void update(List<Bytes> committed, List<Bytes32> committedHashes) {
    removeCommitted(committed, committedHashes);
    record Moved(Entry entry, long nextNonce) {}
    List<Moved> moved = new ArrayList<>();
    List<Entry> held = new ArrayList<>(byHash.size());
    List<Account> owners = new ArrayList<>(byHash.size());
    for (Account acct : accounts.values()) {
      for (Entry e : acct.txs.values()) {
        held.add(e);
        owners.add(acct);
      }
    }
    List<TxCheck> verdicts = recheckAll(held);
    for (int i = 0; i < held.size(); i++) {
      Entry e = held.get(i);
      Account acct = owners.get(i);
      if (!(verdicts.get(i) instanceof TxCheck.Accepted a)) {
        remove(e);
        continue;
      }
      if (a.nonce() != e.nonce || !a.sender().equals(e.sender)) {
        remove(e);
        moved.add(new Moved(new Entry(e.hash, e.tx, a, e.seq), a.nextNonce()));
        continue;
      }
      acct.nextNonce(a.nextNonce());
      if (a.priority() != e.priority || a.memo() != e.memo) {
        Entry fresh = new Entry(e.hash, e.tx, e.sender, e.nonce, a.priority(), e.seq, a.memo());
        acct.put(fresh);
        byHash.put(e.hash, fresh);
      }
    }
    moved.sort(Comparator.comparingLong(m -> m.entry.seq));
    for (Moved m : moved) {
      place(m.entry, m.nextNonce);
    }
    trim();
  }

  /**
   * What {@link #update} does, by re-inserting every held transaction in arrival order: the
   * straightforward form, kept as the reference the property tests compare {@link #update} with.
   */
  synchronized void rebuild(List<Bytes> committed) {
    removeCommitted(committed, List.of());
    List<Entry> held = new ArrayList<>(byHash.values());
    held.sort(Comparator.comparingLong(e -> e.seq));
    byHash.clear();
    accounts.clear();
    bytes = 0;
    List<TxCheck> verdicts = recheckAll(held);
    for (int i = 0; i < held.size(); i++) {
      Entry e = held.get(i);
      if (verdicts.get(i) instanceof TxCheck.Accepted a) {
        place(new Entry(e.hash, e.tx, a, e.seq), a.nextNonce());
      }
    }
    trim();
  }

  /** Drops {@code committed}, by {@code hashes} when there is one per transaction. */
  private void removeCommitted(List<Bytes> committed, List<Bytes32> hashes) {
    boolean given = hashes.size() == committed.size();
    for (int i = 0; i < committed.size(); i++) {
      Entry e = byHash.get(given ? hashes.get(i) : hasher.apply(committed.get(i)));
      if (e != null) {
        remove(e);
      }
    }
  }

  /** Puts a re-checked entry in; of two with one sender and nonce the higher priority stays. */
  private void place(Entry fresh, long nextNonce) {
    Account acct = accounts.computeIfAbsent(fresh.sender, s -> new Account(nextNonce));
    acct.nextNonce(nextNonce);
    Entry clash = acct.txs.get(fresh.nonce);
    if (clash != null) {
      if (clash.priority >= fresh.priority) {
        return;
      }
      remove(clash);
      acct = accounts.computeIfAbsent(fresh.sender, s -> new Account(nextNonce));
    }
    acct.put(fresh);
    byHash.put(fresh.hash, fresh);
    bytes += fresh.size();
  }

  /** Drops what the next nonces made stale and trims future queues to their bound. */
  private void trim() {
    for (Account a : List.copyOf(accounts.values())) {
      for (Entry stale : List.copyOf(a.txs.headMap(a.nextNonce(), false).values())) {
        remove(stale);
      }
      int queued = a.txs.size() - a.executable();
      for (int i = queued; i > config.maxQueuedPerSender(); i--) {
        remove(a.txs.lastEntry().getValue());
      }
    }
  }

  /**
   * The batch checker's verdicts on {@code held}, in order. When the batch throws (or answers a
   * list of another length), each is checked alone, so that a transaction that makes the checker
   * throw drops only itself.
   */
  private List<TxCheck> recheckAll(List<Entry> held) {
    List<Bytes> txs = new ArrayList<>(held.size());
    List<Object> memos = new ArrayList<>(held.size());
    for (Entry e : held) {
      txs.add(e.tx);
      memos.add(e.memo);
    }
    try {
      List<TxCheck> verdicts = rechecker.recheck(txs, memos);
      if (verdicts.size() == txs.size()) {
        return verdicts;
      }
    } catch (RuntimeException e) {
      // one at a time below
    }
    List<TxCheck> verdicts = new ArrayList<>(txs.size());
    for (Bytes tx : txs) {
      verdicts.add(recheck(tx));
    }
    return verdicts;
  }

  /** The checker's verdict; a checker that throws drops the transaction, not the pool. */
  private TxCheck recheck(Bytes tx) {
    try {
      return checker.apply(tx);
    } catch (RuntimeException e) {
      return new TxCheck.Rejected(String.valueOf(e.getMessage()));
    }
  }

  public synchronized int size() {
    return byHash.size();
  }

  public synchronized long bytes() {
    return bytes;
  }

  public synchronized boolean contains(Bytes32 hash) {
    return byHash.containsKey(hash);
  }

  public synchronized Optional<Bytes> get(Bytes32 hash) {
    return Optional.ofNullable(byHash.get(hash)).map(e -> e.tx);
  }

  /** How many held transactions are executable now. */
  public synchronized int executableCount() {
    int n = 0;
    for (Account a : accounts.values()) {
      n += a.executable();
    }
    return n;
  }

  /** One held transaction's ordering facts, for tests and diagnostics. */
  public record Held(Bytes32 hash, Bytes sender, long nonce, long priority, int size) {}

  /** Every held transaction, by sender then nonce. */
  public synchronized List<Held> held() {
    List<Held> out = new ArrayList<>();
    for (Account a : accounts.values()) {
      for (Entry e : a.txs.values()) {
        out.add(new Held(e.hash, e.sender, e.nonce, e.priority, e.size()));
      }
    }
    return out;
  }

  /**
   * The first nonce of {@code sender} from {@code stateNonce} on that no held transaction uses:
   * what the sender's next transaction should carry ({@code eth_getTransactionCount(…,
   * "pending")}).
   */
  public synchronized long pendingNonce(Bytes sender, long stateNonce) {
    Account a = accounts.get(sender);
    long n = stateNonce;
    while (a != null && a.txs.containsKey(n)) {
      n++;
    }
    return n;
  }

  /** A sender's committed next nonce as last seen by the checker, if it has transactions here. */
  public synchronized Optional<Long> nextNonce(Bytes sender) {
    return Optional.ofNullable(accounts.get(sender)).map(Account::nextNonce);
  }

  /** Whether every sender's kept run length is what counting afresh gives: for the tests. */
  synchronized boolean runsCountedRight() {
    for (Account a : accounts.values()) {
      if (a.run >= 0 && a.run != a.countRun()) {
        return false;
      }
    }
    return true;
  }
}
