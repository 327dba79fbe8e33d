package io.axivon.storage.sync;

import io.axivon.p2p.P2pConfig;
import java.time.Duration;
import java.util.Objects;

/**
 * Settings of a storage node's P2P presence and segment sync.
 *
 * @param p2p listen address, node key, network id and static peers of the node's P2P network
 * @param interval how often the sync looks for missing segments and idle peers
 * @param requestTimeout how long one segment request may take
 * @param maxInFlight segment requests outstanding at once, over all files and peers
 * @param segmentsPerRequest segments asked for per request (1..{@value
 *     SegmentSyncProtocol#MAX_SEGMENTS})
 * @param backoffBase how long a peer that failed once waits before it is asked again for that file
 * @param backoffMax the longest such wait (it doubles per consecutive failure)
 */
public record SyncSettings(
    P2pConfig p2p,
    Duration interval,
    Duration requestTimeout,
    int maxInFlight,
    int segmentsPerRequest,
    Duration backoffBase,
    Duration backoffMax) {
  public SyncSettings {
    Objects.requireNonNull(p2p, "p2p");
    Objects.requireNonNull(interval, "interval");
    Objects.requireNonNull(requestTimeout, "requestTimeout");
    Objects.requireNonNull(backoffBase, "backoffBase");
    Objects.requireNonNull(backoffMax, "backoffMax");
    if (interval.isNegative() || interval.isZero() || requestTimeout.isNegative()) {
      throw new IllegalArgumentException("interval and request timeout must be positive");
    }
    if (maxInFlight < 1) {
      throw new IllegalArgumentException("maxInFlight must be at least 1, got " + maxInFlight);
    }
    if (segmentsPerRequest < 1 || segmentsPerRequest > SegmentSyncProtocol.MAX_SEGMENTS) {
      throw new IllegalArgumentException(
          "segmentsPerRequest must be 1.."
              + SegmentSyncProtocol.MAX_SEGMENTS
              + ", got "
              + segmentsPerRequest);
    }
    if (backoffBase.isNegative() || backoffMax.compareTo(backoffBase) < 0) {
      throw new IllegalArgumentException("need 0 <= backoffBase <= backoffMax");
    }
  }

  /** Defaults: a look every 200 ms, 4 requests of 8 segments in flight, back-off 0.5 s to 30 s. */
  public static SyncSettings defaults(P2pConfig p2p) {
    return new SyncSettings(
        p2p,
        Duration.ofMillis(200),
        Duration.ofSeconds(15),
        4,
        SegmentSyncProtocol.MAX_SEGMENTS,
        Duration.ofMillis(500),
        Duration.ofSeconds(30));
  }

  public SyncSettings withInterval(Duration v) {
    return new SyncSettings(
        p2p, v, requestTimeout, maxInFlight, segmentsPerRequest, backoffBase, backoffMax);
  }

  public SyncSettings withBackoff(Duration base, Duration max) {
    return new SyncSettings(
        p2p, interval, requestTimeout, maxInFlight, segmentsPerRequest, base, max);
  }

  public SyncSettings withSegmentsPerRequest(int v) {
    return new SyncSettings(p2p, interval, requestTimeout, maxInFlight, v, backoffBase, backoffMax);
  }
}
