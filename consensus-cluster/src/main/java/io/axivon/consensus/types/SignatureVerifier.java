package io.axivon.consensus.types;

import org.apache.tuweni.bytes.Bytes;

/** Checks that validator {@code index} of {@code validators} signed {@code signBytes}. */
public interface SignatureVerifier {
  boolean verify(ValidatorSet validators, int index, Bytes signBytes, Bytes signature);
}
