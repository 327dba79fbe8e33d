package io.axivon.consensus.types;

import io.axivon.common.codec.RlpCodec;
import java.util.Arrays;
import java.util.List;

/**
 * Stake-weighted proposer rotation in the style of CometBFT's proposer priorities: each step every
 * validator's priority grows by its power, the highest priority proposes (ties to the lower index)
 * and pays the total power back. Over T steps a validator proposes about T * power / total times,
 * off by at most a small constant. Immutable: {@link #next()} returns the following rotation.
 */
public final class ProposerRotation {
  private final ValidatorSet validators;
  private final long[] priorities;
  private final int proposer;

  private ProposerRotation(ValidatorSet validators, long[] priorities, int proposer) {
    this.validators = validators;
    this.priorities = priorities;
    this.proposer = proposer;
  }

  /**
   * Encoding: {@code [validators, [zigzag(priority)...], proposer + 1]} (zigzag keeps negative
   * priorities unsigned; the +1 keeps "no proposer yet" unsigned). Decoding checks that there is
   * one priority per validator and the proposer is an index of the set or -1.
   */
  public static final RlpCodec<ProposerRotation> CODEC =
      RlpCodec.struct(
          (w, r) -> w.write(ValidatorSet.CODEC, r.validators).write(stateCodec(r.validators), r),
          rd -> {
            ValidatorSet set = rd.read(ValidatorSet.CODEC);
            return rd.read(stateCodec(set));
          });

  /**
   * The codec of a rotation over a known {@code validators} set, without the set itself: {@code
   * [[zigzag(priority)...], proposer + 1]}; for containers that store the set next to it. Writing a
   * rotation over another set throws {@link IllegalArgumentException}.
   */
  public static RlpCodec<ProposerRotation> stateCodec(ValidatorSet validators) {
    return RlpCodec.struct(
        (w, r) -> {
          if (!r.validators.equals(validators)) {
            throw new IllegalArgumentException("rotation is over another validator set");
          }
          w.writeList(
                  lw -> {
                    for (long p : r.priorities) {
                      lw.writeUInt64((p << 1) ^ (p >> 63));
                    }
                  })
              .writeUInt64(r.proposer + 1L);
        },
        rd -> {
          List<Long> zz = rd.readListOf(io.axivon.common.codec.Rlp.UINT64);
          long[] p = new long[zz.size()];
          for (int i = 0; i < p.length; i++) {
            long z = zz.get(i);
            p[i] = (z >>> 1) ^ -(z & 1);
          }
          return of(validators, p, rd.readInt() - 1);
        });
  }

  /**
   * A rotation in a given state, e.g. decoded from storage.
   *
   * @throws IllegalArgumentException if there is not one priority per validator or {@code proposer}
   *     is neither -1 nor an index of the set
   */
  public static ProposerRotation of(ValidatorSet validators, long[] priorities, int proposer) {
    if (priorities.length != validators.size()) {
      throw new IllegalArgumentException(
          "rotation has "
              + priorities.length
              + " priorities for "
              + validators.size()
              + " validators");
    }
    if (proposer < -1 || proposer >= validators.size()) {
      throw new IllegalArgumentException(
          "rotation proposer " + proposer + " is not an index of a set of " + validators.size());
    }
    return new ProposerRotation(validators, priorities.clone(), proposer);
  }

  /** The rotation before its first step: all priorities zero; call {@link #next()} to pick. */
  public static ProposerRotation initial(ValidatorSet validators) {
    return new ProposerRotation(validators, new long[validators.size()], -1);
  }

  /** One step: raise every priority by its power, choose the highest, charge it the total. */
  public ProposerRotation next() {
    long[] p = Arrays.copyOf(priorities, priorities.length);
    int best = 0;
    for (int i = 0; i < p.length; i++) {
      p[i] += validators.power(i);
      if (p[i] > p[best]) {
        best = i;
      }
    }
    p[best] -= validators.totalPower();
    return new ProposerRotation(validators, p, best);
  }

  /** The rotation after {@code steps} steps. */
  public ProposerRotation advance(int steps) {
    ProposerRotation r = this;
    for (int i = 0; i < steps; i++) {
      r = r.next();
    }
    return r;
  }

  /** The validator chosen by the last step, or -1 before the first. */
  public int proposer() {
    return proposer;
  }

  public ValidatorSet validators() {
    return validators;
  }

  /** A copy of the current priorities, indexed like the validator set. */
  public long[] priorities() {
    return priorities.clone();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof ProposerRotation r
        && r.proposer == proposer
        && Arrays.equals(r.priorities, priorities)
        && r.validators.equals(validators);
  }

  @Override
  public int hashCode() {
    return 31 * Arrays.hashCode(priorities) + proposer;
  }

  @Override
  public String toString() {
    return "ProposerRotation[proposer="
        + proposer
        + ", priorities="
        + Arrays.toString(priorities)
        + "]";
  }
}
