package io.axivon.consensus.engine;

/** A timeout of {@code step} in {@code (height, round)}; it fires as {@link Event.TimeoutFired}. */
public record Timeout(long height, int round, Step step) {}
