package io.axivon.common.crypto.vrf;

import io.axivon.common.InvalidInputException;
import io.axivon.common.crypto.bls.BlsSignature;
import org.apache.tuweni.bytes.Bytes32;

/**
 * A VRF evaluation: the proof (a BLS signature) and the output it determines, sha256(proof bytes).
 */
public record VrfProof(BlsSignature proof, Bytes32 output) {
  public VrfProof {
    if (proof == null || output == null) {
      throw new InvalidInputException("VRF proof and output are required");
    }
  }

  /** The proof with the output it determines. */
  public static VrfProof of(BlsSignature proof) {
    return new VrfProof(proof, Vrf.output(proof));
  }
}
