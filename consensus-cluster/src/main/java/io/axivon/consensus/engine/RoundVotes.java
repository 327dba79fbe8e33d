package io.axivon.consensus.engine;

import io.axivon.consensus.types.VoteType;

/** Prevotes and precommits of one round. */
public record RoundVotes(VoteSet prevotes, VoteSet precommits) {
  public static final RoundVotes EMPTY = new RoundVotes(VoteSet.EMPTY, VoteSet.EMPTY);

  public VoteSet of(VoteType type) {
    return type == VoteType.PREVOTE ? prevotes : precommits;
  }

  public RoundVotes with(VoteType type, VoteSet set) {
    return type == VoteType.PREVOTE
        ? new RoundVotes(set, precommits)
        : new RoundVotes(prevotes, set);
  }
}
