package io.axivon.storage.sync;

import io.axivon.sdk.storage.FlowSubmission;
import io.axivon.storage.node.ShardConfig;
import java.util.ArrayList;
import java.util.List;
import java.util.function.LongPredicate;

/** What a node still needs of a submission: pure functions, no I/O. */
public final class SyncPlanner {
  private SyncPlanner() {}

  /**
   * The indices of the file's segments that belong to {@code shard} and are not yet {@code stored},
   * ascending.
   */
  public static List<Long> missing(FlowSubmission sub, ShardConfig shard, LongPredicate stored) {
    long segments = sub.layout().segments();
    List<Long> out = new ArrayList<>();
    // the first index whose global segment falls in the shard, then every numShard-th one
    long first = Math.floorMod(shard.shardId() - sub.globalSegment(0), (long) shard.numShard());
    for (long i = first; i < segments; i += shard.numShard()) {
      if (!stored.test(i)) {
        out.add(i);
      }
    }
    return out;
  }
}
