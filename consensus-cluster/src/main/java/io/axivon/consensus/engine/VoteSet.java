package io.axivon.consensus.engine;

import io.axivon.consensus.types.Vote;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.tuweni.bytes.Bytes32;

/**
 * The votes of one type in one round, tallied by power per value (block hash or nil). Immutable:
 * {@link #add} returns a new set.
 *
 * <p>An equivocating validator's votes for different values each count towards their own value (up
 * to {@link #MAX_VALUES_PER_VALIDATOR}), while {@link #power()} counts every validator once. That
 * is safe (two quorums still share an honest validator, who never votes twice) and needed for
 * liveness: otherwise which of its votes a node happened to see first could hide a quorum others
 * rely on. CometBFT reaches the same end with peer-claimed majorities.
 */
public record VoteSet(
    Map<Integer, List<Vote>> byValidator, Map<Optional<Bytes32>, Long> powerByValue, long power) {
  public static final int MAX_VALUES_PER_VALIDATOR = 4;
  public static final VoteSet EMPTY = new VoteSet(Map.of(), Map.of(), 0);

  /**
   * The outcome of adding a vote: the new set, the validator's first vote if this one conflicts
   * with it, and whether the vote was new.
   */
  public record Added(VoteSet set, Optional<Vote> conflict, boolean fresh) {}

  /** Adds {@code vote} worth {@code votePower}. */
  public Added add(Vote vote, long votePower) {
    List<Vote> held = byValidator.getOrDefault(vote.validatorIndex(), List.of());
    for (Vote h : held) {
      if (h.blockHash().equals(vote.blockHash())) {
        return new Added(this, Optional.empty(), false);
      }
    }
    Optional<Vote> conflict = held.isEmpty() ? Optional.empty() : Optional.of(held.getFirst());
    if (held.size() >= MAX_VALUES_PER_VALIDATOR) {
      return new Added(this, conflict, false);
    }
    List<Vote> now = new ArrayList<>(held);
    now.add(vote);
    Map<Integer, List<Vote>> votes = new HashMap<>(byValidator);
    votes.put(vote.validatorIndex(), List.copyOf(now));
    Map<Optional<Bytes32>, Long> tally = new HashMap<>(powerByValue);
    tally.merge(vote.blockHash(), votePower, Long::sum);
    return new Added(
        new VoteSet(votes, tally, held.isEmpty() ? power + votePower : power), conflict, true);
  }

  /** Whether exactly this vote is held. */
  public boolean contains(Vote vote) {
    return byValidator.getOrDefault(vote.validatorIndex(), List.of()).contains(vote);
  }

  public long powerFor(Optional<Bytes32> value) {
    return powerByValue.getOrDefault(value, 0L);
  }

  /** The votes for {@code value}, by validator index ascending. */
  public List<Vote> votesFor(Optional<Bytes32> value) {
    List<Vote> out = new ArrayList<>();
    for (List<Vote> vs : byValidator.values()) {
      for (Vote v : vs) {
        if (v.blockHash().equals(value)) {
          out.add(v);
        }
      }
    }
    out.sort(Comparator.comparingInt(Vote::validatorIndex));
    return out;
  }

  /** Every vote held. */
  public List<Vote> all() {
    List<Vote> out = new ArrayList<>();
    byValidator.values().forEach(out::addAll);
    return out;
  }
}
