package io.axivon.kv.replay;

import java.util.List;
import net.jqwik.api.Arbitrary;

/** Shares the random KV logs of {@link KvReplayProperties} with other packages' tests. */
public final class KvReplayPropertiesAccess {
  private KvReplayPropertiesAccess() {}

  public static Arbitrary<List<LogEntry>> logs() {
    return KvReplayProperties.logs();
  }
}
