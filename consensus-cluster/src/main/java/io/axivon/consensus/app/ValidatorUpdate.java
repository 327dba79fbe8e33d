package io.axivon.consensus.app;

import io.axivon.common.crypto.bls.BlsPublicKey;

/** Sets a validator's power from the next height on; power 0 removes it. */
public record ValidatorUpdate(BlsPublicKey publicKey, long power) {
  public ValidatorUpdate {
    if (publicKey == null || power < 0) {
      throw new IllegalArgumentException("validator update needs a key and power >= 0");
    }
  }
}
