package io.axivon.consensus.execution.tx;

import io.axivon.common.crypto.Hashes;
import io.axivon.common.crypto.secp256k1.Address;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.apache.tuweni.bytes.Bytes;
import org.apache.tuweni.bytes.Bytes32;

/**
 * Recovered senders by transaction hash, bounded (least recently used out). Recovering a sender is
 * an elliptic-curve operation that costs more than executing a transfer; checkTx already paid it
 * when the transaction entered the mempool, so block execution looks it up here first. The hash
 * covers the signature, so a hit is the same signed transaction.
 *
 * <p>An entry is a pure function of the hash and the chain id it was recovered for (recovery also
 * checks the transaction's chain id, so a hit counts only for that chain id): one instance may
 * serve every validator of a process (an in-process devnet recovers each signature once, not once
 * per validator). Pass it in; it is never static.
 */
public final class SenderCache {
  /** Below this many transactions, handing them to other threads costs more than it saves. */
  private static final int PARALLEL_MIN = 4;

  /** A recovered sender and the chain id it was recovered for. */
  private record Recovered(Address sender, long chainId) {}

  private final Map<Bytes32, Recovered> entries;

  public SenderCache(int capacity) {
    if (capacity < 1) {
      throw new IllegalArgumentException("capacity must be >= 1");
    }
    this.entries =
        new LinkedHashMap<>(16, 0.75f, true) {
          @Override
          protected boolean removeEldestEntry(Map.Entry<Bytes32, Recovered> eldest) {
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
      Recovered e = entries.get(hash);
      if (e != null && e.chainId == chainId) {
        return e.sender;
      }
    }
    Address a = TxSigner.recoverSender(tx, chainId);
    synchronized (entries) {
      entries.put(hash, new Recovered(a, chainId));
    }
    return a;
  }

  /**
   * Recovers the senders of {@code raws} (raw transactions) that are not cached yet, in parallel
   * with at most one thread per core, so that a call that meets them in order afterwards (checkTx,
   * a proposal's check, a block's execution) finds them here. Nothing else changes: a transaction
   * that does not decode or has no valid sender is left out, and its caller meets it in order and
   * reports it as before. Safe to call from any thread, without the chain's lock.
   *
   * @return the Keccak-256 hash of each raw transaction, in order, so that the caller hashes none
   *     again
   */
  public List<Bytes32> recoverAll(List<Bytes> raws, long chainId) {
    Bytes32[] hashes = new Bytes32[raws.size()];
    if (raws.size() < PARALLEL_MIN) {
      for (int i = 0; i < hashes.length; i++) {
        hashes[i] = warm(raws.get(i), chainId);
      }
    } else {
      // the common pool has one thread less than the cores; the caller works too
      IntStream.range(0, hashes.length)
          .parallel()
          .forEach(i -> hashes[i] = warm(raws.get(i), chainId));
    }
    return Arrays.asList(hashes);
  }

  private Bytes32 warm(Bytes raw, long chainId) {
    Bytes32 hash = Hashes.keccak256(raw);
    synchronized (entries) {
      Recovered e = entries.get(hash);
      if (e != null && e.chainId == chainId) {
        return hash;
      }
    }
    try {
      sender(TxCodec.decode(raw), hash, chainId);
    } catch (RuntimeException e) {
      // not ours to report: the in-order call decodes and recovers it again and says why
    }
    return hash;
  }

  public int size() {
    synchronized (entries) {
      return entries.size();
    }
  }
}
