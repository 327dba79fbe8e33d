package io.axivon.p2p.peer;

import io.axivon.common.time.Clock;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Misbehaviour scores per key (node id or IP address). A score starts at 0, penalties lower it, and
 * it recovers linearly towards 0 at {@code recoveryPerSecond}, so old offences fade. Keys back at 0
 * are forgotten, and at most {@code maxEntries} are kept (the least recently penalised go first).
 * Thread-safe.
 */
public final class ScoreBook<K> {
  private final Clock clock;
  private final double recoveryPerNano;
  private final int maxEntries;
  private final LinkedHashMap<K, Entry> entries = new LinkedHashMap<>(16, 0.75f, true);

  private static final class Entry {
    double score;
    long atNanos;

    Entry(long atNanos) {
      this.atNanos = atNanos;
    }
  }

  public ScoreBook(Clock clock, double recoveryPerSecond, int maxEntries) {
    if (recoveryPerSecond < 0 || maxEntries < 1) {
      throw new IllegalArgumentException("recovery must be >= 0 and maxEntries >= 1");
    }
    this.clock = clock;
    this.recoveryPerNano = recoveryPerSecond / 1e9;
    this.maxEntries = maxEntries;
  }

  /** Lowers the score by {@code points} (>= 0) and returns the new score. */
  public synchronized double penalize(K key, double points) {
    if (points < 0) {
      throw new IllegalArgumentException("a penalty is not negative: " + points);
    }
    long now = clock.nanos();
    Entry entry = entries.computeIfAbsent(key, k -> new Entry(now));
    recover(entry, now);
    entry.score -= points;
    evictOverflow();
    return entry.score;
  }

  public synchronized double score(K key) {
    Entry entry = entries.get(key);
    if (entry == null) {
      return 0;
    }
    recover(entry, clock.nanos());
    if (entry.score >= 0) {
      entries.remove(key);
      return 0;
    }
    return entry.score;
  }

  public synchronized void reset(K key) {
    entries.remove(key);
  }

  public synchronized int size() {
    return entries.size();
  }

  private void recover(Entry entry, long now) {
    if (now > entry.atNanos) {
      entry.score = Math.min(0, entry.score + (now - entry.atNanos) * recoveryPerNano);
    }
    entry.atNanos = now;
  }

  private void evictOverflow() {
    Iterator<Map.Entry<K, Entry>> it = entries.entrySet().iterator();
    while (entries.size() > maxEntries && it.hasNext()) {
      it.next();
      it.remove();
    }
  }
}
