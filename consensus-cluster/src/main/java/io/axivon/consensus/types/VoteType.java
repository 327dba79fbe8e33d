package io.axivon.consensus.types;

/** The two voting steps of a round; the code is the byte written in sign-bytes and encodings. */
public enum VoteType {
  PREVOTE(1),
  PRECOMMIT(2);

  private final int code;

  VoteType(int code) {
    this.code = code;
  }

  public int code() {
    return code;
  }

  /**
   * @throws IllegalArgumentException if {@code code} names no vote type
   */
  public static VoteType fromCode(long code) {
    if (code == 1) {
      return PREVOTE;
    }
    if (code == 2) {
      return PRECOMMIT;
    }
    throw new IllegalArgumentException(
        "vote type must be 1 (prevote) or 2 (precommit), got " + code);
  }
}
