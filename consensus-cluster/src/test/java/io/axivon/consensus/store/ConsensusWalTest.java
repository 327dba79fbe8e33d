package io.axivon.consensus.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.axivon.common.store.Serializers;
import io.axivon.common.store.Store;
import io.axivon.common.store.StoreOptions;
import io.axivon.consensus.app.KvApplication;
import io.axivon.consensus.engine.Engine;
import io.axivon.consensus.engine.EngineConfig;
import io.axivon.consensus.engine.State;
import io.axivon.consensus.engine.TimeoutConfig;
import io.axivon.consensus.engine.Transition;
import io.axivon.consensus.sim.SimKeys;
import io.axivon.consensus.types.BlsSigner;
import io.axivon.consensus.types.Proposal;
import io.axivon.consensus.types.Signer;
import io.axivon.consensus.types.Vote;
import io.axivon.consensus.types.VoteType;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Optional;
import org.apache.tuweni.bytes.Bytes;
import org.apache.tuweni.bytes.Bytes32;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConsensusWalTest {
  static final TimeoutConfig TIMEOUTS = new TimeoutConfig(300, 100, 150, 50, 150, 50, 10);
  static final String CHAIN = ChainFixture.CHAIN;

  @TempDir Path dir;

  @Test
  void savesLoadsAndSkipsUnchangedStates() {
    State s = PersistedStateProperties.state(42);
    try (ConsensusWal wal = ConsensusWal.open(dir)) {
      assertThat(wal.load()).isEmpty();
      wal.save(s);
      assertThat(wal.load()).contains(s.persisted());
      wal.save(s); // no-op; still the same
      assertThat(wal.load()).contains(s.persisted());
    }
    try (ConsensusWal wal = ConsensusWal.open(dir)) {
      assertThat(wal.load()).contains(s.persisted());
      State t = PersistedStateProperties.state(43);
      wal.save(t);
      assertThat(wal.load()).contains(t.persisted());
    }
    try (ConsensusWal wal = ConsensusWal.open(dir)) {
      assertThat(wal.load()).contains(PersistedStateProperties.state(43).persisted());
    }
  }

  @Test
  void refusesCorruptRows() {
    ConsensusWal.open(dir).close();
    try (Store raw =
        Store.open(dir, StoreOptions.defaults(), ConsensusWal.WAL, ConsensusWal.META)) {
      raw.write(tx -> tx.put(ConsensusWal.WAL, ConsensusWal.STATE_KEY, Bytes.of(0xc0)));
    }
    assertThatThrownBy(() -> ConsensusWal.open(dir))
        .isInstanceOf(CorruptStoreException.class)
        .hasMessageContaining("saved consensus state does not decode");
    try (Store raw =
        Store.open(dir, StoreOptions.defaults(), ConsensusWal.WAL, ConsensusWal.META)) {
      raw.write(
          tx -> {
            tx.delete(ConsensusWal.WAL, ConsensusWal.STATE_KEY);
            tx.put(ConsensusWal.WAL, ConsensusWal.SIGN_KEY, Bytes.of(1, 2, 3));
          });
    }
    assertThatThrownBy(() -> ConsensusWal.open(dir))
        .isInstanceOf(CorruptStoreException.class)
        .hasMessageContaining("last-sign record does not decode");
    try (Store raw =
        Store.open(dir, StoreOptions.defaults(), ConsensusWal.WAL, ConsensusWal.META)) {
      raw.write(
          tx -> {
            tx.clear(ConsensusWal.WAL);
            tx.put(
                ConsensusWal.META,
                ConsensusWal.FORMAT_KEY,
                Bytes.wrap(Serializers.LONG.toBytes(7L)));
          });
    }
    assertThatThrownBy(() -> ConsensusWal.open(dir))
        .isInstanceOf(CorruptStoreException.class)
        .hasMessageContaining("unknown WAL format");
  }

  @Test
  void guardedSignerReturnsTheSameSignatureAndRefusesConflicts() {
    Signer inner = new BlsSigner(ChainFixture.keyOf(0));
    Bytes a = Vote.signBytes(CHAIN, VoteType.PREVOTE, 5, 1, Optional.of(Bytes32.ZERO));
    Bytes b = Vote.signBytes(CHAIN, VoteType.PREVOTE, 5, 1, Optional.empty());
    Bytes sigA;
    try (ConsensusWal wal = ConsensusWal.open(dir)) {
      GuardedSigner g = new GuardedSigner(inner, wal);
      sigA = g.sign(a);
      assertThat(g.sign(a)).isEqualTo(sigA);
      assertThatThrownBy(() -> g.sign(b))
          .isInstanceOf(DoubleSignException.class)
          .hasMessageContaining("already signed different bytes at 5/1/prevote");
    }
    try (ConsensusWal wal = ConsensusWal.open(dir)) {
      GuardedSigner g = new GuardedSigner(inner, wal);
      assertThat(g.sign(a)).isEqualTo(sigA);
      assertThatThrownBy(() -> g.sign(b)).isInstanceOf(DoubleSignException.class);
      assertThatThrownBy(
              () -> g.sign(Vote.signBytes(CHAIN, VoteType.PRECOMMIT, 5, 0, Optional.empty())))
          .isInstanceOf(DoubleSignException.class)
          .hasMessageContaining("behind the last signed message at 5/1/prevote");
      assertThatThrownBy(() -> g.sign(Proposal.signBytes(CHAIN, 5, 1, -1, Bytes32.ZERO)))
          .isInstanceOf(DoubleSignException.class)
          .hasMessageContaining("5/1/proposal");
      Bytes precommit = Vote.signBytes(CHAIN, VoteType.PRECOMMIT, 5, 1, Optional.of(Bytes32.ZERO));
      assertThat(g.sign(precommit)).isEqualTo(inner.sign(precommit));
      Bytes proposal = Proposal.signBytes(CHAIN, 5, 2, 1, Bytes32.ZERO);
      g.sign(proposal);
      assertThat(wal.lastSign()).get().extracting(SignRecord::position).isEqualTo("5/2/proposal");
      g.sign(Vote.signBytes(CHAIN, VoteType.PREVOTE, 6, 0, Optional.empty()));
      assertThatThrownBy(() -> g.sign(Bytes.wrap("hello".getBytes(StandardCharsets.UTF_8))))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("not vote or proposal sign-bytes");
    }
  }

  /** A real engine through the guarded signer: resume re-sends; a forgetful restart is refused. */
  @Test
  void engineResumesFromTheWalWithoutSigningAgain() {
    var key = ChainFixture.SET.get(0).publicKey();
    State saved;
    try (ConsensusWal wal = ConsensusWal.open(dir)) {
      Engine engine = engine(wal, "a=1");
      Transition t = engine.start(1, ChainFixture.SET, Bytes32.ZERO, Bytes32.ZERO);
      wal.save(t.state());
      saved = t.state().persisted();
      assertThat(saved.ownProposals()).containsKey(0);
      assertThat(saved.ownPrevotes()).containsKey(0);
      assertThat(wal.lastSign()).get().extracting(SignRecord::position).isEqualTo("1/0/prevote");
    }
    try (ConsensusWal wal = ConsensusWal.open(dir)) {
      assertThat(wal.load()).contains(saved);
      Transition resumed = engine(wal, "a=1").resume(wal.load().orElseThrow());
      assertThat(resumed.state().ownPrevotes()).isEqualTo(saved.ownPrevotes());
      // a node that lost its state and proposes another block at 1/0 is stopped
      Engine forgetful = engine(wal, "b=2");
      assertThatThrownBy(() -> forgetful.start(1, ChainFixture.SET, Bytes32.ZERO, Bytes32.ZERO))
          .isInstanceOf(DoubleSignException.class);
    }
    assertThat(key).isNotNull();
  }

  /** A crash between signing and saving: resuming skips the round instead of re-signing. */
  @Test
  void resumeSkipsTheRoundOfAMessageSignedButNotSaved() {
    State before;
    try (ConsensusWal wal = ConsensusWal.open(dir)) {
      Transition t = engine(wal, "a=1").start(1, ChainFixture.SET, Bytes32.ZERO, Bytes32.ZERO);
      State s = t.state();
      // what was saved before the transition that signed the proposal and prevote of 1/0
      before =
          State.initial(
              1, s.validators(), s.nextValidators(), s.rotation(), s.parentHash(), s.appHash());
      wal.save(before);
      assertThat(wal.loadForResume()).get().extracting(State::round).isEqualTo(1);
    }
    try (ConsensusWal wal = ConsensusWal.open(dir)) {
      assertThat(wal.load()).contains(before.persisted());
      Engine forgetful = engine(wal, "b=2");
      assertThatThrownBy(() -> forgetful.resume(wal.load().orElseThrow()))
          .isInstanceOf(DoubleSignException.class);
      Transition resumed = engine(wal, "b=2").resume(wal.loadForResume().orElseThrow());
      assertThat(resumed.state().round()).isEqualTo(1);
      wal.save(resumed.state());
      // once the state is saved past the record, nothing more to skip
      assertThat(wal.loadForResume()).contains(resumed.state().persisted());
    }
  }

  private static Engine engine(ConsensusWal wal, String tx) {
    var key = ChainFixture.SET.get(0).publicKey();
    KvApplication app = new KvApplication(() -> 1000L);
    app.submit(Bytes.wrap(tx.getBytes(StandardCharsets.UTF_8)));
    return new Engine(
        EngineConfig.of(CHAIN, key, TIMEOUTS),
        app,
        new GuardedSigner(SimKeys.signer(key), wal),
        SimKeys.VERIFIER);
  }
}
