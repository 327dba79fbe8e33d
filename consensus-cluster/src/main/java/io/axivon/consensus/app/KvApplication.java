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
import org.apache.tuweni.bytes.Bytes;
import org.apache.tuweni.bytes.Bytes32;

/**
 * A key-value store driven by consensus, for tests and the simulator. A transaction is UTF-8 {@code
 * key=value} (non-empty key, no second '='). The app hash chains: {@code keccak(previous appHash ||
 * tx)} per transaction, so it depends on the exact order of everything committed. Holds a tiny FIFO
 * mempool so that {@link #prepareProposal} has something to propose.
 */
public final class KvApplication implements Application {
  private static final int MAX_TX_BYTES = 1024;

  private final Map<String, String> state = new TreeMap<>();
  private final Deque<Bytes> mempool = new ArrayDeque<>();
  private Bytes32 appHash = Bytes32.ZERO;
  private long height;

  /** Adds {@code tx} to the mempool if {@link #checkTx} accepts it. */
  public boolean submit(Bytes tx) {
    if (!checkTx(tx)) {
      return false;
    }
    mempool.addLast(tx);
    return true;
  }

  @Override
  public boolean checkTx(Bytes tx) {
    if (tx.size() == 0 || tx.size() > MAX_TX_BYTES) {
      return false;
    }
    String s = new String(tx.toArrayUnsafe(), StandardCharsets.UTF_8);
    int eq = s.indexOf('=');
    return eq > 0 && s.indexOf('=', eq + 1) < 0;
  }

  @Override
  public List<Bytes> prepareProposal(long height, long maxBytes) {
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
    for (Bytes tx : block.transactions()) {
      if (!checkTx(tx)) {
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

  public String get(String key) {
    return state.get(key);
  }

  public Map<String, String> snapshot() {
    return Collections.unmodifiableMap(new TreeMap<>(state));
  }
}
