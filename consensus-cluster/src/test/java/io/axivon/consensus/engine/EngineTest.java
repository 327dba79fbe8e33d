package io.axivon.consensus.engine;

import static org.assertj.core.api.Assertions.assertThat;

import io.axivon.common.crypto.bls.BlsPublicKey;
import io.axivon.consensus.app.KvApplication;
import io.axivon.consensus.sim.SimKeys;
import io.axivon.consensus.types.Block;
import io.axivon.consensus.types.BlockHeader;
import io.axivon.consensus.types.Proposal;
import io.axivon.consensus.types.Validator;
import io.axivon.consensus.types.ValidatorSet;
import io.axivon.consensus.types.Vote;
import io.axivon.consensus.types.VoteType;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.apache.tuweni.bytes.Bytes;
import org.apache.tuweni.bytes.Bytes32;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Drives one engine by hand through the rules of algorithm 1, four validators of power 10. */
class EngineTest {
  static final String CHAIN = "engine-test";
  static final TimeoutConfig TIMEOUTS = new TimeoutConfig(300, 100, 150, 50, 150, 50, 10);
  static final ValidatorSet SET = set();

  KvApplication app;
  Engine engine;
  State state;
  List<Effect> effects;
  int self;

  static ValidatorSet set() {
    List<Validator> vs = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      vs.add(new Validator(SimKeys.publicKey(i), 10));
    }
    return ValidatorSet.of(vs);
  }

  static BlsPublicKey key(int index) {
    return SET.get(index).publicKey();
  }

  /** Starts the engine as the validator at {@code index}. */
  void start(int index) {
    self = index;
    app = new KvApplication();
    app.submit(Bytes.wrap("a=1".getBytes(StandardCharsets.UTF_8)));
    engine =
        new Engine(
            EngineConfig.of(CHAIN, key(index), TIMEOUTS),
            app,
            SimKeys.signer(key(index)),
            SimKeys.VERIFIER);
    record(engine.start(1, SET, Bytes32.ZERO, Bytes32.ZERO));
  }

  void record(Transition t) {
    state = t.state();
    effects = t.effects();
  }

  void on(Event e) {
    record(engine.step(state, e));
  }

  Vote vote(int index, VoteType type, int round, Optional<Bytes32> hash) {
    return Vote.sign(CHAIN, SimKeys.signer(key(index)), type, state.height(), round, hash, index);
  }

  Block block(int proposer, String tx) {
    List<Bytes> txs = List.of(Bytes.wrap(tx.getBytes(StandardCharsets.UTF_8)));
    return new Block(
        new BlockHeader(
            CHAIN,
            state.height(),
            state.height() * 1000,
            state.parentHash(),
            Block.txRoot(txs),
            state.appHash(),
            SET.hash(),
            SET.hash(),
            proposer),
        txs);
  }

  Proposal proposal(int round, int polRound, Block b) {
    int proposer = Engine.proposer(state, round);
    return Proposal.sign(CHAIN, SimKeys.signer(key(proposer)), round, polRound, b, proposer);
  }

  <T> List<T> effects(Class<T> type) {
    return effects.stream().filter(type::isInstance).map(type::cast).toList();
  }

  List<Vote> sentVotes() {
    return effects(Effect.Broadcast.class).stream()
        .map(Effect.Broadcast::message)
        .filter(Vote.class::isInstance)
        .map(Vote.class::cast)
        .toList();
  }

  /** The index of a validator that is not the proposer of {@code round}, other than self. */
  int nonProposerPeer(int round, int... not) {
    for (int i = 0; i < 4; i++) {
      boolean excluded = i == Engine.proposer(state, round);
      for (int n : not) {
        excluded |= i == n;
      }
      if (!excluded) {
        return i;
      }
    }
    throw new IllegalStateException();
  }

  @BeforeEach
  void startAsNonProposer() {
    self = -1;
  }

  @Test
  void proposerProposesAndAllDecideOnPrevotesThenPrecommits() {
    start(0);
    int p = Engine.proposer(state, 0);
    start(p);
    List<Proposal> proposals =
        effects(Effect.Broadcast.class).stream()
            .map(Effect.Broadcast::message)
            .filter(Proposal.class::isInstance)
            .map(Proposal.class::cast)
            .toList();
    assertThat(proposals).hasSize(1);
    Block b = proposals.getFirst().block();
    assertThat(b.transactions()).extracting(Bytes::toHexString).containsExactly("0x613d31");
    // Its own proposal makes it prevote at once.
    assertThat(state.step()).isEqualTo(Step.PREVOTE);
    Optional<Bytes32> h = Optional.of(b.hash());
    int a = (p + 1) % 4;
    int c = (p + 2) % 4;
    on(new Event.VoteReceived(vote(a, VoteType.PREVOTE, 0, h)));
    assertThat(state.step()).isEqualTo(Step.PREVOTE);
    on(new Event.VoteReceived(vote(c, VoteType.PREVOTE, 0, h)));
    assertThat(state.step()).isEqualTo(Step.PRECOMMIT);
    assertThat(state.lockedRound()).isZero();
    assertThat(state.validRound()).isZero();
    assertThat(sentVotes()).extracting(Vote::type).containsExactly(VoteType.PRECOMMIT);
    on(new Event.VoteReceived(vote(a, VoteType.PRECOMMIT, 0, h)));
    assertThat(effects(Effect.Decided.class)).isEmpty();
    on(new Event.VoteReceived(vote(c, VoteType.PRECOMMIT, 0, h)));
    List<Effect.Decided> decided = effects(Effect.Decided.class);
    assertThat(decided).hasSize(1);
    assertThat(decided.getFirst().block()).isEqualTo(b);
    assertThat(decided.getFirst().precommits()).hasSize(3);
    assertThat(app.get("a")).isEqualTo("1");
    assertThat(state.height()).isEqualTo(2);
    assertThat(state.round()).isZero();
    assertThat(state.parentHash()).isEqualTo(b.hash());
    assertThat(state.lockedValue()).isNull();
  }

  @Test
  void timeoutsGrowLinearlyAndTimeoutProposePrevotesNil() {
    start(0);
    int me = nonProposerPeer(0);
    start(me);
    assertThat(effects(Effect.ScheduleTimeout.class))
        .containsExactly(new Effect.ScheduleTimeout(new Timeout(1, 0, Step.PROPOSE), 300));
    on(new Event.TimeoutFired(new Timeout(1, 0, Step.PROPOSE)));
    assertThat(sentVotes()).singleElement().satisfies(v -> assertThat(v.isNil()).isTrue());
    assertThat(TIMEOUTS.duration(Step.PROPOSE, 3)).isEqualTo(600);
    assertThat(TIMEOUTS.duration(Step.PRECOMMIT, 4)).isEqualTo(350);
    // A stale timeout does nothing.
    on(new Event.TimeoutFired(new Timeout(1, 0, Step.PROPOSE)));
    assertThat(effects).isEmpty();
  }

  @Test
  void prevoteQuorumForAnythingSchedulesPrevoteTimeoutThenPrecommitNil() {
    start(0);
    int me = nonProposerPeer(0);
    start(me);
    on(new Event.TimeoutFired(new Timeout(1, 0, Step.PROPOSE)));
    int[] others = {(me + 1) % 4, (me + 2) % 4};
    on(new Event.VoteReceived(vote(others[0], VoteType.PREVOTE, 0, Optional.of(Bytes32.ZERO))));
    on(
        new Event.VoteReceived(
            vote(
                others[1],
                VoteType.PREVOTE,
                0,
                Optional.of(Bytes32.fromHexString("01".repeat(32))))));
    assertThat(effects(Effect.ScheduleTimeout.class))
        .containsExactly(new Effect.ScheduleTimeout(new Timeout(1, 0, Step.PREVOTE), 150));
    on(new Event.TimeoutFired(new Timeout(1, 0, Step.PREVOTE)));
    assertThat(state.step()).isEqualTo(Step.PRECOMMIT);
    assertThat(sentVotes()).singleElement().satisfies(v -> assertThat(v.isNil()).isTrue());
  }

  @Test
  void lockedValidatorPrevotesNilForADifferentValueWithoutNewerPolka() {
    start(0);
    int me = nonProposerPeer(0);
    start(me);
    int p0 = Engine.proposer(state, 0);
    Block v = block(p0, "k=v");
    on(new Event.ProposalReceived(proposal(0, -1, v)));
    Optional<Bytes32> hv = Optional.of(v.hash());
    for (int i = 0, n = 0; i < 4 && n < 2; i++) {
      if (i != me) {
        on(new Event.VoteReceived(vote(i, VoteType.PREVOTE, 0, hv)));
        n++;
      }
    }
    assertThat(state.lockedValue()).isEqualTo(v);
    // Precommits for nil from the others: the round ends without a decision.
    for (int i = 0, n = 0; i < 4 && n < 2; i++) {
      if (i != me) {
        on(new Event.VoteReceived(vote(i, VoteType.PRECOMMIT, 0, Optional.empty())));
        n++;
      }
    }
    on(new Event.TimeoutFired(new Timeout(1, 0, Step.PRECOMMIT)));
    assertThat(state.round()).isEqualTo(1);
    int p1 = Engine.proposer(state, 1);
    if (p1 == me) {
      // It re-proposes its valid value with its proof-of-lock round.
      Proposal own = (Proposal) effects(Effect.Broadcast.class).getFirst().message();
      assertThat(own.block()).isEqualTo(v);
      assertThat(own.polRound()).isZero();
      return;
    }
    Block w = block(p1, "k=w");
    on(new Event.ProposalReceived(proposal(1, -1, w)));
    assertThat(sentVotes()).singleElement().satisfies(x -> assertThat(x.isNil()).isTrue());
    assertThat(state.lockedRound()).isZero();
  }

  @Test
  void fPlusOneMessagesOfAHigherRoundSkipToIt() {
    start(0);
    int me = nonProposerPeer(0);
    start(me);
    int a = (me + 1) % 4;
    int b = (me + 2) % 4;
    on(new Event.VoteReceived(vote(a, VoteType.PREVOTE, 5, Optional.empty())));
    assertThat(state.round()).isZero();
    on(new Event.VoteReceived(vote(b, VoteType.PRECOMMIT, 5, Optional.empty())));
    assertThat(state.round()).isEqualTo(5);
  }

  @Test
  void equivocationProducesEvidenceAndBadSignaturesAreDropped() {
    start(0);
    int me = nonProposerPeer(0);
    start(me);
    int a = (me + 1) % 4;
    Vote first = vote(a, VoteType.PREVOTE, 0, Optional.empty());
    Vote second = vote(a, VoteType.PREVOTE, 0, Optional.of(Bytes32.ZERO));
    on(new Event.VoteReceived(first));
    on(new Event.VoteReceived(second));
    assertThat(effects(Effect.EvidenceFound.class))
        .singleElement()
        .satisfies(e -> assertThat(e.evidence().validatorIndex()).isEqualTo(a));
    Vote forged = new Vote(VoteType.PRECOMMIT, 1, 0, Optional.empty(), a, first.signature());
    on(new Event.VoteReceived(forged));
    assertThat(effects(Effect.Dropped.class)).singleElement();
    Vote unknown = new Vote(VoteType.PRECOMMIT, 1, 0, Optional.empty(), 9, first.signature());
    on(new Event.VoteReceived(unknown));
    assertThat(effects(Effect.Dropped.class)).singleElement();
    int notProposer = nonProposerPeer(0, me);
    Block v = block(notProposer, "x=y");
    Proposal wrong = Proposal.sign(CHAIN, SimKeys.signer(key(notProposer)), 0, -1, v, notProposer);
    on(new Event.ProposalReceived(wrong));
    assertThat(effects(Effect.Dropped.class)).singleElement();
    assertThat(state.proposals()).isEmpty();
  }

  @Test
  void invalidProposalGetsNilPrevote() {
    start(0);
    int me = nonProposerPeer(0);
    start(me);
    Block bad = block(Engine.proposer(state, 0), "no-equals");
    on(new Event.ProposalReceived(proposal(0, -1, bad)));
    assertThat(sentVotes()).singleElement().satisfies(x -> assertThat(x.isNil()).isTrue());
  }

  @Test
  void resumeAfterCrashResendsWhatItSignedInsteadOfSigningAgain() {
    start(0);
    int me = nonProposerPeer(0);
    start(me);
    Block v = block(Engine.proposer(state, 0), "k=v");
    on(new Event.ProposalReceived(proposal(0, -1, v)));
    Vote prevote = sentVotes().getFirst();
    assertThat(prevote.blockHash()).contains(v.hash());
    State kept = state.persisted();
    // Restart with a fresh application and engine: the same prevote comes out again, and a timeout
    // (which would prevote nil) does not make it sign a second prevote.
    Engine fresh =
        new Engine(
            EngineConfig.of(CHAIN, key(me), TIMEOUTS),
            new KvApplication(),
            SimKeys.signer(key(me)),
            SimKeys.VERIFIER);
    engine = fresh;
    record(fresh.resume(kept));
    on(new Event.TimeoutFired(new Timeout(1, 0, Step.PROPOSE)));
    assertThat(sentVotes()).singleElement().isEqualTo(prevote);
  }

  @Test
  void lowerHeightVoteAsksDriverToSendTheDecision() {
    start(0);
    int me = nonProposerPeer(0);
    start(me);
    int a = (me + 1) % 4;
    State h2 = State.initial(2, SET, SET, state.rotation(), Bytes32.ZERO, Bytes32.ZERO);
    Vote old = vote(a, VoteType.PREVOTE, 0, Optional.empty());
    record(engine.step(h2, new Event.VoteReceived(old)));
    assertThat(effects).containsExactly(new Effect.SendDecision(a, 1));
  }

  @Test
  void loneBlsValidatorDecidesAndItsPrecommitsMakeAVerifiableCommitCertificate() {
    io.axivon.common.crypto.bls.BlsSecretKey sk =
        io.axivon.common.crypto.bls.BlsSecretKey.keyGen(Bytes.wrap(new byte[32]).not());
    ValidatorSet one = ValidatorSet.of(List.of(new Validator(sk.publicKey(), 5)));
    KvApplication kv = new KvApplication();
    kv.submit(Bytes.wrap("k=1".getBytes(StandardCharsets.UTF_8)));
    Engine e =
        new Engine(
            EngineConfig.of(CHAIN, sk.publicKey(), TIMEOUTS),
            kv,
            new io.axivon.consensus.types.BlsSigner(sk),
            io.axivon.consensus.types.BlsSigner.VERIFIER);
    Transition t = e.start(1, one, Bytes32.ZERO, Bytes32.ZERO);
    Effect.Decided d =
        t.effects().stream()
            .filter(Effect.Decided.class::isInstance)
            .map(Effect.Decided.class::cast)
            .findFirst()
            .orElseThrow();
    var cert = io.axivon.consensus.types.CommitCertificate.fromVotes(one, d.precommits());
    cert.verify(CHAIN, one);
    assertThat(cert.blockHash()).isEqualTo(d.block().hash());
    // It waits for the commit timeout before height 2: one decision per step.
    assertThat(t.state().step()).isEqualTo(Step.COMMIT);
    assertThat(t.effects())
        .contains(new Effect.ScheduleTimeout(new Timeout(2, 0, Step.COMMIT), 10));
    Transition next = e.step(t.state(), new Event.TimeoutFired(new Timeout(2, 0, Step.COMMIT)));
    assertThat(next.effects()).anyMatch(Effect.Decided.class::isInstance);
    assertThat(next.state().height()).isEqualTo(3);
  }

  @Test
  void validatorChangesOfBlockHApplyFromHPlus2AndHPlus1NamesTheNewSet() {
    io.axivon.common.crypto.bls.BlsSecretKey sk =
        io.axivon.common.crypto.bls.BlsSecretKey.keyGen(Bytes.wrap(new byte[32]).not());
    ValidatorSet five = ValidatorSet.of(List.of(new Validator(sk.publicKey(), 5)));
    ValidatorSet nine = ValidatorSet.of(List.of(new Validator(sk.publicKey(), 9)));
    KvApplication kv = new KvApplication();
    // block 1 raises the lone validator's power to 9
    io.axivon.consensus.app.Application app =
        new io.axivon.consensus.app.Application() {
          @Override
          public io.axivon.consensus.app.TxCheck checkTx(Bytes tx) {
            return kv.checkTx(tx);
          }

          @Override
          public io.axivon.consensus.app.ProposalBody prepareProposal(long h, long maxBytes) {
            return kv.prepareProposal(h, maxBytes);
          }

          @Override
          public boolean processProposal(io.axivon.consensus.types.Block block) {
            return kv.processProposal(block);
          }

          @Override
          public io.axivon.consensus.app.FinalizeResult finalizeBlock(
              io.axivon.consensus.types.Block block) {
            var r = kv.finalizeBlock(block);
            return block.header().height() != 1
                ? r
                : new io.axivon.consensus.app.FinalizeResult(
                    r.appHash(),
                    List.of(new io.axivon.consensus.app.ValidatorUpdate(sk.publicKey(), 9)));
          }

          @Override
          public void commit() {
            kv.commit();
          }
        };
    Engine e =
        new Engine(
            EngineConfig.of(CHAIN, sk.publicKey(), TIMEOUTS),
            app,
            new io.axivon.consensus.types.BlsSigner(sk),
            io.axivon.consensus.types.BlsSigner.VERIFIER);
    List<io.axivon.consensus.types.Block> decided = new ArrayList<>();
    Transition t = e.start(1, five, Bytes32.ZERO, Bytes32.ZERO);
    for (int h = 1; h <= 3; h++) {
      t.effects().stream()
          .filter(Effect.Decided.class::isInstance)
          .map(Effect.Decided.class::cast)
          .forEach(d -> decided.add(d.block()));
      if (h == 1) {
        assertThat(t.state().height()).isEqualTo(2);
        assertThat(t.state().validators()).isEqualTo(five);
        assertThat(t.state().nextValidators()).isEqualTo(nine);
      }
      t = e.step(t.state(), new Event.TimeoutFired(new Timeout(h + 1, 0, Step.COMMIT)));
    }
    assertThat(decided).hasSizeGreaterThanOrEqualTo(3);
    var h1 = decided.get(0).header();
    var h2 = decided.get(1).header();
    var h3 = decided.get(2).header();
    assertThat(h1.validatorsHash()).isEqualTo(five.hash());
    assertThat(h1.nextValidatorsHash()).isEqualTo(five.hash());
    // block 2 is still signed by the old set and commits to the new one
    assertThat(h2.validatorsHash()).isEqualTo(five.hash());
    assertThat(h2.nextValidatorsHash()).isEqualTo(nine.hash());
    assertThat(h3.validatorsHash()).isEqualTo(nine.hash());
    assertThat(h3.nextValidatorsHash()).isEqualTo(nine.hash());
    assertThat(t.state().validators()).isEqualTo(nine);
  }

  @Test
  void validatorUpdatesChangePowerAndRemoveValidators() {
    ValidatorSet updated =
        Engine.apply(
            SET,
            List.of(
                new io.axivon.consensus.app.ValidatorUpdate(key(0), 0),
                new io.axivon.consensus.app.ValidatorUpdate(key(1), 50),
                new io.axivon.consensus.app.ValidatorUpdate(SimKeys.publicKey(9), 5)));
    assertThat(updated.size()).isEqualTo(4);
    assertThat(updated.indexOf(key(0))).isEqualTo(-1);
    assertThat(updated.get(0).publicKey()).isEqualTo(key(1));
    assertThat(updated.totalPower()).isEqualTo(50 + 10 + 10 + 5);
  }
}
