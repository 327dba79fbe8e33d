package io.axivon.consensus.engine;

import io.axivon.consensus.app.Application;
import io.axivon.consensus.app.FinalizeResult;
import io.axivon.consensus.app.ProposalBody;
import io.axivon.consensus.app.ValidatorUpdate;
import io.axivon.consensus.types.Block;
import io.axivon.consensus.types.BlockHeader;
import io.axivon.consensus.types.CommitCertificate;
import io.axivon.consensus.types.Evidence;
import io.axivon.consensus.types.Proposal;
import io.axivon.consensus.types.ProposerRotation;
import io.axivon.consensus.types.SignatureVerifier;
import io.axivon.consensus.types.Signer;
import io.axivon.consensus.types.Validator;
import io.axivon.consensus.types.ValidatorSet;
import io.axivon.consensus.types.Vote;
import io.axivon.consensus.types.VoteType;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import org.apache.tuweni.bytes.Bytes;
import org.apache.tuweni.bytes.Bytes32;

/**
 * Tendermint consensus (Buchman, Kwon, Milosevic: "The latest gossip on BFT consensus", algorithm
 * 1) as a function {@code (State, Event) -> (State, effects)}: no threads, clock or I/O. Timeouts
 * are effects and events; signing goes through the injected {@link Signer}; the application is
 * called synchronously, like ABCI, and must be deterministic.
 *
 * <p>Rules are tried in a loop after every event until none fires, so their order never matters and
 * every "upon" is evaluated on the latest state. Rule numbers refer to the paper's lines.
 */
public class Engine {
  /** Votes and proposals this far beyond the current round are dropped (bounds memory). */
  public static final int MAX_ROUNDS_AHEAD = 1_000;

  private final EngineConfig config;
  private final Application app;
  private final Signer signer;
  private final SignatureVerifier verifier;

  public Engine(EngineConfig config, Application app, Signer signer, SignatureVerifier verifier) {
    this.config = config;
    this.app = app;
    this.signer = signer;
    this.verifier = verifier;
  }

  public EngineConfig config() {
    return config;
  }

  /** Starts at {@code height} (1 for genesis) in round 0, with no validator change pending. */
  public Transition start(
      long height, ValidatorSet validators, Bytes32 parentHash, Bytes32 appHash) {
    return start(
        height, validators, validators, ProposerRotation.initial(validators), parentHash, appHash);
  }

  public Transition start(
      long height,
      ValidatorSet validators,
      ValidatorSet nextValidators,
      ProposerRotation rotation,
      Bytes32 parentHash,
      Bytes32 appHash) {
    Run run =
        new Run(State.initial(height, validators, nextValidators, rotation, parentHash, appHash));
    run.startRound(0);
    run.process();
    return run.finish();
  }

  /**
   * Resumes from a state kept across a crash ({@link State#persisted()}): re-counts its own
   * messages and restarts its round, re-sending what it signed there rather than signing again.
   */
  public Transition resume(State persisted) {
    Run run = new Run(persisted.persisted());
    for (Proposal p : persisted.ownProposals().values()) {
      run.proposals.put(p.round(), p);
    }
    for (Vote v : persisted.ownPrevotes().values()) {
      run.count(v);
    }
    for (Vote v : persisted.ownPrecommits().values()) {
      run.count(v);
    }
    run.startRound(persisted.round());
    run.process();
    return run.finish();
  }

  /** One step of the state machine. */
  public Transition step(State state, Event event) {
    Run run = new Run(state);
    switch (event) {
      case Event.ProposalReceived e -> run.onProposal(e.proposal());
      case Event.VoteReceived e -> run.onVote(e.vote());
      case Event.TimeoutFired e -> run.onTimeout(e.timeout());
      case Event.DecisionReceived e -> run.onDecision(e.block(), e.precommits());
      case Event.CommitReceived e -> run.onCommit(e.block(), e.commit());
    }
    run.process();
    return run.finish();
  }

  /** The proposer of {@code round} at the state's height. */
  public static int proposer(State state, int round) {
    return state.rotation().advance(round + 1).proposer();
  }

  /**
   * Whether to prevote for a proposal whose value is {@code v} with proof-of-lock round {@code vr}
   * (lines 23 and 30). Overridable only by tests that need a broken engine.
   */
  protected boolean lockAllows(State s, Block v, int vr) {
    if (config.skipLockRule()) {
      return true;
    }
    boolean lockedOnV = s.lockedValue() != null && s.lockedValue().hash().equals(v.hash());
    return vr < 0 ? s.lockedRound() == -1 || lockedOnV : s.lockedRound() <= vr || lockedOnV;
  }

  /** A mutable working copy of a state for the duration of one step. */
  private final class Run {
    long height;
    int round;
    Step step;
    ValidatorSet validators;
    Bytes32 validatorsHash;
    ValidatorSet nextValidators;
    ProposerRotation rotation;
    Bytes32 parentHash;
    Bytes32 appHash;
    Block lockedValue;
    int lockedRound;
    Block validValue;
    int validRound;
    Map<Integer, Proposal> proposals;
    Map<Integer, RoundVotes> votes;
    boolean prevoteTimeoutDone;
    boolean precommitTimeoutDone;
    boolean polkaDone;
    Map<Integer, Proposal> ownProposals;
    Map<Integer, Vote> ownPrevotes;
    Map<Integer, Vote> ownPrecommits;
    Map<Bytes32, Boolean> validity;
    int self;
    final List<Effect> effects = new ArrayList<>();

    Run(State s) {
      height = s.height();
      round = s.round();
      step = s.step();
      validators = s.validators();
      validatorsHash = s.validatorsHash();
      nextValidators = s.nextValidators();
      rotation = s.rotation();
      parentHash = s.parentHash();
      appHash = s.appHash();
      lockedValue = s.lockedValue();
      lockedRound = s.lockedRound();
      validValue = s.validValue();
      validRound = s.validRound();
      proposals = State.copy(s.proposals());
      votes = State.copy(s.votes());
      prevoteTimeoutDone = s.prevoteTimeoutDone();
      precommitTimeoutDone = s.precommitTimeoutDone();
      polkaDone = s.polkaDone();
      ownProposals = State.copy(s.ownProposals());
      ownPrevotes = State.copy(s.ownPrevotes());
      ownPrecommits = State.copy(s.ownPrecommits());
      validity = State.copy(s.validity());
      self = config.self() == null ? -1 : validators.indexOf(config.self());
    }

    State snapshot() {
      return new State(
          height,
          round,
          step,
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
          sorted(proposals),
          sorted(votes),
          prevoteTimeoutDone,
          precommitTimeoutDone,
          polkaDone,
          sorted(ownProposals),
          sorted(ownPrevotes),
          sorted(ownPrecommits),
          Map.copyOf(validity));
    }

    Transition finish() {
      return new Transition(snapshot(), List.copyOf(effects));
    }

    int proposerOf(int r) {
      return rotation.advance(r + 1).proposer();
    }

    // ---- lines 11-21: StartRound ----
    void startRound(int r) {
      round = r;
      step = Step.PROPOSE;
      prevoteTimeoutDone = false;
      precommitTimeoutDone = false;
      polkaDone = false;
      if (self >= 0 && proposerOf(r) == self) {
        Proposal p = ownProposals.get(r);
        if (p == null) {
          boolean reuse = validValue != null && !config.skipLockRule();
          Block value = reuse ? validValue : newBlock();
          int pol = reuse ? validRound : -1;
          p = Proposal.sign(config.chainId(), signer, r, pol, value, self);
          ownProposals.put(r, p);
        }
        proposals.putIfAbsent(r, p);
        effects.add(new Effect.Broadcast(p));
      } else {
        schedule(Step.PROPOSE);
      }
    }

    Block newBlock() {
      ProposalBody body = app.prepareProposal(height, config.maxBlockBytes());
      List<Bytes> txs = body.transactions();
      BlockHeader header =
          new BlockHeader(
              config.chainId(),
              height,
              body.timeMillis(),
              parentHash,
              Block.txRoot(txs, body.evidence(), body.setChanges()),
              appHash,
              validatorsHash,
              nextValidators.hash(),
              self);
      return new Block(header, txs, body.evidence(), body.setChanges());
    }

    void schedule(Step s) {
      effects.add(
          new Effect.ScheduleTimeout(
              new Timeout(height, round, s), config.timeouts().duration(s, round)));
    }

    /** Signs (or re-sends what was already signed for this round) and counts a vote. */
    void vote(VoteType type, Optional<Bytes32> value) {
      if (self < 0) {
        return;
      }
      Map<Integer, Vote> own = type == VoteType.PREVOTE ? ownPrevotes : ownPrecommits;
      Vote v = own.get(round);
      if (v == null) {
        v = Vote.sign(config.chainId(), signer, type, height, round, value, self);
        own.put(round, v);
      }
      count(v);
      effects.add(new Effect.Broadcast(v));
    }

    void count(Vote v) {
      RoundVotes rv = votes.getOrDefault(v.round(), RoundVotes.EMPTY);
      VoteSet.Added added = rv.of(v.type()).add(v, validators.power(v.validatorIndex()));
      added.conflict().ifPresent(c -> effects.add(new Effect.EvidenceFound(Evidence.of(c, v))));
      if (added.fresh()) {
        votes.put(v.round(), rv.with(v.type(), added.set()));
      }
    }

    // ---- inputs ----
    void onProposal(Proposal p) {
      if (p.height() != height) {
        return;
      }
      if (p.round() > round + MAX_ROUNDS_AHEAD) {
        effects.add(new Effect.Dropped(p, "round too far ahead"));
        return;
      }
      if (p.proposerIndex() != proposerOf(p.round())) {
        effects.add(new Effect.Dropped(p, "not the proposer of round " + p.round()));
        return;
      }
      if (proposals.containsKey(p.round())) {
        return;
      }
      if (!p.verify(config.chainId(), validators, verifier)) {
        effects.add(new Effect.Dropped(p, "bad proposal signature"));
        return;
      }
      proposals.put(p.round(), p);
    }

    void onVote(Vote v) {
      if (v.height() < height) {
        if (self >= 0 && v.validatorIndex() < validators.size() && v.validatorIndex() != self) {
          effects.add(new Effect.SendDecision(v.validatorIndex(), v.height()));
        }
        return;
      }
      if (v.height() > height) {
        return;
      }
      if (v.validatorIndex() >= validators.size()) {
        effects.add(new Effect.Dropped(v, "unknown validator " + v.validatorIndex()));
        return;
      }
      if (v.round() > round + MAX_ROUNDS_AHEAD) {
        effects.add(new Effect.Dropped(v, "round too far ahead"));
        return;
      }
      if (votes.getOrDefault(v.round(), RoundVotes.EMPTY).of(v.type()).contains(v)) {
        return;
      }
      if (!v.verify(config.chainId(), validators, verifier)) {
        effects.add(new Effect.Dropped(v, "bad vote signature"));
        return;
      }
      count(v);
    }

    // ---- lines 57-67: timeouts ----
    void onTimeout(Timeout t) {
      if (t.height() != height || t.round() != round) {
        return;
      }
      switch (t.step()) {
        case PROPOSE -> {
          if (step == Step.PROPOSE) {
            vote(VoteType.PREVOTE, Optional.empty());
            step = Step.PREVOTE;
          }
        }
        case PREVOTE -> {
          if (step == Step.PREVOTE) {
            vote(VoteType.PRECOMMIT, Optional.empty());
            step = Step.PRECOMMIT;
          }
        }
        case PRECOMMIT -> startRound(round + 1);
        case COMMIT -> {
          if (step == Step.COMMIT) {
            startRound(0);
          }
        }
      }
    }

    void onDecision(Block block, List<Vote> precommits) {
      if (block.height() != height || precommits.isEmpty()) {
        return;
      }
      int r = precommits.getFirst().round();
      Set<Integer> seen = new HashSet<>();
      long power = 0;
      for (Vote v : precommits) {
        if (v.type() != VoteType.PRECOMMIT
            || v.height() != height
            || v.round() != r
            || !v.blockHash().equals(Optional.of(block.hash()))
            || v.validatorIndex() >= validators.size()
            || !seen.add(v.validatorIndex())
            || !v.verify(config.chainId(), validators, verifier)) {
          effects.add(new Effect.Dropped(block, "decision with an invalid precommit"));
          return;
        }
        power += validators.power(v.validatorIndex());
      }
      if (!validators.isQuorum(power) || !structurallyValid(block)) {
        effects.add(new Effect.Dropped(block, "decision without quorum or not on our chain"));
        return;
      }
      decide(block, r, precommits, null);
    }

    void onCommit(Block block, CommitCertificate commit) {
      if (block.height() != height || commit.height() != height) {
        return;
      }
      if (!commit.blockHash().equals(block.hash())
          || !verifier.verifyCommit(config.chainId(), validators, commit)
          || !structurallyValid(block)) {
        effects.add(new Effect.Dropped(block, "synced block with an invalid commit certificate"));
        return;
      }
      decide(block, commit.round(), List.of(), commit);
    }

    // ---- the upon rules ----
    void process() {
      while (step != Step.COMMIT
          && (ruleDecide()
              || ruleRoundSkip()
              || ruleProposal()
              || ruleProposalWithPolka()
              || rulePrevoteTimeout()
              || rulePolka()
              || rulePrevoteNil()
              || rulePrecommitTimeout())) {
        // Keep going: a rule fired and may enable another.
      }
    }

    RoundVotes current() {
      return votes.getOrDefault(round, RoundVotes.EMPTY);
    }

    boolean valid(Block b) {
      Bytes32 hash = b.hash();
      Boolean known = validity.get(hash);
      if (known == null) {
        known = structurallyValid(b) && app.processProposal(b);
        validity.put(hash, known);
      }
      return known;
    }

    boolean structurallyValid(Block b) {
      BlockHeader h = b.header();
      return h.height() == height
          && h.chainId().equals(config.chainId())
          && h.parentHash().equals(parentHash)
          && h.appHash().equals(appHash)
          && h.validatorsHash().equals(validatorsHash)
          && h.nextValidatorsHash().equals(nextValidators.hash())
          && h.proposerIndex() < validators.size()
          && b.txRootMatches();
    }

    // lines 22-27
    boolean ruleProposal() {
      Proposal p = proposals.get(round);
      if (step != Step.PROPOSE || p == null || p.polRound() != -1) {
        return false;
      }
      Block v = p.block();
      boolean ok = valid(v) && lockAllows(snapshotLocks(), v, -1);
      vote(VoteType.PREVOTE, ok ? Optional.of(v.hash()) : Optional.empty());
      step = Step.PREVOTE;
      return true;
    }

    // lines 28-33
    boolean ruleProposalWithPolka() {
      Proposal p = proposals.get(round);
      if (step != Step.PROPOSE || p == null || p.polRound() < 0 || p.polRound() >= round) {
        return false;
      }
      Block v = p.block();
      RoundVotes polka = votes.getOrDefault(p.polRound(), RoundVotes.EMPTY);
      if (!validators.isQuorum(polka.prevotes().powerFor(Optional.of(v.hash())))) {
        return false;
      }
      boolean ok = valid(v) && lockAllows(snapshotLocks(), v, p.polRound());
      vote(VoteType.PREVOTE, ok ? Optional.of(v.hash()) : Optional.empty());
      step = Step.PREVOTE;
      return true;
    }

    /** Just enough of the state for {@link Engine#lockAllows}. */
    State snapshotLocks() {
      return new State(
          height,
          round,
          step,
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
          Map.of(),
          Map.of(),
          Map.of(),
          Map.of());
    }

    // lines 34-35
    boolean rulePrevoteTimeout() {
      if (step != Step.PREVOTE
          || prevoteTimeoutDone
          || !validators.isQuorum(current().prevotes().power())) {
        return false;
      }
      prevoteTimeoutDone = true;
      schedule(Step.PREVOTE);
      return true;
    }

    // lines 36-43
    boolean rulePolka() {
      Proposal p = proposals.get(round);
      if (step == Step.PROPOSE || polkaDone || p == null) {
        return false;
      }
      Block v = p.block();
      if (!validators.isQuorum(current().prevotes().powerFor(Optional.of(v.hash()))) || !valid(v)) {
        return false;
      }
      polkaDone = true;
      if (step == Step.PREVOTE) {
        lockedValue = v;
        lockedRound = round;
        vote(VoteType.PRECOMMIT, Optional.of(v.hash()));
        step = Step.PRECOMMIT;
      }
      validValue = v;
      validRound = round;
      return true;
    }

    // lines 44-46
    boolean rulePrevoteNil() {
      if (step != Step.PREVOTE
          || !validators.isQuorum(current().prevotes().powerFor(Optional.empty()))) {
        return false;
      }
      vote(VoteType.PRECOMMIT, Optional.empty());
      step = Step.PRECOMMIT;
      return true;
    }

    // lines 47-48
    boolean rulePrecommitTimeout() {
      if (precommitTimeoutDone || !validators.isQuorum(current().precommits().power())) {
        return false;
      }
      precommitTimeoutDone = true;
      schedule(Step.PRECOMMIT);
      return true;
    }

    // lines 49-54; the block may come from any round's proposal: its hash names it.
    boolean ruleDecide() {
      for (var entry : new TreeSet<>(votes.keySet())) {
        VoteSet pcs = votes.get(entry).precommits();
        for (var tally : pcs.powerByValue().entrySet()) {
          if (tally.getKey().isEmpty() || !validators.isQuorum(tally.getValue())) {
            continue;
          }
          Bytes32 hash = tally.getKey().get();
          for (Proposal p : proposals.values()) {
            if (p.block().hash().equals(hash) && valid(p.block())) {
              decide(p.block(), entry, pcs.votesFor(tally.getKey()), null);
              return true;
            }
          }
        }
      }
      return false;
    }

    // lines 55-56
    boolean ruleRoundSkip() {
      Set<Integer> rounds = new TreeSet<>(votes.keySet());
      rounds.addAll(proposals.keySet());
      int target = -1;
      for (int r : rounds) {
        if (r <= round) {
          continue;
        }
        Set<Integer> senders = new HashSet<>();
        RoundVotes rv = votes.getOrDefault(r, RoundVotes.EMPTY);
        senders.addAll(rv.prevotes().byValidator().keySet());
        senders.addAll(rv.precommits().byValidator().keySet());
        if (proposals.containsKey(r)) {
          senders.add(proposals.get(r).proposerIndex());
        }
        long power = 0;
        for (int i : senders) {
          power += validators.power(i);
        }
        if (validators.isOneThird(power)) {
          target = r;
        }
      }
      if (target < 0) {
        return false;
      }
      startRound(target);
      return true;
    }

    void decide(Block block, int r, List<Vote> precommits, CommitCertificate certificate) {
      // Not app.commit(): the driver commits once it has stored the block, so that an application
      // never holds a block its node's block store lacks (which a crash could otherwise leave).
      FinalizeResult result = app.finalizeBlock(block);
      effects.add(new Effect.Decided(block, r, precommits, result, certificate));
      // Changes from this block apply from height + 2: the next height's set was fixed (and named
      // in this block's header) one block ago. The rotation moves one step per height, never by the
      // decision round: nodes may decide the same block in different rounds (or learn it from a
      // commit certificate of yet another round), and the next proposer must not depend on that.
      ProposerRotation next = rotation.advance(1);
      if (!nextValidators.equals(validators)) {
        validators = nextValidators;
        next = ProposerRotation.initial(validators);
      }
      if (!result.validatorUpdates().isEmpty()) {
        nextValidators = apply(validators, result.validatorUpdates());
      }
      height++;
      rotation = next;
      validatorsHash = validators.hash();
      parentHash = block.hash();
      appHash = result.appHash();
      lockedValue = null;
      lockedRound = -1;
      validValue = null;
      validRound = -1;
      proposals = new HashMap<>();
      votes = new HashMap<>();
      ownProposals = new HashMap<>();
      ownPrevotes = new HashMap<>();
      ownPrecommits = new HashMap<>();
      validity = new HashMap<>();
      self = config.self() == null ? -1 : validators.indexOf(config.self());
      round = 0;
      step = Step.COMMIT;
      prevoteTimeoutDone = false;
      precommitTimeoutDone = false;
      polkaDone = false;
      schedule(Step.COMMIT);
    }
  }

  /** An immutable copy iterating in round order, so that drivers iterate deterministically. */
  private static <V> Map<Integer, V> sorted(Map<Integer, V> m) {
    return java.util.Collections.unmodifiableMap(new java.util.TreeMap<>(m));
  }

  /** The set after {@code updates}: new power per key, 0 removes. */
  static ValidatorSet apply(ValidatorSet set, List<ValidatorUpdate> updates) {
    Map<io.axivon.common.crypto.bls.BlsPublicKey, Long> power = new HashMap<>();
    for (Validator v : set.validators()) {
      power.put(v.publicKey(), v.power());
    }
    for (ValidatorUpdate u : updates) {
      if (u.power() == 0) {
        power.remove(u.publicKey());
      } else {
        power.put(u.publicKey(), u.power());
      }
    }
    List<Validator> out = new ArrayList<>();
    power.forEach((k, p) -> out.add(new Validator(k, p)));
    return ValidatorSet.of(out);
  }
}
