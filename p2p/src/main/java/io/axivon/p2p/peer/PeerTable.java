package io.axivon.p2p.peer;

import io.axivon.p2p.NodeId;
import io.axivon.p2p.PeerAddress;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The addresses a node may dial, with each one's back-off state. Static peers are always kept;
 * learned (peer-exchange) entries are capped at {@code maxLearned}, new ones are ignored when full,
 * and a learned entry is forgotten after {@code maxFailures} consecutive failed dials. Times are
 * the clock's monotonic nanoseconds, passed in. Thread-safe.
 */
public final class PeerTable {
  private final int maxLearned;
  private final int maxFailures;
  private final Backoff backoff;
  private final Map<NodeId, Entry> entries = new LinkedHashMap<>();
  private int learned;

  private static final class Entry {
    PeerAddress address;
    final boolean isStatic;
    int failures;
    long notBeforeNanos;

    Entry(PeerAddress address, boolean isStatic) {
      this.address = address;
      this.isStatic = isStatic;
    }
  }

  public PeerTable(int maxLearned, int maxFailures, Backoff backoff) {
    this.maxLearned = maxLearned;
    this.maxFailures = maxFailures;
    this.backoff = backoff;
  }

  public synchronized void addStatic(PeerAddress address) {
    Entry old = entries.get(address.id());
    if (old != null && !old.isStatic) {
      learned--;
    }
    entries.put(address.id(), new Entry(address, true));
  }

  /** Adds a learned address; returns whether it was new and there was room. */
  public synchronized boolean addLearned(PeerAddress address) {
    Entry existing = entries.get(address.id());
    if (existing != null) {
      if (!existing.isStatic && existing.failures > 0) {
        existing.address = address; // a fresher address for a node we failed to reach
      }
      return false;
    }
    if (learned >= maxLearned) {
      return false;
    }
    entries.put(address.id(), new Entry(address, false));
    learned++;
    return true;
  }

  public synchronized boolean contains(NodeId id) {
    return entries.containsKey(id);
  }

  public synchronized boolean isStatic(NodeId id) {
    Entry entry = entries.get(id);
    return entry != null && entry.isStatic;
  }

  public synchronized int size() {
    return entries.size();
  }

  /** The entries whose back-off has passed at {@code nowNanos}, static ones first. */
  public synchronized List<PeerAddress> due(long nowNanos) {
    List<PeerAddress> statics = new ArrayList<>();
    List<PeerAddress> others = new ArrayList<>();
    for (Entry entry : entries.values()) {
      if (entry.notBeforeNanos - nowNanos <= 0) {
        (entry.isStatic ? statics : others).add(entry.address);
      }
    }
    statics.addAll(others);
    return statics;
  }

  public synchronized void recordSuccess(NodeId id) {
    Entry entry = entries.get(id);
    if (entry != null) {
      entry.failures = 0;
      entry.notBeforeNanos = 0;
    }
  }

  /** Records a failed dial or a lost link; schedules the next attempt or forgets the entry. */
  public synchronized void recordFailure(NodeId id, long nowNanos) {
    Entry entry = entries.get(id);
    if (entry == null) {
      return;
    }
    entry.failures = Math.min(entry.failures + 1, 1 << 20);
    if (!entry.isStatic && entry.failures >= maxFailures) {
      entries.remove(id);
      learned--;
      return;
    }
    entry.notBeforeNanos = nowNanos + backoff.delay(entry.failures).toNanos();
  }

  /** Holds off dialing until {@code notBeforeNanos}, e.g. while the node is banned or connected. */
  public synchronized void deferUntil(NodeId id, long notBeforeNanos) {
    Entry entry = entries.get(id);
    if (entry != null && entry.notBeforeNanos - notBeforeNanos < 0) {
      entry.notBeforeNanos = notBeforeNanos;
    }
  }

  public synchronized int failures(NodeId id) {
    Entry entry = entries.get(id);
    return entry == null ? 0 : entry.failures;
  }
}
