package io.axivon.sdk.mining;

/** Why an answer is refused (specs/pora.md section 9): stable codes, in verification order. */
public enum Rejection {
  MALFORMED("malformed answer"),
  STALE_CONTEXT("stale context"),
  UNREGISTERED_MINER("unregistered miner"),
  REPLAY("replay"),
  BAD_RANGE("bad range"),
  BAD_SHARD("bad shard"),
  RECALL_OUTSIDE_SHARD("recall outside shard"),
  WRONG_RECALL_POSITION("wrong recall position"),
  BAD_SEAL_CONTEXT("bad seal context"),
  WRONG_PROOF("wrong proof"),
  WRONG_SEAL("wrong seal"),
  QUALITY_ABOVE_TARGET("quality above target");

  private final String code;

  Rejection(String code) {
    this.code = code;
  }

  /** The reason's prefix in a revert: {@code code + ": " + detail}. */
  public String code() {
    return code;
  }
}
