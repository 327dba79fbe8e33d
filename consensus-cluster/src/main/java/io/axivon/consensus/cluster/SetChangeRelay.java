package io.axivon.consensus.cluster;

import io.axivon.consensus.types.Block;
import io.axivon.consensus.types.SetChange;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentSkipListMap;

/**
 * The set changes a validator has seen chain 0 decide, for its proposals on chains i &gt; 0: chain
 * 0's consensus node hands them in ({@link #offer}), proposals take the ones a chain does not
 * follow yet ({@link #after}). Every validator runs chain 0, so every proposer can relay; the
 * chain's light client accepts each change once. Thread-safe: chain 0's consensus thread offers,
 * the other chains' threads read. Keeps the last {@value #KEPT} changes.
 */
public final class SetChangeRelay implements SetChangeSource {
  static final int KEPT = 64;

  private final ConcurrentSkipListMap<Long, SetChange> byHeight = new ConcurrentSkipListMap<>();

  /** A set change chain 0 decided (from {@code ValidatorNode#addSetChangeListener}). */
  public void offer(SetChange change) {
    byHeight.put(change.header().height(), change);
    while (byHeight.size() > KEPT) {
      byHeight.pollFirstEntry();
    }
  }

  @Override
  public List<SetChange> after(long trustedFromHeight) {
    List<SetChange> out = new ArrayList<>();
    for (Map.Entry<Long, SetChange> e : byHeight.tailMap(trustedFromHeight, true).entrySet()) {
      if (out.size() == Block.MAX_SET_CHANGES) {
        break;
      }
      out.add(e.getValue());
    }
    return out;
  }
}
