package io.axivon.consensus.store;

import io.axivon.common.codec.Rlp;
import io.axivon.common.codec.RlpCodec;
import io.axivon.common.codec.StrictRlpReader;
import io.axivon.consensus.engine.State;
import io.axivon.consensus.engine.Step;
import io.axivon.consensus.types.Block;
import io.axivon.consensus.types.Proposal;
import io.axivon.consensus.types.ProposerRotation;
import io.axivon.consensus.types.ValidatorSet;
import io.axivon.consensus.types.Vote;
import io.axivon.consensus.types.VoteType;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.ToIntFunction;
import org.apache.tuweni.bytes.Bytes;

/**
 * Strict codec of the part of an engine {@link State} kept across a crash ({@link
 * State#persisted()}). Encoding: {@code [height, round, validators, [nextValidators?],
 * [rotationSet?], rotation, parentHash, appHash, [lockedValue?], lockedRound + 1, [validValue?],
 * validRound + 1, [ownProposal...], [ownPrevote...], [ownPrecommit...]]} where {@code rotationSet}
 * is present only when the rotation runs over another set than {@code validators} (the engine keeps
 * them equal), {@code nextValidators} only when a validator change is pending (it differs from
 * {@code validators}), {@code [validValue?]} is the empty string when the valid value is the locked
 * one (states written before that read as well), and {@code rotation} is {@link
 * ProposerRotation#stateCodec}. Own messages are listed in round order. The validators hash is
 * recomputed on decode; the transient parts decode to their persisted defaults (step PROPOSE, no
 * votes, no flags, no cache).
 */
public final class PersistedStateCodec {
  private PersistedStateCodec() {}

  public static final RlpCodec<State> CODEC =
      RlpCodec.struct(PersistedStateCodec::write, PersistedStateCodec::read);

  private static void write(io.axivon.common.codec.StrictRlpWriter w, State s) {
    ValidatorSet rotationSet = s.rotation().validators();
    boolean same = rotationSet.equals(s.validators());
    boolean pending = !s.nextValidators().equals(s.validators());
    w.writeUInt64(s.height())
        .writeUInt64(s.round())
        .write(ValidatorSet.CODEC, s.validators())
        .writeOptional(
            pending ? Optional.of(s.nextValidators()) : Optional.empty(), ValidatorSet.CODEC)
        .writeOptional(same ? Optional.empty() : Optional.of(rotationSet), ValidatorSet.CODEC)
        .write(ProposerRotation.stateCodec(rotationSet), s.rotation())
        .writeBytes(s.parentHash())
        .writeBytes(s.appHash())
        .writeOptional(Optional.ofNullable(s.lockedValue()), Block.CODEC)
        .writeUInt64(s.lockedRound() + 1L);
    if (validIsLocked(s)) {
      w.writeBytes(Bytes.EMPTY); // the block once: a lock sets both (a megabyte under load)
    } else {
      w.writeOptional(Optional.ofNullable(s.validValue()), Block.CODEC);
    }
    w.writeUInt64(s.validRound() + 1L)
        .writeListOf(List.copyOf(new TreeMap<>(s.ownProposals()).values()), Proposal.CODEC)
        .writeListOf(List.copyOf(new TreeMap<>(s.ownPrevotes()).values()), Vote.CODEC)
        .writeListOf(List.copyOf(new TreeMap<>(s.ownPrecommits()).values()), Vote.CODEC);
  }

  private static State read(StrictRlpReader r) {
    long height = r.readUInt64();
    int round = r.readInt();
    ValidatorSet validators = r.read(ValidatorSet.CODEC);
    ValidatorSet nextValidators = r.readOptional(ValidatorSet.CODEC).orElse(validators);
    ValidatorSet rotationSet = r.readOptional(ValidatorSet.CODEC).orElse(validators);
    ProposerRotation rotation = r.read(ProposerRotation.stateCodec(rotationSet));
    var parentHash = r.readBytes32();
    var appHash = r.readBytes32();
    Block locked = r.readOptional(Block.CODEC).orElse(null);
    int lockedRound = r.readInt() - 1;
    Block valid;
    if (r.nextIsList()) {
      valid = r.readOptional(Block.CODEC).orElse(null);
    } else {
      r.readBytes(0); // the empty string: the locked value
      if (locked == null) {
        throw new IllegalArgumentException("valid value given as the locked one, with none locked");
      }
      valid = locked;
    }
    int validRound = r.readInt() - 1;
    if (height < 1) {
      throw new IllegalArgumentException("state height must be >= 1");
    }
    checkValue("locked", locked, lockedRound, height, round);
    checkValue("valid", valid, validRound, height, round);
    Map<Integer, Proposal> proposals =
        byRound(r.readListOf(Proposal.CODEC), Proposal::round, "proposal", height, round);
    for (Proposal p : proposals.values()) {
      if (p.height() != height) {
        throw new IllegalArgumentException("own proposal of height " + p.height());
      }
    }
    Map<Integer, Vote> prevotes = votes(r.readListOf(Vote.CODEC), VoteType.PREVOTE, height, round);
    Map<Integer, Vote> precommits =
        votes(r.readListOf(Vote.CODEC), VoteType.PRECOMMIT, height, round);
    return new State(
        height,
        round,
        Step.PROPOSE,
        validators,
        validators.hash(),
        nextValidators,
        rotation,
        parentHash,
        appHash,
        locked,
        lockedRound,
        valid,
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

  /** Whether the valid value is the locked one: then it is written once, as an empty string. */
  private static boolean validIsLocked(State s) {
    Block locked = s.lockedValue();
    Block valid = s.validValue();
    return locked != null && (valid == locked || locked.equals(valid));
  }

  private static void checkValue(String what, Block value, int valueRound, long height, int round) {
    if ((value == null) != (valueRound == -1) || valueRound > round) {
      throw new IllegalArgumentException(
          what + " value and round disagree (round " + valueRound + ", state round " + round + ")");
    }
    if (value != null && value.height() != height) {
      throw new IllegalArgumentException(what + " value is of height " + value.height());
    }
  }

  private static Map<Integer, Vote> votes(List<Vote> list, VoteType type, long height, int round) {
    for (Vote v : list) {
      if (v.type() != type || v.height() != height) {
        throw new IllegalArgumentException(
            "own " + type + " list holds a " + v.type() + " of height " + v.height());
      }
    }
    return byRound(list, Vote::round, type.toString(), height, round);
  }

  /** Rounds strictly ascending and not beyond the state's round. */
  private static <V> Map<Integer, V> byRound(
      List<V> list, ToIntFunction<V> roundOf, String what, long height, int round) {
    TreeMap<Integer, V> out = new TreeMap<>();
    int last = -1;
    for (V v : list) {
      int r = roundOf.applyAsInt(v);
      if (r <= last || r > round) {
        throw new IllegalArgumentException(
            "own "
                + what
                + " rounds must ascend up to "
                + round
                + ", found "
                + r
                + " after "
                + last);
      }
      last = r;
      out.put(r, v);
    }
    return Collections.unmodifiableMap(out);
  }

  /** Whether two persisted states are equal; reference checks first, so usually cheap. */
  static boolean same(State a, State b) {
    return a.height() == b.height()
        && a.round() == b.round()
        && a.lockedRound() == b.lockedRound()
        && a.validRound() == b.validRound()
        && eq(a.validators(), b.validators())
        && eq(a.nextValidators(), b.nextValidators())
        && eq(a.rotation(), b.rotation())
        && eq(a.parentHash(), b.parentHash())
        && eq(a.appHash(), b.appHash())
        && eq(a.lockedValue(), b.lockedValue())
        && eq(a.validValue(), b.validValue())
        && sameMap(a.ownProposals(), b.ownProposals())
        && sameMap(a.ownPrevotes(), b.ownPrevotes())
        && sameMap(a.ownPrecommits(), b.ownPrecommits());
  }

  private static boolean eq(Object x, Object y) {
    return x == y || (x != null && x.equals(y));
  }

  private static <V> boolean sameMap(Map<Integer, V> a, Map<Integer, V> b) {
    if (a == b) {
      return true;
    }
    if (a.size() != b.size()) {
      return false;
    }
    for (Map.Entry<Integer, V> e : a.entrySet()) {
      if (!eq(e.getValue(), b.get(e.getKey()))) {
        return false;
      }
    }
    return true;
  }

  /** Convenience for tests and tools. */
  static State decode(org.apache.tuweni.bytes.Bytes b) {
    return Rlp.decode(CODEC, b);
  }
}
