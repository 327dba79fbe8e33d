package io.axivon.bench;

import io.axivon.consensus.store.StoredBlock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLongArray;
import org.apache.tuweni.bytes.Bytes;

/**
 * The load generator's books: when each pre-signed transfer was sent, when its {@code
 * eth_sendRawTransaction} was answered, and when the block holding it was decided. Blocks are
 * booked on a thread of the generator's own, not on the consensus thread that decides them: the
 * generator's accounting is not the chain's work, and on the decision path it delayed the node it
 * watched.
 *
 * <p>A transfer is found by the last eight bytes of its raw form (the low bits of the signature's
 * {@code s}, uniformly random), so booking a block costs one small-map lookup per transfer and no
 * hashing; the workload is checked for clashes up front.
 */
final class LoadLedger implements AutoCloseable {
  /**
   * A block decided on validator 0 while the load ran: {@code newestNanos} and {@code oldestNanos}
   * are the latencies of its most and least recently sent timed transfers (0 when it has none): the
   * first is about how long a proposal took from reaping to decision, the second adds the wait for
   * the proposal.
   */
  record Block(
      int chain,
      long height,
      int round,
      int txs,
      long decidedNanos,
      long newestNanos,
      long oldestNanos) {}

  private final int perChain;
  private final int untimed;
  private final Map<Long, Integer> byKey;
  private final AtomicLongArray sentAt;
  private final AtomicLongArray answeredAt;
  private final long[] latencies; // written by the booking thread only
  private final boolean[] booked; // by the booking thread only
  private volatile int finalized;
  private final AtomicInteger timedPending = new AtomicInteger();
  private final AtomicInteger warmPending = new AtomicInteger();
  private final ConcurrentLinkedQueue<Block> blocks = new ConcurrentLinkedQueue<>();
  private final ExecutorService booking =
      Executors.newSingleThreadExecutor(Thread.ofPlatform().name("load-ledger").factory());

  /**
   * @param txs each chain's transfers, in the order they are sent
   * @param untimed how many of each chain's first transfers are the warm-up
   */
  LoadLedger(List<List<Bytes>> txs, int untimed) {
    this.perChain = txs.getFirst().size();
    this.untimed = untimed;
    int total = perChain * txs.size();
    this.byKey = HashMap.newHashMap(total);
    for (int c = 0; c < txs.size(); c++) {
      for (int i = 0; i < perChain; i++) {
        if (byKey.put(key(txs.get(c).get(i)), c * perChain + i) != null) {
          throw new IllegalStateException("two transfers end in the same eight bytes; sign again");
        }
      }
    }
    this.sentAt = new AtomicLongArray(total);
    this.answeredAt = new AtomicLongArray(total);
    this.latencies = new long[total];
    this.booked = new boolean[total];
  }

  private static long key(Bytes raw) {
    return raw.getLong(raw.size() - Long.BYTES);
  }

  /** Transfer {@code i} of chain {@code c} goes out now. */
  void sent(int c, int i) {
    if (i >= untimed) {
      timedPending.incrementAndGet();
    } else {
      warmPending.incrementAndGet();
    }
    sentAt.set(c * perChain + i, System.nanoTime());
  }

  /** Its {@code eth_sendRawTransaction} was answered (accepted or refused). */
  void answered(int c, int i) {
    answeredAt.set(c * perChain + i, System.nanoTime());
  }

  /** Books {@code b}, decided now on chain {@code chain}; returns at once. */
  void decided(int chain, StoredBlock b) {
    long now = System.nanoTime();
    booking.execute(() -> book(chain, b, now));
  }

  private void book(int chain, StoredBlock b, long decided) {
    long newest = Long.MAX_VALUE;
    long oldest = 0;
    int n = finalized;
    for (Bytes tx : b.block().transactions()) {
      Integer at = byKey.get(key(tx));
      if (at == null) {
        continue; // not ours
      }
      if (booked[at]) {
        continue; // listed twice (never expected): counted once
      }
      booked[at] = true;
      long sent = sentAt.get(at);
      if (at % perChain < untimed) {
        warmPending.decrementAndGet();
        continue;
      }
      latencies[n++] = decided - sent;
      newest = Math.min(newest, decided - sent);
      oldest = Math.max(oldest, decided - sent);
      timedPending.decrementAndGet();
    }
    finalized = n;
    blocks.add(
        new Block(
            chain,
            b.height(),
            b.commit().round(),
            b.block().transactions().size(),
            decided,
            oldest == 0 ? 0 : newest,
            oldest));
  }

  /** Warm-up transfers sent and not final yet. */
  int warmPending() {
    return warmPending.get();
  }

  /** Timed transfers sent and not final yet. */
  int timedPending() {
    return timedPending.get();
  }

  List<Block> blocks() {
    return new ArrayList<>(blocks);
  }

  /** Submit-to-final latencies of the timed transfers booked so far, sorted. */
  long[] latencies() {
    int n = finalized;
    long[] out = Arrays.copyOf(latencies, n);
    Arrays.sort(out);
    return out;
  }

  /** How long each answered timed transfer's {@code eth_sendRawTransaction} took, sorted. */
  long[] answerTimes() {
    long[] out = new long[sentAt.length()];
    int n = 0;
    for (int at = 0; at < out.length; at++) {
      long answered = answeredAt.get(at);
      long sent = sentAt.get(at);
      if (at % perChain >= untimed && answered != 0 && sent != 0) {
        out[n++] = answered - sent;
      }
    }
    out = Arrays.copyOf(out, n);
    Arrays.sort(out);
    return out;
  }

  @Override
  public void close() throws InterruptedException {
    booking.shutdown();
    booking.awaitTermination(10, TimeUnit.SECONDS);
  }
}
