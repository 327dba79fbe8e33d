package io.axivon.p2p;

import java.net.InetSocketAddress;
import java.util.Set;

/**
 * A connected peer as seen now.
 *
 * @param listenAddress where others can dial it, or null if it does not listen
 * @param outbound whether we dialed it
 * @param score its misbehaviour score (0 is clean, lower is worse)
 * @param topics the topics it announced
 */
public record PeerInfo(
    NodeId id,
    InetSocketAddress remoteAddress,
    PeerAddress listenAddress,
    boolean outbound,
    double score,
    Set<String> topics) {}
