package io.axivon.consensus.execution.tx;

import io.axivon.common.crypto.secp256k1.Address;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.tuweni.bytes.Bytes32;

/**
 * Recovered senders by transaction hash, bounded (least recently used out). Recovering a sender is
 * an elliptic-curve operation that costs more than executing a transfer; checkTx already paid it
 * when the transaction entered the mempool, so block execution looks it up here first. The hash
 * covers the signature, so a hit is the same signed transaction.
 */
public final class SenderCache {
  private final Map<Bytes32, Address> entries;

  public SenderCache(int capacity) {
    if (capacity < 1) {
      throw new IllegalArgumentException("capacity must be >= 1");
    }
    this.entries =
        new LinkedHashMap<>(16, 0.75f, true) {
          @Override
          protected boolean removeEldestEntry(Map.Entry<Bytes32, Address> eldest) {
            return size() > capacity;
          }
        };
  }

  /**
   * The sender of {@code tx} (whose hash is {@code hash}) on {@code chainId}.
   *
   * @throws io.axivon.common.InvalidInputException "invalid sender: ..." as {@link
   *     TxSigner#recoverSender}
   */
  public Address sender(Transaction tx, Bytes32 hash, long chainId) {
    synchronized (entries) {
      Address a = entries.get(hash);
      if (a != null) {
        return a;
      }
    }
    Address a = TxSigner.recoverSender(tx, chainId);
    synchronized (entries) {
      entries.put(hash, a);
    }
    return a;
  }

  public int size() {
    synchronized (entries) {
      return entries.size();
    }
  }
}
