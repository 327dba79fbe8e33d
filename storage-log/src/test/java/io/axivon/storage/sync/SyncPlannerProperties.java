package io.axivon.storage.sync;

import static org.assertj.core.api.Assertions.assertThat;

import io.axivon.sdk.storage.FlowSubmission;
import io.axivon.sdk.storage.layout.FileTree;
import io.axivon.sdk.storage.layout.Layout;
import io.axivon.storage.node.ShardConfig;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;
import org.junit.jupiter.api.Test;

class SyncPlannerProperties {
  // one submission shape (roots do not matter to the planner); only its position varies
  private static final FileTree TREE = FileTree.of(new byte[9 * Layout.SEGMENT_SIZE + 100]);

  @Property
  void missingIsTheShardsUnstoredSegments(
      @ForAll @IntRange(min = 0, max = 4) int shardBits,
      @ForAll @IntRange(min = 0, max = 15) int shardSeed,
      @ForAll @LongRange(min = 0, max = 1000) long startSegment,
      @ForAll Set<@IntRange(min = 0, max = 12) Integer> stored) {
    int numShard = 1 << shardBits;
    ShardConfig shard = new ShardConfig(shardSeed % numShard, numShard);
    FlowSubmission sub =
        new FlowSubmission(3, startSegment * Layout.SEGMENT_SECTORS, TREE.submission());
    List<Long> missing = SyncPlanner.missing(sub, shard, i -> stored.contains((int) i));

    List<Long> expected = new ArrayList<>();
    for (long i = 0; i < sub.layout().segments(); i++) {
      if (shard.holds(sub.globalSegment(i)) && !stored.contains((int) i)) {
        expected.add(i);
      }
    }
    assertThat(missing).isEqualTo(expected);
  }

  @Test
  void aWholeLogNodeMissesEverySegmentOfAnUnstoredFile() {
    FlowSubmission sub = new FlowSubmission(0, 0, TREE.submission());
    assertThat(SyncPlanner.missing(sub, ShardConfig.ALL, i -> false))
        .containsExactly(0L, 1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L, 9L);
    assertThat(SyncPlanner.missing(sub, new ShardConfig(1, 4), i -> i == 5))
        .containsExactly(1L, 9L);
  }
}
