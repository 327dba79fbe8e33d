package io.axivon.consensus.types;

import io.axivon.common.codec.RlpCodec;

/**
 * Proof that a validator equivocated: two votes it signed for different values at the same height,
 * round and type. Encoding: {@code [voteA, voteB]} with voteA's encoding ordered first, so one pair
 * has one encoding.
 */
public record Evidence(Vote first, Vote second) {
  public static final RlpCodec<Evidence> CODEC =
      RlpCodec.struct(
          (w, e) -> w.write(Vote.CODEC, e.first).write(Vote.CODEC, e.second),
          r -> new Evidence(r.read(Vote.CODEC), r.read(Vote.CODEC)));

  public Evidence {
    if (first.type() != second.type()
        || first.height() != second.height()
        || first.round() != second.round()
        || first.validatorIndex() != second.validatorIndex()) {
      throw new IllegalArgumentException("evidence votes must share type, height, round, signer");
    }
    if (first.blockHash().equals(second.blockHash())) {
      throw new IllegalArgumentException("evidence votes must be for different values");
    }
    if (ordering(first).compareTo(ordering(second)) >= 0) {
      throw new IllegalArgumentException("evidence votes must be in canonical order");
    }
  }

  /** The pair in canonical order. */
  public static Evidence of(Vote a, Vote b) {
    return ordering(a).compareTo(ordering(b)) < 0 ? new Evidence(a, b) : new Evidence(b, a);
  }

  private static String ordering(Vote v) {
    return io.axivon.common.codec.Rlp.encode(Vote.CODEC, v).toHexString();
  }

  public int validatorIndex() {
    return first.validatorIndex();
  }
}
