package io.axivon.consensus.types;

import org.apache.tuweni.bytes.Bytes;

/** Checks that validator {@code index} of {@code validators} signed {@code signBytes}. */
public interface SignatureVerifier {
  boolean verify(ValidatorSet validators, int index, Bytes signBytes, Bytes signature);

  /**
   * Whether {@code commit} is a valid quorum certificate of {@code validators}. BLS by default; a
   * verifier with stand-in signatures (the simulator's) cannot check aggregates and refuses.
   */
  default boolean verifyCommit(String chainId, ValidatorSet validators, CommitCertificate commit) {
    return commit.isValid(chainId, validators);
  }
}
