package io.axivon.consensus.engine;

/**
 * The step within a round, in order. {@code COMMIT} is the pause after a decision (CometBFT's
 * timeout_commit) before round 0 of the next height: it gives slower validators' precommits time to
 * arrive and keeps a lone validator from deciding heights without end inside one step.
 */
public enum Step {
  PROPOSE,
  PREVOTE,
  PRECOMMIT,
  COMMIT
}
