package io.axivon.consensus.types;

import io.axivon.common.InvalidInputException;
import io.axivon.common.crypto.bls.Bls;
import io.axivon.common.crypto.bls.BlsSecretKey;
import io.axivon.common.crypto.bls.BlsSignature;
import org.apache.tuweni.bytes.Bytes;

/** BLS signing and verification of consensus messages (the production scheme). */
public final class BlsSigner implements Signer {
  /** Verifies BLS signatures against the validator's public key. */
  public static final SignatureVerifier VERIFIER =
      (validators, index, signBytes, signature) -> {
        if (index < 0 || index >= validators.size()) {
          return false;
        }
        try {
          return Bls.verify(
              validators.get(index).publicKey(), signBytes, BlsSignature.fromBytes(signature));
        } catch (InvalidInputException e) {
          return false;
        }
      };

  private final BlsSecretKey key;

  public BlsSigner(BlsSecretKey key) {
    this.key = key;
  }

  @Override
  public Bytes sign(Bytes signBytes) {
    return Bls.sign(key, signBytes).toBytes();
  }
}
