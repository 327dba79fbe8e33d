package io.axivon.consensus.mempool;

import io.axivon.common.crypto.Hashes;
import io.axivon.consensus.app.TxCheck;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import org.apache.tuweni.bytes.Bytes;
import org.apache.tuweni.bytes.Bytes32;

/** TEMPORARY stand-in until the store branch's mempool is merged. */
public final class Mempool {
  private final Function<Bytes, TxCheck> checker;
  private final Map<Bytes32, Bytes> txs = new LinkedHashMap<>();

  public Mempool(MempoolConfig config, Function<Bytes, TxCheck> checker) {
    this.checker = checker;
  }

  public synchronized AddResult add(Bytes tx) {
    Bytes32 h = Hashes.keccak256(tx);
    if (txs.containsKey(h)) {
      return new AddResult.Duplicate(h);
    }
    if (checker.apply(tx) instanceof TxCheck.Rejected r) {
      return new AddResult.Rejected(r.reason());
    }
    txs.put(h, tx);
    return new AddResult.Added(h, true);
  }

  public synchronized List<Bytes> reap(long maxBytes, int maxTxs) {
    List<Bytes> out = new ArrayList<>();
    long bytes = 0;
    for (Bytes tx : txs.values()) {
      if (out.size() >= maxTxs || bytes + tx.size() > maxBytes) {
        break;
      }
      out.add(tx);
      bytes += tx.size();
    }
    return out;
  }

  public synchronized void update(List<Bytes> committed) {
    for (Bytes tx : committed) {
      txs.remove(Hashes.keccak256(tx));
    }
  }

  public synchronized int size() {
    return txs.size();
  }

  public synchronized long bytes() {
    return txs.values().stream().mapToLong(Bytes::size).sum();
  }

  public synchronized boolean contains(Bytes32 hash) {
    return txs.containsKey(hash);
  }

  public synchronized Optional<Bytes> get(Bytes32 hash) {
    return Optional.ofNullable(txs.get(hash));
  }
}
