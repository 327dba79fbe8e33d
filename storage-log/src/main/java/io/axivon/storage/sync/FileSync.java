package io.axivon.storage.sync;

import io.axivon.p2p.NodeId;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * The fetch state of one file: which segments are still missing, which are being asked for from
 * whom, and how each peer has behaved for this file. A pure state machine: the caller passes the
 * time and the connected peers, and reports every outcome. Not thread-safe (one sync thread owns
 * it).
 *
 * <p>Rules: a segment is asked of one peer at a time; a peer has at most one request for this file
 * in flight; a peer that failed (transport error, or had none of what it was asked) waits {@code
 * base * 2^(failures-1)}, capped at {@code max}, before it is asked again, so the next request goes
 * to another peer; a peer that sent an invalid segment is never asked for this file again.
 */
public final class FileSync {
  private final long txSeq;
  private final int maxPerRequest;
  private final Duration backoffBase;
  private final Duration backoffMax;
  private final TreeSet<Long> idle = new TreeSet<>();
  private final Map<NodeId, Set<Long>> inFlight = new HashMap<>();
  private final Map<NodeId, Integer> failures = new HashMap<>();
  private final Map<NodeId, Long> retryAt = new HashMap<>();
  private final Set<NodeId> excluded = new HashSet<>();
  private int rotation;

  /** A request to send: these segments of this file from this peer. */
  public record Assignment(NodeId peer, long txSeq, List<Long> indices) {}

  public FileSync(
      long txSeq,
      Collection<Long> missing,
      int maxPerRequest,
      Duration backoffBase,
      Duration backoffMax) {
    if (maxPerRequest < 1 || maxPerRequest > SegmentSyncProtocol.MAX_SEGMENTS) {
      throw new IllegalArgumentException(
          "segments per request must be 1.." + SegmentSyncProtocol.MAX_SEGMENTS);
    }
    this.txSeq = txSeq;
    this.maxPerRequest = maxPerRequest;
    this.backoffBase = backoffBase;
    this.backoffMax = backoffMax;
    idle.addAll(missing);
  }

  public long txSeq() {
    return txSeq;
  }

  /** No segment is missing or being fetched. */
  public boolean complete() {
    return idle.isEmpty() && inFlight.isEmpty();
  }

  /** Segments not yet stored (idle or in flight). */
  public int remaining() {
    int n = idle.size();
    for (Set<Long> s : inFlight.values()) {
      n += s.size();
    }
    return n;
  }

  public int requestsInFlight() {
    return inFlight.size();
  }

  /** Whether {@code peer} sent an invalid segment of this file. */
  public boolean isExcluded(NodeId peer) {
    return excluded.contains(peer);
  }

  /**
   * The next request to send, if a peer may be asked now: the lowest idle segments, to the first
   * eligible peer in a rotating order (so load spreads over peers).
   */
  public Optional<Assignment> next(List<NodeId> peers, long nowNanos) {
    return next(peers, Set.of(), nowNanos);
  }

  /**
   * As {@link #next(List, long)}, but an eligible peer in {@code preferred} (one announced to hold
   * the file) is chosen before any other.
   */
  public Optional<Assignment> next(List<NodeId> peers, Set<NodeId> preferred, long nowNanos) {
    if (idle.isEmpty() || peers.isEmpty()) {
      return Optional.empty();
    }
    int n = peers.size();
    for (boolean preferredPass : new boolean[] {true, false}) {
      if (preferredPass && preferred.isEmpty()) {
        continue;
      }
      for (int k = 0; k < n; k++) {
        NodeId peer = peers.get(Math.floorMod(rotation + k, n));
        if ((preferredPass && !preferred.contains(peer)) || !eligible(peer, nowNanos)) {
          continue;
        }
        rotation = Math.floorMod(rotation + k + 1, n);
        List<Long> indices = new ArrayList<>(maxPerRequest);
        while (indices.size() < maxPerRequest && !idle.isEmpty()) {
          indices.add(idle.pollFirst());
        }
        inFlight.put(peer, new HashSet<>(indices));
        return Optional.of(new Assignment(peer, txSeq, List.copyOf(indices)));
      }
    }
    return Optional.empty();
  }

  private boolean eligible(NodeId peer, long nowNanos) {
    if (excluded.contains(peer) || inFlight.containsKey(peer)) {
      return false;
    }
    Long at = retryAt.get(peer);
    return at == null || nowNanos - at >= 0;
  }

  /**
   * The peer answered with valid segments: {@code stored} are done (the rest it was asked for go
   * back to the idle pool). A peer that had none of them counts as a failure for back-off.
   */
  public void onValid(NodeId peer, Collection<Long> stored, long nowNanos) {
    Set<Long> asked = inFlight.remove(peer);
    if (asked == null) {
      return;
    }
    asked.removeAll(stored);
    idle.addAll(asked);
    if (stored.isEmpty()) {
      backOff(peer, nowNanos);
    } else {
      failures.remove(peer);
      retryAt.remove(peer);
    }
  }

  /**
   * The request failed (timeout, disconnect, remote error): its segments go back, the peer waits.
   */
  public void onFailure(NodeId peer, long nowNanos) {
    Set<Long> asked = inFlight.remove(peer);
    if (asked == null) {
      return;
    }
    idle.addAll(asked);
    backOff(peer, nowNanos);
  }

  /** The peer sent a segment that failed verification: nothing it sent is kept; never ask again. */
  public void onInvalid(NodeId peer) {
    Set<Long> asked = inFlight.remove(peer);
    if (asked != null) {
      idle.addAll(asked);
    }
    excluded.add(peer);
  }

  /** These segments got stored some other way (a client upload): stop fetching them. */
  public void markStored(Collection<Long> stored) {
    idle.removeAll(stored);
  }

  /** When {@code peer} may next be asked, if it is backing off. */
  Optional<Long> retryAt(NodeId peer) {
    return Optional.ofNullable(retryAt.get(peer));
  }

  private void backOff(NodeId peer, long nowNanos) {
    int f = failures.merge(peer, 1, Integer::sum);
    long delay = backoffBase.toNanos() << Math.min(f - 1, 30);
    if (delay <= 0 || delay > backoffMax.toNanos()) {
      delay = backoffMax.toNanos();
    }
    retryAt.put(peer, nowNanos + delay);
  }
}
