package io.axivon.consensus.execution.tx;

import io.axivon.common.crypto.Hashes;
import io.axivon.common.crypto.secp256k1.Address;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.stream.IntStream;
import org.apache.tuweni.bytes.Bytes;
import org.apache.tuweni.bytes.Bytes32;

/**
 * Recovered senders by transaction hash, bounded (oldest out). Recovering a sender is an
 * elliptic-curve operation that costs more than executing a transfer; checkTx already paid it when
 * the transaction entered the mempool, so block execution looks it up here first. The hash covers
 * the signature, so a hit is the same signed transaction.
 *
 * <p>An entry is a pure function of the hash and the chain id it was recovered for (recovery also
 * checks the transaction's chain id, so a hit counts only for that chain id): one instance may
 * serve every validator of a process (an in-process devnet recovers each signature once, not once
 * per validator). Pass it in; it is never static.
 *
 * <p>It also keeps decoded transactions with their hashes, keyed by the raw bytes ({@link
 * #decode}): a transaction meets mempool admission, gossip, the proposal check, execution and the
 * mempool's re-check after each block, and each would otherwise decode and hash it again. Decoding
 * and hashing are pure functions of the bytes, so a hit answers exactly as a fresh decode would;
 * comparing the bytes of a map key costs far less than Keccak-256. Only successes are kept: bytes
 * that do not decode are decoded again by whoever meets them and fail with the same message.
 */
public final class SenderCache {
  /** Below this many transactions, handing them to other threads costs more than it saves. */
  private static final int PARALLEL_MIN = 4;

  /** A recovered sender and the chain id it was recovered for. */
  private record Recovered(Address sender, long chainId) {}

  /**
   * A raw transaction decoded, with its hash (Keccak-256 of the raw bytes). It also remembers its
   * last recovered sender ({@link #sender(Decoded, long)}), so that a transaction met again costs
   * one map lookup (by its bytes) rather than two (then by its hash). Equality is the hash's and
   * the transaction's.
   */
  public static final class Decoded {
    private final Bytes32 hash;
    private final Transaction tx;
    private volatile Recovered sender; // a pure function of the hash and its chain id

    public Decoded(Bytes32 hash, Transaction tx) {
      this.hash = hash;
      this.tx = tx;
    }

    public Bytes32 hash() {
      return hash;
    }

    public Transaction tx() {
      return tx;
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof Decoded d && d.hash.equals(hash) && d.tx.equals(tx);
    }

    @Override
    public int hashCode() {
      return hash.hashCode();
    }

    @Override
    public String toString() {
      return "Decoded[hash=" + hash + ", tx=" + tx + "]";
    }
  }

  private final Bounded<Bytes32, Recovered> entries;
  private final Bounded<RawKey, Decoded> decoded;

  /**
   * Raw bytes as a map key, hashed once and compared as arrays. Tuweni's {@code Bytes} compute
   * their hash and equality byte by byte through {@code get(i)} when the two sides are of different
   * kinds (a slice of a gossip batch against bytes parsed from JSON-RPC hex), and a transaction is
   * looked up here about ten times per validator on its way to a block: that was most of checkTx's
   * time. Equality is the bytes', as {@code Bytes.equals}.
   */
  private static final class RawKey {
    private final byte[] bytes; // never written: Bytes are immutable
    private final int hash;

    RawKey(Bytes raw) {
      this.bytes = raw.toArrayUnsafe();
      this.hash = Arrays.hashCode(bytes);
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof RawKey k && k.hash == hash && Arrays.equals(k.bytes, bytes);
    }

    @Override
    public int hashCode() {
      return hash;
    }
  }

  /**
   * A map that drops its oldest insertions beyond {@code capacity}. Lock-free reads: the validators
   * of a process, the RPC threads and the parallel recovery all look up here, and a lock (an
   * access-ordered map needs one even to read) was the most contended in the process, with waits of
   * seconds on a loaded machine. Oldest-first rather than least-recently-used: every entry is a
   * pure function of its key, so the order only decides what is computed again. Under concurrent
   * insertions the size may pass the bound by the number of inserting threads.
   */
  private static final class Bounded<K, V> {
    private final int capacity;
    private final ConcurrentHashMap<K, V> map = new ConcurrentHashMap<>();
    private final ConcurrentLinkedQueue<K> order = new ConcurrentLinkedQueue<>();

    Bounded(int capacity) {
      this.capacity = capacity;
    }

    V get(K key) {
      return map.get(key);
    }

    void put(K key, V value) {
      if (map.put(key, value) == null) {
        order.add(key);
        while (map.size() > capacity) {
          K oldest = order.poll();
          if (oldest == null) {
            break;
          }
          map.remove(oldest);
        }
      }
    }

    int size() {
      return map.size();
    }
  }

  /**
   * @param capacity the most senders kept; a quarter as many decoded transactions are (one weighs
   *     several times a sender, and a quarter still covers a full mempool and the blocks in flight)
   */
  public SenderCache(int capacity) {
    if (capacity < 1) {
      throw new IllegalArgumentException("capacity must be >= 1");
    }
    this.entries = new Bounded<>(capacity);
    this.decoded = new Bounded<>(Math.max(1, capacity / 4));
  }

  /**
   * {@code raw} decoded, with its hash: as {@link TxCodec#decode} and {@link Hashes#keccak256},
   * from the cache when these bytes were decoded before.
   *
   * @throws io.axivon.common.InvalidInputException as {@link TxCodec#decode}
   */
  public Decoded decode(Bytes raw) {
    RawKey key = new RawKey(raw);
    Decoded d = decoded.get(key);
    if (d != null) {
      return d;
    }
    Transaction tx = TxCodec.decode(raw);
    d = new Decoded(Hashes.keccak256(raw), tx);
    decoded.put(key, d);
    return d;
  }

  /**
   * Keccak-256 of {@code raw}, from the cache when it was decoded before. Bytes that are not cached
   * yet are decoded and kept as well (whoever hashes a transaction is about to check it); bytes
   * that do not decode are hashed and nothing is kept.
   */
  public Bytes32 hash(Bytes raw) {
    try {
      return decode(raw).hash();
    } catch (RuntimeException e) {
      // not ours to report: the check that meets it decodes it again and says why
      return Hashes.keccak256(raw);
    }
  }

  /**
   * The sender of {@code tx} (whose hash is {@code hash}) on {@code chainId}.
   *
   * @throws io.axivon.common.InvalidInputException "invalid sender: ..." as {@link
   *     TxSigner#recoverSender}
   */
  public Address sender(Transaction tx, Bytes32 hash, long chainId) {
    Recovered e = entries.get(hash);
    if (e != null && e.chainId == chainId) {
      return e.sender;
    }
    Address a = TxSigner.recoverSender(tx, chainId);
    entries.put(hash, new Recovered(a, chainId));
    return a;
  }

  /**
   * The sender of the decoded transaction {@code d} on {@code chainId}: as {@link
   * #sender(Transaction, Bytes32, long)}, from {@code d} itself when it was recovered for that
   * chain id before.
   *
   * @throws io.axivon.common.InvalidInputException "invalid sender: ..." as {@link
   *     TxSigner#recoverSender}
   */
  public Address sender(Decoded d, long chainId) {
    Recovered known = d.sender;
    if (known != null && known.chainId == chainId) {
      return known.sender;
    }
    Address a = sender(d.tx, d.hash, chainId);
    d.sender = new Recovered(a, chainId);
    return a;
  }

  /**
   * Each of {@code raws} decoded with its sender on {@code chainId} recovered ({@link
   * #sender(Decoded, long)} then answers from the transaction itself), those not cached yet in
   * parallel with at most one thread per core: one cache lookup per transaction for a caller that
   * goes on to use them in order (a batch check, a proposal's check, a block's execution). Nothing
   * else changes: a transaction that does not decode or has no valid sender is left to its caller,
   * which meets it in order and reports it as before. Safe to call from any thread.
   *
   * @return in order; {@code null} where a transaction does not decode or has no valid sender (the
   *     caller decodes that one again in its turn, which fails with the reason)
   */
  public List<Decoded> decodeAll(List<Bytes> raws, long chainId) {
    Decoded[] out = new Decoded[raws.size()];
    // First what is cached, in this thread: the validators of a process meet each gossiped batch
    // and block already recovered, and handing cached lookups to the pool cost more than them.
    int[] missing = new int[raws.size()];
    int misses = 0;
    for (int i = 0; i < out.length; i++) {
      out[i] = cached(raws.get(i), chainId);
      if (out[i] == null) {
        missing[misses++] = i;
      }
    }
    if (misses < PARALLEL_MIN) {
      for (int m = 0; m < misses; m++) {
        out[missing[m]] = warm(raws.get(missing[m]), chainId);
      }
    } else {
      // the common pool has one thread less than the cores; the caller works too
      IntStream.range(0, misses)
          .parallel()
          .forEach(m -> out[missing[m]] = warm(raws.get(missing[m]), chainId));
    }
    return Arrays.asList(out);
  }

  /** {@code raw} decoded, if it is cached with its sender on {@code chainId} known. */
  private Decoded cached(Bytes raw, long chainId) {
    Decoded d = decoded.get(new RawKey(raw));
    if (d == null) {
      return null;
    }
    Recovered known = d.sender;
    return known != null && known.chainId == chainId ? d : null;
  }

  /** {@code raw} decoded with its sender recovered, or null where either fails. */
  private Decoded warm(Bytes raw, long chainId) {
    try {
      Decoded d = decode(raw);
      sender(d, chainId);
      return d;
    } catch (RuntimeException e) {
      return null; // not ours to report: the in-order call decodes it again and says why
    }
  }

  public int size() {
    return entries.size();
  }

  /** How many decoded transactions are kept. */
  public int decodedSize() {
    return decoded.size();
  }
}
