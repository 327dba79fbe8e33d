package io.axivon.consensus.types;

/** A message validators exchange within a height: a proposal or a vote. */
public sealed interface ConsensusMessage permits Proposal, Vote {
  long height();

  int round();
}
