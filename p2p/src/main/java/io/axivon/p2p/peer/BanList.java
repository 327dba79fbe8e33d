package io.axivon.p2p.peer;

import io.axivon.common.time.Clock;
import java.time.Duration;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Temporary bans by key until a point on the clock's monotonic time line. At most {@code
 * maxEntries} bans are kept; when full, the oldest ban is dropped. Thread-safe.
 */
public final class BanList<K> {
  private final Clock clock;
  private final int maxEntries;
  private final LinkedHashMap<K, Long> untilNanos = new LinkedHashMap<>();

  public BanList(Clock clock, int maxEntries) {
    this.clock = clock;
    this.maxEntries = maxEntries;
  }

  public synchronized void ban(K key, Duration duration) {
    long until = clock.nanos() + duration.toNanos();
    untilNanos.remove(key);
    untilNanos.put(key, until);
    Iterator<Map.Entry<K, Long>> it = untilNanos.entrySet().iterator();
    while (untilNanos.size() > maxEntries && it.hasNext()) {
      it.next();
      it.remove();
    }
  }

  public synchronized boolean isBanned(K key) {
    Long until = untilNanos.get(key);
    if (until == null) {
      return false;
    }
    if (clock.nanos() - until >= 0) {
      untilNanos.remove(key);
      return false;
    }
    return true;
  }

  public synchronized void unban(K key) {
    untilNanos.remove(key);
  }

  public synchronized int size() {
    return untilNanos.size();
  }
}
