package io.axivon.consensus.types;

import java.util.Arrays;

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
}
