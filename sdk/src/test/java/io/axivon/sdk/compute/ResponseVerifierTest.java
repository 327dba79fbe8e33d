package io.axivon.sdk.compute;

import static org.assertj.core.api.Assertions.assertThat;

import io.axivon.common.crypto.Hashes;
import io.axivon.common.crypto.secp256k1.Secp256k1PrivateKey;
import java.math.BigInteger;
import java.util.Map;
import org.apache.tuweni.bytes.Bytes;
import org.apache.tuweni.bytes.Bytes32;
import org.junit.jupiter.api.Test;

class ResponseVerifierTest {
  static final Secp256k1PrivateKey PROVIDER =
      Secp256k1PrivateKey.fromBytes(Hashes.keccak256(Bytes.of(5)));
  static final Bytes32 REQUEST = Hashes.keccak256(Bytes.of(1));
  static final Bytes BODY = Bytes.of(1, 2, 3);

  static ServiceInfo service(Verifiability v) {
    return new ServiceInfo(
        PROVIDER.address(), "s", "t", "http://h", "", BigInteger.ONE, BigInteger.ONE, v, 0);
  }

  static Map<String, String> signed(Bytes body) {
    return Map.of(
        ComputeHeaders.RESPONSE_SIGNATURE,
        PROVIDER.sign(ComputeClient.responseDigest(REQUEST, body)).encode().toHexString(),
        ComputeHeaders.RESPONSE_HASH,
        Hashes.keccak256(body).toHexString());
  }

  @Test
  void signedResponsesVerifyAndAMismatchIsEvidence() {
    ResponseVerifier v = ResponseVerifier.forService(service(Verifiability.SIGNED_RESPONSE));
    ServiceInfo s = service(Verifiability.SIGNED_RESPONSE);
    assertThat(v.verify(s, REQUEST, BODY, signed(BODY)).verified()).isTrue();
    // the provider signed one body and delivered another
    ResponseVerifier.Verdict bad = v.verify(s, REQUEST, Bytes.of(9), signed(BODY));
    assertThat(bad.verified()).isFalse();
    assertThat(bad.evidence()).isPresent();
    assertThat(bad.evidence().get().contradicts(Bytes.of(9))).isTrue();
    assertThat(bad.evidence().get().contradicts(BODY)).isFalse();
    // unsigned, or signed by someone else: refused, but no evidence against the provider
    assertThat(v.verify(s, REQUEST, BODY, Map.of()).reason()).isEqualTo("response is not signed");
    Map<String, String> forged =
        Map.of(
            ComputeHeaders.RESPONSE_SIGNATURE,
            Secp256k1PrivateKey.fromBytes(Hashes.keccak256(Bytes.of(6)))
                .sign(ComputeClient.responseDigest(REQUEST, BODY))
                .encode()
                .toHexString());
    ResponseVerifier.Verdict f = v.verify(s, REQUEST, BODY, forged);
    assertThat(f.verified()).isFalse();
    assertThat(f.evidence()).isEmpty();
    assertThat(
            v.verify(s, REQUEST, BODY, Map.of(ComputeHeaders.RESPONSE_SIGNATURE, "0x12"))
                .verified())
        .isFalse();
  }

  @Test
  void otherVerifiabilities() {
    assertThat(
            ResponseVerifier.forService(service(Verifiability.NONE))
                .verify(service(Verifiability.NONE), REQUEST, BODY, Map.of())
                .verified())
        .isTrue();
    assertThat(
            ResponseVerifier.forService(service(Verifiability.TEE_ATTESTED))
                .verify(service(Verifiability.TEE_ATTESTED), REQUEST, BODY, Map.of())
                .reason())
        .isEqualTo("TEE attestation is not supported yet");
  }
}
