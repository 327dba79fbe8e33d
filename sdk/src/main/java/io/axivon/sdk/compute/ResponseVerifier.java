package io.axivon.sdk.compute;

import io.axivon.common.InvalidInputException;
import io.axivon.common.crypto.Hashes;
import io.axivon.common.crypto.secp256k1.Secp256k1Signature;
import java.util.Map;
import java.util.Optional;
import org.apache.tuweni.bytes.Bytes;
import org.apache.tuweni.bytes.Bytes32;

/**
 * Checks a provider's response according to its service's verifiability (specs/compute.md section
 * 8). {@link #forService} picks the check: none for {@code none}, {@link SignedResponse} for {@code
 * signed-response}. {@code tee-attested} is the extension point: an implementation verifies the
 * enclave's attestation report (carried in a response header) against the measurement the provider
 * registered, then the response signature made with the enclave's key; none ships yet, so such
 * responses are reported unverifiable rather than accepted.
 */
public interface ResponseVerifier {
  /**
   * The outcome; {@code evidence} is present when the provider signed something that does not
   * match.
   */
  record Verdict(boolean verified, String reason, Optional<ResponseEvidence> evidence) {}

  /**
   * @param headers the response headers by exact name ({@link ComputeHeaders})
   */
  Verdict verify(ServiceInfo service, Bytes32 requestHash, Bytes body, Map<String, String> headers);

  /** The verifier for a service's verifiability. */
  static ResponseVerifier forService(ServiceInfo service) {
    return switch (service.verifiability()) {
      case NONE -> (s, h, b, m) -> new Verdict(true, "service is not verifiable", Optional.empty());
      case SIGNED_RESPONSE -> new SignedResponse();
      case TEE_ATTESTED ->
          (s, h, b, m) ->
              new Verdict(false, "TEE attestation is not supported yet", Optional.empty());
    };
  }

  /** A signed-response service: the provider signs keccak256(requestHash ‖ keccak256(body)). */
  final class SignedResponse implements ResponseVerifier {
    @Override
    public Verdict verify(
        ServiceInfo service, Bytes32 requestHash, Bytes body, Map<String, String> headers) {
      String sig = headers.get(ComputeHeaders.RESPONSE_SIGNATURE);
      if (sig == null) {
        return new Verdict(false, "response is not signed", Optional.empty());
      }
      Secp256k1Signature signature;
      try {
        signature = Secp256k1Signature.decode(Bytes.fromHexString(sig));
      } catch (IllegalArgumentException | InvalidInputException e) {
        return new Verdict(
            false, "response signature is malformed: " + e.getMessage(), Optional.empty());
      }
      Bytes32 delivered = Hashes.keccak256(body);
      String claimedHex = headers.get(ComputeHeaders.RESPONSE_HASH);
      Bytes32 claimed;
      try {
        claimed = claimedHex == null ? delivered : Bytes32.fromHexString(claimedHex);
      } catch (IllegalArgumentException e) {
        return new Verdict(false, "response hash header is malformed", Optional.empty());
      }
      ResponseEvidence evidence =
          new ResponseEvidence(service.provider(), requestHash, claimed, signature);
      if (!evidence.signedByProvider()) {
        return new Verdict(
            false, "response signature is not the provider's over this request", Optional.empty());
      }
      if (!claimed.equals(delivered)) {
        return new Verdict(
            false,
            "the provider signed a response hash the delivered body does not have",
            Optional.of(evidence));
      }
      return new Verdict(true, "signed by the provider", Optional.empty());
    }
  }
}
