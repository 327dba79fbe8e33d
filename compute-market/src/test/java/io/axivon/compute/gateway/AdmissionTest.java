package io.axivon.compute.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import io.axivon.common.crypto.Hashes;
import io.axivon.common.crypto.secp256k1.Address;
import io.axivon.common.crypto.secp256k1.Secp256k1PrivateKey;
import io.axivon.sdk.compute.ComputeClient;
import io.axivon.sdk.compute.ComputeHeaders;
import io.axivon.sdk.compute.ServiceInfo;
import io.axivon.sdk.compute.ServingDomain;
import io.axivon.sdk.compute.SignedRequest;
import io.axivon.sdk.compute.SubAccount;
import io.axivon.sdk.compute.Verifiability;
import java.math.BigInteger;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.tuweni.bytes.Bytes;
import org.junit.jupiter.api.Test;

class AdmissionTest {
  static final ServingDomain DOMAIN = ServingDomain.of(12700);
  static final Secp256k1PrivateKey USER = key(1);
  static final Secp256k1PrivateKey PROVIDER = key(2);
  static final ServiceInfo SERVICE =
      new ServiceInfo(
          PROVIDER.address(),
          "echo",
          "echo",
          "http://127.0.0.1:1",
          "",
          BigInteger.TWO,
          BigInteger.TEN,
          Verifiability.SIGNED_RESPONSE,
          1);
  static final Bytes BODY = Bytes.wrap("hello".getBytes(java.nio.charset.StandardCharsets.UTF_8));

  static Secp256k1PrivateKey key(int n) {
    return Secp256k1PrivateKey.fromBytes(Hashes.keccak256(Bytes.ofUnsignedInt(n + 7)));
  }

  final Admission admission = new Admission(PROVIDER.address(), DOMAIN.separator(), SERVICE, 100);
  final ComputeClient client =
      new ComputeClient(HttpClient.newHttpClient(), USER, DOMAIN, Duration.ofSeconds(5));
  BigInteger balance = BigInteger.valueOf(100);

  SubAccount account(Address u) {
    return new SubAccount(balance, BigInteger.ZERO, BigInteger.ZERO, 0);
  }

  Admission.Decision admit(Map<String, String> headers, Bytes body) {
    Map<String, String> lower = new HashMap<>();
    headers.forEach((k, v) -> lower.put(k.toLowerCase(), v));
    return admission.admit(h -> lower.get(h.toLowerCase()), body, this::account);
  }

  Admission.Decision send(long nonce, long fee, Bytes body) {
    SignedRequest s = client.sign(PROVIDER.address(), "echo", nonce, BigInteger.valueOf(fee), body);
    return admit(ComputeClient.headers(s), body);
  }

  static Admission.Refused refused(Admission.Decision d) {
    assertThat(d).isInstanceOf(Admission.Refused.class);
    return (Admission.Refused) d;
  }

  @Test
  void acceptsASignedFundedRequestAndRefusesItsReplay() {
    assertThat(send(1, 10, BODY)).isInstanceOf(Admission.Accepted.class);
    assertThat(admission.unsettled(USER.address())).isEqualTo(BigInteger.TEN);
    Admission.Refused r = refused(send(1, 10, BODY));
    assertThat(r.status()).isEqualTo(409);
    assertThat(r.message()).isEqualTo("nonce 1 already used: the next must be above 1");
    assertThat(send(3, 10, BODY)).isInstanceOf(Admission.Accepted.class);
    assertThat(refused(send(2, 10, BODY)).status()).isEqualTo(409);
  }

  @Test
  void unsignedAndMisSignedRequestsGet401() {
    Admission.Refused r = refused(admit(Map.of(), BODY));
    assertThat(r.status()).isEqualTo(401);
    assertThat(r.message()).isEqualTo("missing header X-Axivon-User: requests must be signed");
    SignedRequest s = client.sign(PROVIDER.address(), "echo", 1, BigInteger.TEN, BODY);
    // the body changed after signing
    Admission.Refused changed =
        refused(admit(ComputeClient.headers(s), Bytes.wrap(new byte[] {1})));
    assertThat(changed.status()).isEqualTo(401);
    assertThat(changed.message()).startsWith("signature is not " + USER.address() + "'s");
    // signed for another provider
    SignedRequest other = client.sign(key(9).address(), "echo", 1, BigInteger.TEN, BODY);
    assertThat(refused(admit(ComputeClient.headers(other), BODY)).status()).isEqualTo(401);
    // a raised fee header
    Map<String, String> h = new HashMap<>(ComputeClient.headers(s));
    h.put(ComputeHeaders.FEE, "11");
    assertThat(refused(admit(h, BODY)).status()).isEqualTo(401);
    h.put(ComputeHeaders.FEE, "ten");
    Admission.Refused bad = refused(admit(h, BODY));
    assertThat(bad.status()).isEqualTo(400);
    assertThat(bad.message())
        .isEqualTo("malformed request headers: X-Axivon-Fee must be a decimal integer, got 'ten'");
    assertThat(admission.unsettled(USER.address())).isZero();
  }

  @Test
  void underpaidAndUnderfundedRequestsGet402() {
    // 5 input bytes at 2 wei
    Admission.Refused low = refused(send(1, 9, BODY));
    assertThat(low.status()).isEqualTo(402);
    assertThat(low.message())
        .isEqualTo(
            "fee of 9 wei is below the 10 wei due (5 input units at 2 wei plus 0 wei owed for output)");
    assertThat(send(1, 60, BODY)).isInstanceOf(Admission.Accepted.class);
    Admission.Refused poor = refused(send(2, 50, BODY));
    assertThat(poor.status()).isEqualTo(402);
    assertThat(poor.message())
        .contains("holds 100 wei not being refunded, below the 110 wei of unsettled fees");
    // output owed is due with the next request
    assertThat(admission.served(USER.address(), 3)).isEqualTo(BigInteger.valueOf(30));
    assertThat(refused(send(2, 39, BODY)).message()).contains("plus 30 wei owed for output");
    assertThat(send(2, 40, BODY)).isInstanceOf(Admission.Accepted.class);
    admission.settled(
        List.of(client.sign(PROVIDER.address(), "echo", 1, BigInteger.valueOf(60), BODY)));
    assertThat(admission.unsettled(USER.address())).isEqualTo(BigInteger.valueOf(40));
  }

  @Test
  void oversizeAndUnknownServiceAreRefused() {
    Admission.Refused big = refused(send(1, 1_000, Bytes.wrap(new byte[101])));
    assertThat(big.status()).isEqualTo(413);
    assertThat(big.message()).isEqualTo("request body of 101 bytes exceeds the limit of 100");
    SignedRequest s = client.sign(PROVIDER.address(), "other", 1, BigInteger.TEN, BODY);
    Admission.Refused unknown = refused(admit(ComputeClient.headers(s), BODY));
    assertThat(unknown.status()).isEqualTo(404);
  }
}
