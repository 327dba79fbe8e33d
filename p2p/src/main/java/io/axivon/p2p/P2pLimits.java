package io.axivon.p2p;

import io.axivon.p2p.wire.MessageCodec;
import java.time.Duration;

/**
 * Every bound and timer of a node. {@link #defaults()} suits a public network; tests shorten the
 * timers through {@link #toBuilder()}.
 *
 * @param maxFrameBytes largest plaintext of one message (message header included; it may travel in
 *     several chunks)
 * @param maxPeers authenticated links at most (static peers are let in beyond it)
 * @param maxPendingHandshakes inbound links not yet authenticated, at most
 * @param maxKnownPeers addresses learned by peer exchange kept for dialing, at most
 * @param maxDialsPerTick new outbound dials started per maintenance tick
 * @param handshakeTimeout a link must be authenticated within this
 * @param idleTimeout a link with nothing received for this long is closed
 * @param pingInterval how often a ping goes to every peer (keeps honest idle links alive)
 * @param maintenanceInterval how often dialing, peer exchange and pings are considered
 * @param pexInterval how often each peer is asked for its peers
 * @param reconnectBase first back-off delay after a failed dial or a lost link
 * @param reconnectMax longest back-off delay
 * @param maxDialFailures consecutive failures after which a learned address is forgotten
 * @param gossipFanOut D: a relayed gossip message goes to at most this many subscribed peers
 * @param seenTtl how long a gossip message id is remembered for de-duplication
 * @param seenMaxEntries message ids remembered at most
 * @param messagesPerSecond per-peer message rate (token bucket refill)
 * @param messageBurst per-peer message bucket capacity
 * @param bytesPerSecond per-peer byte rate (token bucket refill)
 * @param byteBurst per-peer byte bucket capacity; at least one full frame
 * @param writeBufferHighWaterMark queued outbound bytes above which a link stops taking gossip
 * @param slowPeerTimeout a link above the high-water mark for this long is dropped
 * @param banThreshold a score at or below this bans the node and its IP
 * @param banDuration how long a ban lasts
 * @param scoreRecoveryPerSecond points a negative score recovers per second
 * @param maxInboundRequestsPerPeer requests a peer may have in flight with us
 * @param defaultProtocolLimits sizes for protocols registered without their own
 * @param ioThreads event-loop threads
 */
public record P2pLimits(
    int maxFrameBytes,
    int maxPeers,
    int maxPendingHandshakes,
    int maxKnownPeers,
    int maxDialsPerTick,
    Duration handshakeTimeout,
    Duration idleTimeout,
    Duration pingInterval,
    Duration maintenanceInterval,
    Duration pexInterval,
    Duration reconnectBase,
    Duration reconnectMax,
    int maxDialFailures,
    int gossipFanOut,
    Duration seenTtl,
    int seenMaxEntries,
    double messagesPerSecond,
    double messageBurst,
    double bytesPerSecond,
    double byteBurst,
    int writeBufferHighWaterMark,
    Duration slowPeerTimeout,
    double banThreshold,
    Duration banDuration,
    double scoreRecoveryPerSecond,
    int maxInboundRequestsPerPeer,
    ProtocolLimits defaultProtocolLimits,
    int ioThreads) {

  public static final int MIB = 1 << 20;

  public P2pLimits {
    positive(maxFrameBytes, "maxFrameBytes");
    if (maxFrameBytes > Integer.MAX_VALUE - 64) {
      throw new IllegalArgumentException("maxFrameBytes too large");
    }
    positive(maxPeers, "maxPeers");
    positive(maxPendingHandshakes, "maxPendingHandshakes");
    positive(maxKnownPeers, "maxKnownPeers");
    positive(maxDialsPerTick, "maxDialsPerTick");
    positive(handshakeTimeout, "handshakeTimeout");
    positive(idleTimeout, "idleTimeout");
    positive(pingInterval, "pingInterval");
    positive(maintenanceInterval, "maintenanceInterval");
    positive(pexInterval, "pexInterval");
    positive(reconnectBase, "reconnectBase");
    positive(reconnectMax, "reconnectMax");
    positive(maxDialFailures, "maxDialFailures");
    positive(gossipFanOut, "gossipFanOut");
    positive(seenTtl, "seenTtl");
    positive(seenMaxEntries, "seenMaxEntries");
    positive(writeBufferHighWaterMark, "writeBufferHighWaterMark");
    positive(slowPeerTimeout, "slowPeerTimeout");
    positive(banDuration, "banDuration");
    positive(maxInboundRequestsPerPeer, "maxInboundRequestsPerPeer");
    positive(ioThreads, "ioThreads");
    if (!(messagesPerSecond > 0) || !(messageBurst >= 1)) {
      throw new IllegalArgumentException("message rate must be > 0 and burst >= 1");
    }
    if (!(bytesPerSecond > 0) || !(byteBurst >= maxFrameBytes)) {
      throw new IllegalArgumentException("byte rate must be > 0 and byteBurst >= maxFrameBytes");
    }
    if (!(banThreshold < 0) || scoreRecoveryPerSecond < 0) {
      throw new IllegalArgumentException("banThreshold must be < 0, recovery >= 0");
    }
    if (reconnectMax.compareTo(reconnectBase) < 0) {
      throw new IllegalArgumentException("reconnectMax must be >= reconnectBase");
    }
    int maxPayload = maxFrameBytes - MessageCodec.REQUEST_OVERHEAD;
    if (defaultProtocolLimits.maxRequestBytes() > maxPayload
        || defaultProtocolLimits.maxResponseBytes() > maxPayload) {
      throw new IllegalArgumentException("default protocol limits exceed what a frame can carry");
    }
  }

  public static P2pLimits defaults() {
    return new P2pLimits(
        16 * MIB,
        50,
        64,
        1000,
        4,
        Duration.ofSeconds(5),
        Duration.ofSeconds(60),
        Duration.ofSeconds(15),
        Duration.ofMillis(500),
        Duration.ofSeconds(30),
        Duration.ofMillis(500),
        Duration.ofSeconds(60),
        8,
        6,
        Duration.ofMinutes(2),
        100_000,
        1_000,
        2_000,
        32.0 * MIB,
        64.0 * MIB,
        32 * MIB,
        Duration.ofSeconds(10),
        -100,
        Duration.ofMinutes(10),
        1.0,
        64,
        new ProtocolLimits(MIB, 8 * MIB),
        2);
  }

  /** The largest gossip payload a frame can carry. */
  public int maxGossipPayload() {
    return maxFrameBytes - MessageCodec.GOSSIP_OVERHEAD;
  }

  public Builder toBuilder() {
    return new Builder(this);
  }

  private static void positive(long value, String name) {
    if (value <= 0) {
      throw new IllegalArgumentException(name + " must be positive, got " + value);
    }
  }

  private static void positive(Duration value, String name) {
    if (value.isNegative() || value.isZero()) {
      throw new IllegalArgumentException(name + " must be positive, got " + value);
    }
  }

  /** Changes a few limits of an existing set. */
  public static final class Builder {
    private int maxFrameBytes;
    private int maxPeers;
    private int maxPendingHandshakes;
    private int maxKnownPeers;
    private int maxDialsPerTick;
    private Duration handshakeTimeout;
    private Duration idleTimeout;
    private Duration pingInterval;
    private Duration maintenanceInterval;
    private Duration pexInterval;
    private Duration reconnectBase;
    private Duration reconnectMax;
    private int maxDialFailures;
    private int gossipFanOut;
    private Duration seenTtl;
    private int seenMaxEntries;
    private double messagesPerSecond;
    private double messageBurst;
    private double bytesPerSecond;
    private double byteBurst;
    private int writeBufferHighWaterMark;
    private Duration slowPeerTimeout;
    private double banThreshold;
    private Duration banDuration;
    private double scoreRecoveryPerSecond;
    private int maxInboundRequestsPerPeer;
    private ProtocolLimits defaultProtocolLimits;
    private int ioThreads;

    private Builder(P2pLimits l) {
      maxFrameBytes = l.maxFrameBytes;
      maxPeers = l.maxPeers;
      maxPendingHandshakes = l.maxPendingHandshakes;
      maxKnownPeers = l.maxKnownPeers;
      maxDialsPerTick = l.maxDialsPerTick;
      handshakeTimeout = l.handshakeTimeout;
      idleTimeout = l.idleTimeout;
      pingInterval = l.pingInterval;
      maintenanceInterval = l.maintenanceInterval;
      pexInterval = l.pexInterval;
      reconnectBase = l.reconnectBase;
      reconnectMax = l.reconnectMax;
      maxDialFailures = l.maxDialFailures;
      gossipFanOut = l.gossipFanOut;
      seenTtl = l.seenTtl;
      seenMaxEntries = l.seenMaxEntries;
      messagesPerSecond = l.messagesPerSecond;
      messageBurst = l.messageBurst;
      bytesPerSecond = l.bytesPerSecond;
      byteBurst = l.byteBurst;
      writeBufferHighWaterMark = l.writeBufferHighWaterMark;
      slowPeerTimeout = l.slowPeerTimeout;
      banThreshold = l.banThreshold;
      banDuration = l.banDuration;
      scoreRecoveryPerSecond = l.scoreRecoveryPerSecond;
      maxInboundRequestsPerPeer = l.maxInboundRequestsPerPeer;
      defaultProtocolLimits = l.defaultProtocolLimits;
      ioThreads = l.ioThreads;
    }

    public Builder maxFrameBytes(int v) {
      maxFrameBytes = v;
      return this;
    }

    public Builder maxPeers(int v) {
      maxPeers = v;
      return this;
    }

    public Builder maxPendingHandshakes(int v) {
      maxPendingHandshakes = v;
      return this;
    }

    public Builder maxKnownPeers(int v) {
      maxKnownPeers = v;
      return this;
    }

    public Builder maxDialsPerTick(int v) {
      maxDialsPerTick = v;
      return this;
    }

    public Builder handshakeTimeout(Duration v) {
      handshakeTimeout = v;
      return this;
    }

    public Builder idleTimeout(Duration v) {
      idleTimeout = v;
      return this;
    }

    public Builder pingInterval(Duration v) {
      pingInterval = v;
      return this;
    }

    public Builder maintenanceInterval(Duration v) {
      maintenanceInterval = v;
      return this;
    }

    public Builder pexInterval(Duration v) {
      pexInterval = v;
      return this;
    }

    public Builder reconnect(Duration base, Duration max) {
      reconnectBase = base;
      reconnectMax = max;
      return this;
    }

    public Builder maxDialFailures(int v) {
      maxDialFailures = v;
      return this;
    }

    public Builder gossipFanOut(int v) {
      gossipFanOut = v;
      return this;
    }

    public Builder seenCache(Duration ttl, int maxEntries) {
      seenTtl = ttl;
      seenMaxEntries = maxEntries;
      return this;
    }

    public Builder messageRate(double perSecond, double burst) {
      messagesPerSecond = perSecond;
      messageBurst = burst;
      return this;
    }

    public Builder byteRate(double perSecond, double burst) {
      bytesPerSecond = perSecond;
      byteBurst = burst;
      return this;
    }

    public Builder writeBufferHighWaterMark(int v) {
      writeBufferHighWaterMark = v;
      return this;
    }

    public Builder slowPeerTimeout(Duration v) {
      slowPeerTimeout = v;
      return this;
    }

    public Builder ban(double threshold, Duration duration) {
      banThreshold = threshold;
      banDuration = duration;
      return this;
    }

    public Builder scoreRecoveryPerSecond(double v) {
      scoreRecoveryPerSecond = v;
      return this;
    }

    public Builder maxInboundRequestsPerPeer(int v) {
      maxInboundRequestsPerPeer = v;
      return this;
    }

    public Builder defaultProtocolLimits(ProtocolLimits v) {
      defaultProtocolLimits = v;
      return this;
    }

    public Builder ioThreads(int v) {
      ioThreads = v;
      return this;
    }

    public P2pLimits build() {
      return new P2pLimits(
          maxFrameBytes,
          maxPeers,
          maxPendingHandshakes,
          maxKnownPeers,
          maxDialsPerTick,
          handshakeTimeout,
          idleTimeout,
          pingInterval,
          maintenanceInterval,
          pexInterval,
          reconnectBase,
          reconnectMax,
          maxDialFailures,
          gossipFanOut,
          seenTtl,
          seenMaxEntries,
          messagesPerSecond,
          messageBurst,
          bytesPerSecond,
          byteBurst,
          writeBufferHighWaterMark,
          slowPeerTimeout,
          banThreshold,
          banDuration,
          scoreRecoveryPerSecond,
          maxInboundRequestsPerPeer,
          defaultProtocolLimits,
          ioThreads);
    }
  }
}
