package io.axivon.consensus.app;

import io.axivon.common.crypto.Hashes;
import io.axivon.consensus.types.Block;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.LongSupplier;
import org.apache.tuweni.bytes.Bytes;
import org.apache.tuweni.bytes.Bytes32;

/**
 * A key-value store driven by consensus, for tests and the simulator. A transaction is UTF-8 {@code
 * key=value} (non-empty key, no second '='). The app hash chains: {@code keccak(previous appHash ||
 * tx)} per transaction, so it depends on the exact order of everything committed. Holds a tiny FIFO
 * mempool so that {@link #prepareProposal} has something to propose. Block time is the injected
 * clock, forced past the previous block's so that it always increases.
 */
public final class KvApplication implements Application {
  private static final int MAX_TX_BYTES = 1024;

  private final Map<String, String> state = new TreeMap<>();
  private final Deque<Bytes> mempool = new ArrayDeque<>();
  private Bytes32 appHash = Bytes32.ZERO;
  private final LongSupplier clockMillis;
  private final TxSource source;
  private long height;
  private long lastTimeMillis;

  /** Block times step by one millisecond from 0: deterministic, for simulations and tests. */
  public KvApplication() {
    this(() -> 0L);
  }

  public KvApplication(LongSupplier clockMillis) {
    this.clockMillis = clockMillis;
    this.source = this::fromOwnMempool;
  }

  /** Proposes what {@code source} (a node's mempool) offers instead of its own queue. */
  public KvApplication(LongSupplier clockMillis, TxSource source) {
    this.clockMillis = clockMillis;
    this.source = source;
  }

  /** Adds {@code tx} to the mempool if {@link #checkTx} accepts it. */
  public boolean submit(Bytes tx) {
    if (!checkTx(tx).accepted()) {
      return false;
    }
    mempool.addLast(tx);
    return true;
  }

  @Override
  public TxCheck checkTx(Bytes tx) {
    if (tx.size() == 0 || tx.size() > MAX_TX_BYTES) {
      return new TxCheck.Rejected("transaction must be 1 to " + MAX_TX_BYTES + " bytes");
    }
    String s = new String(tx.toArrayUnsafe(), StandardCharsets.UTF_8);
    int eq = s.indexOf('=');
    if (eq <= 0 || s.indexOf('=', eq + 1) >= 0) {
      return new TxCheck.Rejected("transaction must be key=value with a non-empty key");
    }
    // No accounts here: every transaction is its own sender, all equally cheap.
    return new TxCheck.Accepted(Hashes.keccak256(tx), 0, 0, 0);
  }

  @Override
  public ProposalBody prepareProposal(long height, long maxBytes) {
    List<Bytes> txs = new ArrayList<>();
    for (Bytes tx : source.candidates(maxBytes)) {
      if (checkTx(tx).accepted()) {
        txs.add(tx);
      }
    }
    return new ProposalBody(txs, Math.max(lastTimeMillis + 1, clockMillis.getAsLong()));
  }

  private List<Bytes> fromOwnMempool(long maxBytes) {
    List<Bytes> out = new ArrayList<>();
    long bytes = 0;
    for (Bytes tx : mempool) {
      if (bytes + tx.size() > maxBytes) {
        break;
      }
      out.add(tx);
      bytes += tx.size();
    }
    return out;
  }

  @Override
  public boolean processProposal(Block block) {
    if (block.header().timeMillis() <= lastTimeMillis) {
      return false;
    }
    for (Bytes tx : block.transactions()) {
      if (!checkTx(tx).accepted()) {
        return false;
      }
    }
    return true;
  }

  @Override
  public FinalizeResult finalizeBlock(Block block) {
    for (Bytes tx : block.transactions()) {
      String s = new String(tx.toArrayUnsafe(), StandardCharsets.UTF_8);
      int eq = s.indexOf('=');
      state.put(s.substring(0, eq), s.substring(eq + 1));
      appHash = Hashes.keccak256(Bytes.concatenate(appHash, tx));
      mempool.remove(tx);
    }
    height = block.height();
    lastTimeMillis = block.header().timeMillis();
    return new FinalizeResult(appHash, List.of());
  }

  @Override
  public void commit() {
    // In memory: nothing to flush.
  }

  public Bytes32 appHash() {
    return appHash;
  }

  public long height() {
    return height;
  }

  @Override
  public long committedHeight() {
    // In memory only: after a restart the node replays every stored block.
    return 0;
  }

  public String get(String key) {
    return state.get(key);
  }

  public Map<String, String> snapshot() {
    return Collections.unmodifiableMap(new TreeMap<>(state));
  }
}
