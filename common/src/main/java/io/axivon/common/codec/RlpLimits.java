package io.axivon.common.codec;

/**
 * Bounds a decoder enforces on untrusted input, so a peer cannot make us parse absurd sizes or
 * recurse without end.
 *
 * @param maxLength the most bytes any byte string or list may declare as its payload; the whole
 *     input may be at most this plus one header of up to 9 bytes, since the top-level item holds
 *     everything else
 * @param maxDepth the deepest list nesting allowed: a top-level list has depth 1, a list inside it
 *     depth 2; 0 allows no lists at all
 */
public record RlpLimits(int maxLength, int maxDepth) {
  /** Hard cap on {@link #maxDepth}: generic decoders recurse once per level. */
  public static final int MAX_DEPTH_CAP = 1024;

  /**
   * Generous defaults (64 MiB, depth 64) for trusted or already size-checked input; network
   * decoders should pass limits that fit their message.
   */
  public static final RlpLimits DEFAULT = new RlpLimits(64 << 20, 64);

  public RlpLimits {
    if (maxLength < 0) {
      throw new IllegalArgumentException("maxLength must be >= 0, got " + maxLength);
    }
    if (maxDepth < 0 || maxDepth > MAX_DEPTH_CAP) {
      throw new IllegalArgumentException(
          "maxDepth must be in [0, " + MAX_DEPTH_CAP + "], got " + maxDepth);
    }
  }

  /** The largest whole input these limits can accept: one header plus {@link #maxLength}. */
  public long maxInputBytes() {
    return (long) maxLength + 9;
  }
}
