package io.axivon.consensus.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.axivon.common.InvalidInputException;
import io.axivon.common.codec.Rlp;
import io.axivon.consensus.engine.State;
import io.axivon.consensus.engine.Step;
import io.axivon.consensus.types.Block;
import io.axivon.consensus.types.Proposal;
import io.axivon.consensus.types.ProposerRotation;
import io.axivon.consensus.types.ValidatorSet;
import io.axivon.consensus.types.Vote;
import io.axivon.consensus.types.VoteType;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import org.apache.tuweni.bytes.Bytes;
import org.apache.tuweni.bytes.Bytes32;

class PersistedStateProperties {
  static final ValidatorSet SET = ChainFixture.SET;
  static final ValidatorSet OTHER = ChainFixture.set(ChainFixture.keys(3));

  @Provide
  Arbitrary<State> states() {
    return Arbitraries.longs().map(PersistedStateProperties::state);
  }

  /** A random persisted-shaped state derived from a seed. */
  static State state(long seed) {
    Random rnd = new Random(seed);
    long height = 1 + rnd.nextInt(1000);
    int round = rnd.nextInt(6);
    ValidatorSet set = rnd.nextInt(4) == 0 ? OTHER : SET;
    ProposerRotation rotation =
        ProposerRotation.initial(rnd.nextInt(5) == 0 ? SET : set).advance(rnd.nextInt(30));
    // a pending validator change (the next height's set differs) in a quarter of the states
    ValidatorSet next = rnd.nextInt(4) == 0 ? (set == SET ? OTHER : SET) : set;
    int lockedRound = rnd.nextInt(round + 2) - 1;
    int validRound = rnd.nextInt(round + 2) - 1;
    Map<Integer, Proposal> proposals = new HashMap<>();
    Map<Integer, Vote> prevotes = new HashMap<>();
    Map<Integer, Vote> precommits = new HashMap<>();
    for (int r = 0; r <= round; r++) {
      if (rnd.nextBoolean()) {
        proposals.put(
            r,
            new Proposal(
                height,
                r,
                r == 0 ? -1 : rnd.nextInt(r + 1) - 1,
                block(rnd, height, set),
                0,
                sig(rnd)));
      }
      if (rnd.nextBoolean()) {
        prevotes.put(r, vote(rnd, VoteType.PREVOTE, height, r));
      }
      if (rnd.nextBoolean()) {
        precommits.put(r, vote(rnd, VoteType.PRECOMMIT, height, r));
      }
    }
    return new State(
        height,
        round,
        Step.PROPOSE,
        set,
        set.hash(),
        next,
        rotation,
        hash(rnd),
        hash(rnd),
        lockedRound < 0 ? null : block(rnd, height, set),
        lockedRound,
        validRound < 0 ? null : block(rnd, height, set),
        validRound,
        Map.of(),
        Map.of(),
        false,
        false,
        false,
        proposals,
        prevotes,
        precommits,
        Map.of());
  }

  /** {@code s} locked in its round on one block, which is also its valid value (rule 36). */
  static State lockedOnItsValidValue(State s, Block v) {
    return s.withValues(v, s.round(), v, s.round());
  }

  static Block block(Random rnd, long height, ValidatorSet set) {
    List<Bytes> txs =
        rnd.nextBoolean() ? List.of() : List.of(Bytes.random(1 + rnd.nextInt(40), rnd));
    return new Block(
        new io.axivon.consensus.types.BlockHeader(
            "c",
            height,
            rnd.nextInt(1 << 30),
            hash(rnd),
            Block.txRoot(txs),
            hash(rnd),
            set.hash(),
            set.hash(),
            rnd.nextInt(set.size())),
        txs);
  }

  static Vote vote(Random rnd, VoteType type, long height, int round) {
    Optional<Bytes32> h = rnd.nextBoolean() ? Optional.empty() : Optional.of(hash(rnd));
    return new Vote(type, height, round, h, rnd.nextInt(4), sig(rnd));
  }

  static Bytes32 hash(Random rnd) {
    return Bytes32.random(rnd);
  }

  static Bytes sig(Random rnd) {
    return Bytes.random(Vote.SIGNATURE_SIZE, rnd);
  }

  @Property(tries = 200)
  void roundTrips(@ForAll("states") State s) {
    Bytes encoded = Rlp.encode(PersistedStateCodec.CODEC, s);
    State back = Rlp.decode(PersistedStateCodec.CODEC, encoded);
    assertThat(back).isEqualTo(s.persisted());
    assertThat(PersistedStateCodec.same(back, s.persisted())).isTrue();
    assertThat(Rlp.encode(PersistedStateCodec.CODEC, back)).isEqualTo(encoded);
  }

  @Property(tries = 100)
  void aValidValueThatIsTheLockedOneIsWrittenOnce(@ForAll("states") State s, @ForAll long seed) {
    Block v = block(new Random(seed), s.height(), s.validators());
    State locked = lockedOnItsValidValue(s, v);
    Bytes encoded = Rlp.encode(PersistedStateCodec.CODEC, locked);
    State back = Rlp.decode(PersistedStateCodec.CODEC, encoded);
    assertThat(back).isEqualTo(locked.persisted());
    assertThat(back.validValue()).isSameAs(back.lockedValue());
    // an equal copy counts as the same value
    Block copy = Rlp.decode(Block.CODEC, Rlp.encode(Block.CODEC, v));
    State withCopy = s.withValues(v, s.round(), copy, s.round());
    assertThat(Rlp.encode(PersistedStateCodec.CODEC, withCopy)).isEqualTo(encoded);
    assertThat(occurrences(encoded, Rlp.encode(Block.CODEC, v))).isOne();
  }

  @org.junit.jupiter.api.Test
  void aStateSavedWithTheValidValueWrittenInFullStillLoads() throws Exception {
    // written by the codec before the valid value was deduplicated (state(7), locked on a block)
    String hex;
    try (var in = getClass().getResourceAsStream("/wal/state-locked-is-valid-before-dedup.hex")) {
      hex = new String(in.readAllBytes(), java.nio.charset.StandardCharsets.US_ASCII).trim();
    }
    State s = state(7);
    State expected = lockedOnItsValidValue(s, block(new Random(8), s.height(), s.validators()));
    Bytes old = Bytes.fromHexString(hex);
    State back = Rlp.decode(PersistedStateCodec.CODEC, old);
    assertThat(back).isEqualTo(expected.persisted());
    Bytes block = Rlp.encode(Block.CODEC, expected.lockedValue());
    assertThat(occurrences(old, block)).isEqualTo(2);
    assertThat(occurrences(Rlp.encode(PersistedStateCodec.CODEC, back), block)).isOne();
  }

  @Property(tries = 50)
  void theLockedMarkerWithNothingLockedIsRefused(@ForAll("states") State s) {
    State none = s.withValues(null, -1, null, -1);
    Bytes body = Rlp.encode(PersistedStateCodec.CODEC, none);
    assertThat(Rlp.decode(PersistedStateCodec.CODEC, body)).isEqualTo(none.persisted());
    // after appHash: [] (nothing locked), 0x80 (lockedRound + 1 = 0), [] (no valid value), 0x80
    byte[] encoded = body.toArray();
    int at = indexOf(encoded, s.appHash().toArrayUnsafe(), 0) + 32;
    assertThat(Bytes.wrap(encoded, at, 4)).isEqualTo(Bytes.fromHexString("0xc080c080"));
    encoded[at + 2] = (byte) 0x80; // the valid slot says "the locked value"
    assertThatThrownBy(() -> Rlp.decode(PersistedStateCodec.CODEC, Bytes.wrap(encoded)))
        .hasMessageContaining("none locked");
  }

  private static int occurrences(Bytes in, Bytes part) {
    byte[] a = in.toArray();
    byte[] b = part.toArray();
    int n = 0;
    for (int at = indexOf(a, b, 0); at >= 0; at = indexOf(a, b, at + 1)) {
      n++;
    }
    return n;
  }

  private static int indexOf(byte[] in, byte[] part, int from) {
    outer:
    for (int i = from; i + part.length <= in.length; i++) {
      for (int k = 0; k < part.length; k++) {
        if (in[i + k] != part[k]) {
          continue outer;
        }
      }
      return i;
    }
    return -1;
  }

  @Property(tries = 200)
  void rejectsTruncationAndTrailingBytes(
      @ForAll("states") State s, @ForAll @IntRange(min = 1, max = 1 << 20) int cut) {
    // a flat copy: Tuweni 2.7.2's concatenation of concatenated views miscounts sizes
    Bytes encoded = Bytes.wrap(Rlp.encode(PersistedStateCodec.CODEC, s).toArray());
    Bytes shorter = encoded.slice(0, encoded.size() - 1 - cut % (encoded.size() - 1));
    assertThatThrownBy(() -> Rlp.decode(PersistedStateCodec.CODEC, shorter))
        .isInstanceOf(InvalidInputException.class);
    assertThatThrownBy(
            () -> Rlp.decode(PersistedStateCodec.CODEC, Bytes.concatenate(encoded, Bytes.of(0))))
        .isInstanceOf(InvalidInputException.class);
  }

  @Property(tries = 100)
  void samePersistedDetectsEveryChange(@ForAll("states") State s, @ForAll long other) {
    State t = state(other);
    assertThat(PersistedStateCodec.same(s.persisted(), t.persisted()))
        .isEqualTo(s.persisted().equals(t.persisted()));
    State bumped = s.inRound(s.round() + 1);
    assertThat(PersistedStateCodec.same(s, bumped)).isFalse();
  }

  @Property(tries = 100)
  void rotationRoundTrips(@ForAll @IntRange(min = 0, max = 200) int steps) {
    ProposerRotation r = ProposerRotation.initial(SET).advance(steps);
    ProposerRotation back =
        Rlp.decode(ProposerRotation.CODEC, Rlp.encode(ProposerRotation.CODEC, r));
    assertThat(back).isEqualTo(r);
    assertThat(back.priorities()).containsExactly(r.priorities());
    assertThat(back.next().proposer()).isEqualTo(r.next().proposer());
  }

  @Property(tries = 50)
  void rotationRejectsWrongPriorityCount(@ForAll @IntRange(min = 0, max = 50) int steps) {
    ProposerRotation r = ProposerRotation.initial(OTHER).advance(steps);
    Bytes forOther = Rlp.encode(ProposerRotation.stateCodec(OTHER), r);
    assertThatThrownBy(() -> Rlp.decode(ProposerRotation.stateCodec(SET), forOther))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("3 priorities for 4 validators");
  }
}
