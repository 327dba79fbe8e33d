package io.axivon.consensus.engine;

import io.axivon.consensus.app.FinalizeResult;
import io.axivon.consensus.types.Block;
import io.axivon.consensus.types.ConsensusMessage;
import io.axivon.consensus.types.Evidence;
import io.axivon.consensus.types.Vote;
import java.util.List;

/** What the engine asks its driver to do. */
public sealed interface Effect {
  /** Send to all validators (the engine has already counted its own message). */
  record Broadcast(ConsensusMessage message) implements Effect {}

  /** Deliver {@link Event.TimeoutFired} with {@code timeout} after {@code delayMillis}. */
  record ScheduleTimeout(Timeout timeout, long delayMillis) implements Effect {}

  /**
   * {@code block} is final with {@code precommits} (a quorum of round {@code round}) and was
   * already finalized and committed in the application, giving {@code result}.
   */
  record Decided(Block block, int round, List<Vote> precommits, FinalizeResult result)
      implements Effect {}

  /** A validator equivocated. */
  record EvidenceFound(Evidence evidence) implements Effect {}

  /** Validator {@code peer} is still at {@code height}: send it that height's decision. */
  record SendDecision(int peer, long height) implements Effect {}

  /** A message was invalid (bad signature, unknown validator, wrong proposer, ...). */
  record Dropped(Object message, String reason) implements Effect {}
}
