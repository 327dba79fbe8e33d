package io.axivon.consensus.engine;

import io.axivon.consensus.app.FinalizeResult;
import io.axivon.consensus.types.Block;
import io.axivon.consensus.types.CommitCertificate;
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
   * already finalized in the application, giving {@code result}; the driver stores it and then
   * calls {@link io.axivon.consensus.app.Application#commit()}. A block decided through {@link
   * Event.CommitReceived} carries its {@code certificate} and no precommits.
   */
  record Decided(
      Block block,
      int round,
      List<Vote> precommits,
      FinalizeResult result,
      CommitCertificate certificate)
      implements Effect {
    /** Decided from individual precommits (the certificate is built from them by the driver). */
    public Decided(Block block, int round, List<Vote> precommits, FinalizeResult result) {
      this(block, round, precommits, result, null);
    }

    /** The certificate block sync delivered, if it was decided that way (then no precommits). */
    public java.util.Optional<CommitCertificate> syncedCertificate() {
      return java.util.Optional.ofNullable(certificate);
    }
  }

  /** A validator equivocated. */
  record EvidenceFound(Evidence evidence) implements Effect {}

  /** Validator {@code peer} is still at {@code height}: send it that height's decision. */
  record SendDecision(int peer, long height) implements Effect {}

  /** A message was invalid (bad signature, unknown validator, wrong proposer, ...). */
  record Dropped(Object message, String reason) implements Effect {}
}
