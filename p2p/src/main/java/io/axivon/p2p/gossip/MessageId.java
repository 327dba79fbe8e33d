package io.axivon.p2p.gossip;

/**
 * A gossip message's node-local id for de-duplication: the two 61-bit halves of the keyed hash made
 * by {@link MessageIdHasher}. Ids of different nodes are not comparable, and an id never leaves the
 * node that made it.
 */
public record MessageId(long high, long low) {}
