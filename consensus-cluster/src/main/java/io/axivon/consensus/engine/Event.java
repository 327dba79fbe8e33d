package io.axivon.consensus.engine;

import io.axivon.consensus.types.Block;
import io.axivon.consensus.types.CommitCertificate;
import io.axivon.consensus.types.Proposal;
import io.axivon.consensus.types.Vote;
import java.util.List;

/** What can happen to an engine. */
public sealed interface Event {
  /** A proposal arrived (from the network, unverified). */
  record ProposalReceived(Proposal proposal) implements Event {}

  /** A vote arrived (from the network, unverified). */
  record VoteReceived(Vote vote) implements Event {}

  /** A timeout the engine scheduled has expired. */
  record TimeoutFired(Timeout timeout) implements Event {}

  /**
   * A peer sent a decided block with its quorum of precommits (catch-up for a node that fell
   * behind, in place of block sync in this slice).
   */
  record DecisionReceived(Block block, List<Vote> precommits) implements Event {}

  /**
   * Block sync fetched the block of the current height with its commit certificate (the aggregate
   * of a quorum of precommits); the engine verifies it against the height's validator set.
   */
  record CommitReceived(Block block, CommitCertificate commit) implements Event {}
}
