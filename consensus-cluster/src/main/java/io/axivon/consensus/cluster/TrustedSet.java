package io.axivon.consensus.cluster;

import io.axivon.consensus.types.ValidatorSet;
import java.util.Objects;

/**
 * What a chain-0 light client trusts: {@code validators} sign chain 0's blocks from {@code
 * fromHeight} on, until a block they certify names another set as next.
 */
public record TrustedSet(String chainId, long fromHeight, ValidatorSet validators) {
  public TrustedSet {
    Objects.requireNonNull(chainId, "chainId");
    Objects.requireNonNull(validators, "validators");
    if (fromHeight < 1) {
      throw new IllegalArgumentException("fromHeight must be >= 1, got " + fromHeight);
    }
  }
}
