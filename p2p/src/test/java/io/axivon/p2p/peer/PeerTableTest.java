package io.axivon.p2p.peer;

import static org.assertj.core.api.Assertions.assertThat;

import io.axivon.p2p.NodeKey;
import io.axivon.p2p.PeerAddress;
import java.time.Duration;
import java.util.Random;
import org.junit.jupiter.api.Test;

class PeerTableTest {
  private final Backoff backoff =
      new Backoff(Duration.ofSeconds(1), Duration.ofSeconds(8), new Random(1));

  private static PeerAddress peer(int port) {
    return PeerAddress.of(NodeKey.generate().id(), "127.0.0.1", port);
  }

  @Test
  void learnedEntriesAreCappedButStaticOnesAlwaysFit() {
    PeerTable table = new PeerTable(2, 3, backoff);
    assertThat(table.addLearned(peer(1))).isTrue();
    assertThat(table.addLearned(peer(2))).isTrue();
    assertThat(table.addLearned(peer(3))).isFalse();
    PeerAddress s = peer(4);
    table.addStatic(s);
    assertThat(table.size()).isEqualTo(3);
    assertThat(table.isStatic(s.id())).isTrue();
    assertThat(table.due(0).getFirst()).as("static peers are dialed first").isEqualTo(s);
  }

  @Test
  void failuresBackOffAndForgetLearnedEntries() {
    PeerTable table = new PeerTable(10, 3, backoff);
    PeerAddress learned = peer(1);
    PeerAddress fixed = peer(2);
    table.addLearned(learned);
    table.addStatic(fixed);
    long now = 0;
    table.recordFailure(learned.id(), now);
    table.recordFailure(fixed.id(), now);
    assertThat(table.due(now)).isEmpty();
    long later = now + Duration.ofMillis(1500).toNanos(); // after 1 s * at most 1.5
    assertThat(table.due(later)).containsExactlyInAnyOrder(learned, fixed);

    table.recordFailure(learned.id(), later);
    table.recordFailure(learned.id(), later);
    assertThat(table.contains(learned.id())).as("forgotten after 3 failures").isFalse();
    for (int i = 0; i < 10; i++) {
      table.recordFailure(fixed.id(), later);
    }
    assertThat(table.contains(fixed.id())).as("static peers are never forgotten").isTrue();
    assertThat(table.due(later + Duration.ofSeconds(11).toNanos())).containsExactly(fixed);

    table.recordSuccess(fixed.id());
    assertThat(table.failures(fixed.id())).isZero();
    assertThat(table.due(later)).containsExactly(fixed);
    // a forgotten learned entry frees its slot
    assertThat(table.addLearned(peer(3))).isTrue();
  }
}
