package io.axivon.common.crypto.vrf;

import io.axivon.common.InvalidInputException;
import io.axivon.common.crypto.Hashes;
import io.axivon.common.crypto.bls.Bls;
import io.axivon.common.crypto.bls.BlsPublicKey;
import io.axivon.common.crypto.bls.BlsSecretKey;
import io.axivon.common.crypto.bls.BlsSignature;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import org.apache.tuweni.bytes.Bytes;
import org.apache.tuweni.bytes.Bytes32;

/**
 * A VRF from BLS signatures (specs/vrf.md). The proof is the BLS signature, under the dedicated
 * {@link #DST}, of {@code len(domain) ‖ domain ‖ input}; the output is sha256 of the proof's 96
 * compressed bytes. A BLS signature is unique for a valid key and message (signing is deterministic
 * and verification admits only sk·H(m)), so nobody, the key holder included, can choose among
 * outputs; without the secret key the output is unpredictable.
 */
public final class Vrf {
  /**
   * The hash-to-curve DST of VRF proofs. Distinct from {@link Bls#SIGN_DST}: a VRF proof is never a
   * valid signature of a protocol message, and no signature on a protocol message reveals a VRF
   * output in advance.
   */
  public static final String DST = "AXIVON_VRF_BLS12381G2_XMD:SHA-256_SSWU_RO_";

  /** The longest domain tag, so that its length fits the one-byte prefix. */
  public static final int MAX_DOMAIN_LENGTH = 255;

  private Vrf() {}

  /** Evaluates the VRF of {@code secretKey} at ({@code domain}, {@code input}). */
  public static VrfProof prove(BlsSecretKey secretKey, String domain, Bytes input) {
    return VrfProof.of(Bls.sign(secretKey, message(domain, input), DST));
  }

  /**
   * The output if {@code proof} is the VRF proof of {@code publicKey} at ({@code domain}, {@code
   * input}), else empty.
   */
  public static Optional<Bytes32> verify(
      BlsPublicKey publicKey, String domain, Bytes input, BlsSignature proof) {
    if (publicKey == null || proof == null) {
      throw new InvalidInputException("VRF public key and proof are required");
    }
    return Bls.verify(publicKey, message(domain, input), proof, DST)
        ? Optional.of(output(proof))
        : Optional.empty();
  }

  /**
   * As {@link #verify(BlsPublicKey, String, Bytes, BlsSignature)}, and the claimed output must
   * match.
   */
  public static Optional<Bytes32> verify(
      BlsPublicKey publicKey, String domain, Bytes input, VrfProof proof) {
    if (proof == null) {
      throw new InvalidInputException("VRF proof is required");
    }
    return verify(publicKey, domain, input, proof.proof()).filter(proof.output()::equals);
  }

  /** sha256 of the proof's 96 compressed bytes. */
  public static Bytes32 output(BlsSignature proof) {
    return Hashes.sha256(proof.toBytes());
  }

  /**
   * The signed message: one byte with the domain's length, the domain in ASCII, then the input.
   *
   * @throws InvalidInputException if the domain is empty, longer than 255 characters, or has a
   *     character outside printable ASCII (0x21..0x7e)
   */
  public static Bytes message(String domain, Bytes input) {
    checkDomain(domain);
    if (input == null) {
      throw new InvalidInputException("VRF input is missing");
    }
    byte[] tag = domain.getBytes(StandardCharsets.US_ASCII);
    return Bytes.concatenate(Bytes.of(tag.length), Bytes.wrap(tag), input);
  }

  private static void checkDomain(String domain) {
    if (domain == null || domain.isEmpty()) {
      throw new InvalidInputException("VRF domain must not be empty");
    }
    if (domain.length() > MAX_DOMAIN_LENGTH) {
      throw new InvalidInputException(
          "VRF domain must be at most "
              + MAX_DOMAIN_LENGTH
              + " characters, got "
              + domain.length());
    }
    for (int i = 0; i < domain.length(); i++) {
      char c = domain.charAt(i);
      if (c < 0x21 || c > 0x7e) {
        throw new InvalidInputException(
            "VRF domain must be printable ASCII without spaces; character "
                + i
                + " is U+"
                + String.format("%04X", (int) c));
      }
    }
  }
}
