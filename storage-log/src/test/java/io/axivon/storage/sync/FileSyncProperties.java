package io.axivon.storage.sync;

import static org.assertj.core.api.Assertions.assertThat;

import io.axivon.p2p.NodeId;
import io.axivon.p2p.NodeKey;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

/** The per-file fetch state machine against a model, under random outcomes and times. */
class FileSyncProperties {
  private static final List<NodeId> PEERS =
      List.of(
          NodeKey.generate().id(),
          NodeKey.generate().id(),
          NodeKey.generate().id(),
          NodeKey.generate().id());
  private static final Duration BASE = Duration.ofMillis(100);
  private static final Duration MAX = Duration.ofSeconds(2);
  private static final long MAX_NANOS = MAX.toNanos();

  @Property
  void neverDoubleAsksNeverAsksCheatersAndFinishesWithAnHonestPeer(
      @ForAll Set<@IntRange(min = 0, max = 40) Integer> missingRaw,
      @ForAll @IntRange(min = 1, max = 8) int perRequest,
      @ForAll @Size(max = 200) List<@IntRange(min = 0, max = 999) Integer> actions) {
    TreeSet<Long> missing = new TreeSet<>();
    missingRaw.forEach(i -> missing.add((long) i));
    FileSync file = new FileSync(7, missing, perRequest, BASE, MAX);
    Map<NodeId, Set<Long>> inFlight = new HashMap<>();
    Set<NodeId> excluded = new HashSet<>();
    long now = 0;

    for (int action : actions) {
      int kind = action % 5;
      NodeId peer = PEERS.get((action / 5) % PEERS.size());
      switch (kind) {
        case 0 -> {
          // a random subset of peers connected
          List<NodeId> connected = new ArrayList<>();
          for (int k = 0; k < PEERS.size(); k++) {
            if (((action / 20) >> k & 1) == 0) {
              connected.add(PEERS.get(k));
            }
          }
          Optional<FileSync.Assignment> a = file.next(connected, now);
          if (a.isPresent()) {
            NodeId p = a.get().peer();
            assertThat(connected).contains(p);
            assertThat(excluded).doesNotContain(p);
            assertThat(inFlight).doesNotContainKey(p);
            assertThat(a.get().indices()).isNotEmpty().hasSizeLessThanOrEqualTo(perRequest);
            assertThat(missing).containsAll(a.get().indices());
            for (Set<Long> other : inFlight.values()) {
              assertThat(other).doesNotContainAnyElementsOf(a.get().indices());
            }
            inFlight.put(p, new HashSet<>(a.get().indices()));
          }
        }
        case 1 -> {
          Set<Long> asked = inFlight.remove(peer);
          if (asked != null) {
            List<Long> got = asked.stream().filter(i -> (i + action) % 3 != 0).toList();
            file.onValid(peer, got, now);
            got.forEach(missing::remove);
          }
        }
        case 2 -> {
          if (inFlight.remove(peer) != null) {
            file.onFailure(peer, now);
          }
        }
        case 3 -> {
          // PEERS[0] is honest: only the others cheat
          if (!peer.equals(PEERS.getFirst()) && inFlight.remove(peer) != null) {
            file.onInvalid(peer);
            excluded.add(peer);
          }
        }
        default -> now += (action % 7) * BASE.toNanos();
      }
      assertThat(file.remaining()).isEqualTo(missing.size());
      assertThat(file.requestsInFlight()).isEqualTo(inFlight.size());
    }

    // every outstanding request fails; then the honest peer alone completes the file
    for (NodeId p : List.copyOf(inFlight.keySet())) {
      file.onFailure(p, now);
    }
    now += MAX_NANOS;
    int rounds = 0;
    while (!file.complete()) {
      Optional<FileSync.Assignment> a = file.next(PEERS, now);
      assertThat(a).isPresent();
      assertThat(excluded).doesNotContain(a.get().peer());
      file.onValid(a.get().peer(), a.get().indices(), now);
      assertThat(++rounds).isLessThanOrEqualTo(41);
    }
    assertThat(file.remaining()).isZero();
  }

  @Test
  void aFailedPeerBacksOffExponentiallySoAnotherPeerIsAsked() {
    NodeId a = PEERS.get(0);
    NodeId b = PEERS.get(1);
    FileSync file = new FileSync(1, List.of(0L, 1L, 2L), 8, BASE, MAX);
    assertThat(file.next(List.of(a, b), 0).orElseThrow().peer()).isEqualTo(a);
    file.onFailure(a, 0);
    assertThat(file.retryAt(a)).contains(BASE.toNanos());
    // a waits; b gets the retry
    FileSync.Assignment retry = file.next(List.of(a, b), 1).orElseThrow();
    assertThat(retry.peer()).isEqualTo(b);
    assertThat(retry.indices()).containsExactly(0L, 1L, 2L);
    file.onValid(b, List.of(), 1); // b has none of them: it backs off too
    assertThat(file.next(List.of(a, b), 2)).isEmpty();
    // a again after its wait, then a second failure doubles it
    assertThat(file.next(List.of(a, b), BASE.toNanos()).orElseThrow().peer()).isEqualTo(a);
    file.onFailure(a, BASE.toNanos());
    assertThat(file.retryAt(a)).contains(3 * BASE.toNanos());
    // a success clears the back-off
    file.next(List.of(a), 3 * BASE.toNanos()).orElseThrow();
    file.onValid(a, List.of(0L), 3 * BASE.toNanos());
    assertThat(file.retryAt(a)).isEmpty();
    assertThat(file.remaining()).isEqualTo(2);
  }

  @Test
  void aCheaterIsNeverAskedAgainAndItsSegmentsGoToAnHonestPeer() {
    NodeId cheat = PEERS.get(2);
    NodeId honest = PEERS.get(3);
    FileSync file = new FileSync(1, List.of(4L, 5L), 8, BASE, MAX);
    assertThat(file.next(List.of(cheat), 0).orElseThrow().indices()).containsExactly(4L, 5L);
    file.onInvalid(cheat);
    assertThat(file.isExcluded(cheat)).isTrue();
    assertThat(file.next(List.of(cheat), Long.MAX_VALUE / 2)).isEmpty();
    FileSync.Assignment a = file.next(List.of(cheat, honest), 0).orElseThrow();
    assertThat(a.peer()).isEqualTo(honest);
    file.onValid(honest, a.indices(), 0);
    assertThat(file.complete()).isTrue();
  }

  @Test
  void anAnnouncedHolderIsAskedBeforeOtherPeers() {
    NodeId a = PEERS.get(0);
    NodeId holder = PEERS.get(3);
    FileSync file = new FileSync(1, List.of(0L, 1L, 2L, 3L), 2, BASE, MAX);
    assertThat(file.next(PEERS, Set.of(holder), 0).orElseThrow().peer()).isEqualTo(holder);
    // the holder is busy: the others are still used
    assertThat(file.next(PEERS, Set.of(holder), 0).orElseThrow().peer()).isNotEqualTo(holder);
    file.onFailure(holder, 0);
    assertThat(file.next(List.of(a, holder), Set.of(holder), 0)).isEmpty(); // a busy, holder waits
  }

  @Test
  void segmentsStoredByAnUploadAreNotFetched() {
    FileSync file = new FileSync(1, List.of(0L, 1L, 2L), 2, BASE, MAX);
    file.markStored(List.of(0L, 2L));
    FileSync.Assignment a = file.next(PEERS, 0).orElseThrow();
    assertThat(a.indices()).containsExactly(1L);
    file.onValid(a.peer(), a.indices(), 0);
    assertThat(file.complete()).isTrue();
  }
}
