package io.axivon.consensus.engine;

import java.util.List;

/** The result of one engine step: the next state and what to do. */
public record Transition(State state, List<Effect> effects) {}
