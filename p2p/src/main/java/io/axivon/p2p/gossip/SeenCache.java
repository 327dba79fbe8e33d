package io.axivon.p2p.gossip;

import io.axivon.common.time.Clock;
import java.time.Duration;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The message ids seen recently, for de-duplication: an id is remembered for {@code ttl} after it
 * was first seen, and at most {@code maxEntries} ids are kept (the oldest go first), so memory is
 * bounded whatever peers send. Thread-safe.
 */
public final class SeenCache<K> {
  private final Clock clock;
  private final long ttlNanos;
  private final int maxEntries;
  private final LinkedHashMap<K, Long> firstSeen = new LinkedHashMap<>();

  public SeenCache(Clock clock, Duration ttl, int maxEntries) {
    if (ttl.isNegative() || ttl.isZero() || maxEntries < 1) {
      throw new IllegalArgumentException("need a positive ttl and maxEntries");
    }
    this.clock = clock;
    this.ttlNanos = ttl.toNanos();
    this.maxEntries = maxEntries;
  }

  /** Remembers {@code id}; returns true if it was not already remembered (first sighting). */
  public synchronized boolean add(K id) {
    long now = clock.nanos();
    expire(now);
    if (firstSeen.containsKey(id)) {
      return false;
    }
    firstSeen.put(id, now);
    Iterator<Map.Entry<K, Long>> it = firstSeen.entrySet().iterator();
    while (firstSeen.size() > maxEntries && it.hasNext()) {
      it.next();
      it.remove();
    }
    return true;
  }

  public synchronized boolean contains(K id) {
    expire(clock.nanos());
    return firstSeen.containsKey(id);
  }

  public synchronized int size() {
    expire(clock.nanos());
    return firstSeen.size();
  }

  // insertion order is first-seen order, so expired entries are all at the head
  private void expire(long now) {
    Iterator<Map.Entry<K, Long>> it = firstSeen.entrySet().iterator();
    while (it.hasNext()) {
      if (now - it.next().getValue() < ttlNanos) {
        return;
      }
      it.remove();
    }
  }
}
