package io.axivon.sdk.compute;

import io.axivon.common.InvalidInputException;
import io.axivon.common.crypto.secp256k1.Address;
import io.axivon.common.crypto.secp256k1.Secp256k1;
import io.axivon.common.crypto.secp256k1.Secp256k1Signature;
import org.apache.tuweni.bytes.Bytes;
import org.apache.tuweni.bytes.Bytes32;

/**
 * What a user keeps to dispute a signed response: the provider's signature binds it to {@code
 * responseHash} for {@code requestHash}; if the delivered body's hash differs (or the content
 * behind the hash is shown to be wrong), this record proves what the provider claimed to the
 * client. The chain cannot judge it (what travelled over HTTP is not provable there): on-chain
 * disputes use the provider's signed {@link ResponseReceipt} instead (specs/compute.md 8.1).
 */
public record ResponseEvidence(
    Address provider, Bytes32 requestHash, Bytes32 responseHash, Secp256k1Signature signature) {
  /** The digest the provider signed: keccak256(requestHash ‖ responseHash). */
  public Bytes32 digest() {
    return io.axivon.common.crypto.Hashes.keccak256(Bytes.concatenate(requestHash, responseHash));
  }

  /** Whether the provider really signed this claim. */
  public boolean signedByProvider() {
    try {
      return Secp256k1.recoverAddress(digest(), signature).equals(provider);
    } catch (InvalidInputException e) {
      return false;
    }
  }

  /** Whether a delivered body contradicts the signed claim (the provider signed another body). */
  public boolean contradicts(Bytes deliveredBody) {
    return signedByProvider()
        && !io.axivon.common.crypto.Hashes.keccak256(deliveredBody).equals(responseHash);
  }
}
