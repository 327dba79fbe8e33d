package io.axivon.consensus.engine;

import io.axivon.consensus.types.Block;
import io.axivon.consensus.types.Proposal;
import io.axivon.consensus.types.ProposerRotation;
import io.axivon.consensus.types.ValidatorSet;
import io.axivon.consensus.types.Vote;
import java.util.HashMap;
import java.util.Map;
import org.apache.tuweni.bytes.Bytes32;

/**
 * The whole state of one node's engine: an immutable value. Names follow Tendermint's algorithm 1
 * ({@code h_p, round_p, step_p, lockedValue_p, lockedRound_p, validValue_p, validRound_p}); {@code
 * lockedValue} and {@code validValue} are null when the paper says nil.
 *
 * @param nextValidators the set of height + 1: the one this height's blocks name as next (changes
 *     the application returns for block h apply from h + 2)
 * @param rotation the proposer rotation at the start of this height; the proposer of round r is
 *     {@code rotation.advance(r + 1).proposer()}
 * @param parentHash hash of the block decided at {@code height - 1}
 * @param appHash application hash after that block
 * @param proposals the first valid-signed proposal of each round of this height
 * @param votes the votes of each round of this height
 * @param prevoteTimeoutDone rule 34 ran in this round
 * @param precommitTimeoutDone rule 47 ran in this round
 * @param polkaDone rule 36 ran in this round
 * @param ownProposals, ownPrevotes, ownPrecommits what this node signed at this height, by round:
 *     what a node persists so that after a crash it re-sends these instead of signing anew
 * @param validity cached {@code valid(v)} by block hash
 */
public record State(
    long height,
    int round,
    Step step,
    ValidatorSet validators,
    Bytes32 validatorsHash,
    ValidatorSet nextValidators,
    ProposerRotation rotation,
    Bytes32 parentHash,
    Bytes32 appHash,
    Block lockedValue,
    int lockedRound,
    Block validValue,
    int validRound,
    Map<Integer, Proposal> proposals,
    Map<Integer, RoundVotes> votes,
    boolean prevoteTimeoutDone,
    boolean precommitTimeoutDone,
    boolean polkaDone,
    Map<Integer, Proposal> ownProposals,
    Map<Integer, Vote> ownPrevotes,
    Map<Integer, Vote> ownPrecommits,
    Map<Bytes32, Boolean> validity) {

  /** The state a node keeps across a crash: height, round, locks and its own signed messages. */
  public State persisted() {
    return new State(
        height,
        round,
        Step.PROPOSE,
        validators,
        validatorsHash,
        nextValidators,
        rotation,
        parentHash,
        appHash,
        lockedValue,
        lockedRound,
        validValue,
        validRound,
        Map.of(),
        Map.of(),
        false,
        false,
        false,
        ownProposals,
        ownPrevotes,
        ownPrecommits,
        Map.of());
  }

  /** This state in another round of its height, everything else kept (a resume past a round). */
  public State inRound(int newRound) {
    return with(newRound, lockedValue, lockedRound, validValue, validRound);
  }

  /** This state with other locked and valid values (null and -1 for none), everything else kept. */
  public State withValues(Block locked, int lockedRoundOf, Block valid, int validRoundOf) {
    return with(round, locked, lockedRoundOf, valid, validRoundOf);
  }

  private State with(int newRound, Block locked, int lockedRoundOf, Block valid, int validRoundOf) {
    return new State(
        height,
        newRound,
        step,
        validators,
        validatorsHash,
        nextValidators,
        rotation,
        parentHash,
        appHash,
        locked,
        lockedRoundOf,
        valid,
        validRoundOf,
        proposals,
        votes,
        prevoteTimeoutDone,
        precommitTimeoutDone,
        polkaDone,
        ownProposals,
        ownPrevotes,
        ownPrecommits,
        validity);
  }

  /**
   * The state at the start of {@code height}: round 0, nothing locked, seen or signed.
   *
   * @param rotation the proposer rotation at the start of the height
   */
  public static State initial(
      long height,
      ValidatorSet validators,
      ValidatorSet nextValidators,
      ProposerRotation rotation,
      Bytes32 parentHash,
      Bytes32 appHash) {
    return new State(
        height,
        0,
        Step.PROPOSE,
        validators,
        validators.hash(),
        nextValidators,
        rotation,
        parentHash,
        appHash,
        null,
        -1,
        null,
        -1,
        Map.of(),
        Map.of(),
        false,
        false,
        false,
        Map.of(),
        Map.of(),
        Map.of(),
        Map.of());
  }

  static <K, V> Map<K, V> copy(Map<K, V> m) {
    return new HashMap<>(m);
  }
}
