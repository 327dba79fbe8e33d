package io.axivon.sdk.compute;

import io.axivon.common.InvalidInputException;
import io.axivon.common.crypto.Hashes;
import io.axivon.common.crypto.secp256k1.Address;
import io.axivon.common.crypto.secp256k1.Secp256k1;
import io.axivon.common.crypto.secp256k1.Secp256k1PrivateKey;
import io.axivon.common.crypto.secp256k1.Secp256k1Signature;
import java.io.IOException;
import java.math.BigInteger;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.tuweni.bytes.Bytes;
import org.apache.tuweni.bytes.Bytes32;

/**
 * The user's side of the compute market: signs requests with the user's key and sends them to a
 * provider's gateway, and verifies signed responses. Account operations (fund, transfer, refund)
 * are on {@link ServingClient}.
 */
public final class ComputeClient {
  private final HttpClient http;
  private final Secp256k1PrivateKey key;
  private final ServingDomain domain;
  private final Duration timeout;

  public ComputeClient(
      HttpClient http, Secp256k1PrivateKey key, ServingDomain domain, Duration timeout) {
    this.http = http;
    this.key = key;
    this.domain = domain;
    this.timeout = timeout;
  }

  /**
   * A gateway's answer.
   *
   * @param receipt for signed-response services: the provider's signed {@link ResponseReceipt} of
   *     this answer as its headers state it (response hash, output units), not yet checked: {@link
   *     SignedReceipt#verify} says whether the provider signed it
   */
  public record Response(
      int status,
      Bytes body,
      Bytes32 requestHash,
      BigInteger owed,
      Optional<Bytes> signature,
      Optional<SignedReceipt> receipt) {}

  /** Signs a request for {@code body} (its hash is keccak256 of the body). */
  public SignedRequest sign(
      Address provider, String service, long nonce, BigInteger fee, Bytes body) {
    return SignedRequest.sign(
        new ServingRequest(
            key.address(),
            provider,
            service,
            BigInteger.valueOf(nonce),
            fee,
            Hashes.keccak256(body)),
        domain,
        key);
  }

  /** The headers that carry a signed request. */
  public static Map<String, String> headers(SignedRequest s) {
    ServingRequest r = s.request();
    return Map.of(
        ComputeHeaders.USER, r.user().toString(),
        ComputeHeaders.SERVICE, r.service(),
        ComputeHeaders.NONCE, r.nonce().toString(),
        ComputeHeaders.FEE, r.fee().toString(),
        ComputeHeaders.SIGNATURE, s.signature().encode().toHexString());
  }

  /**
   * Sends a signed POST of {@code body} to {@code url} (the gateway plus the upstream path).
   *
   * @throws ComputeException with the gateway's status if it refuses (4xx/5xx)
   */
  public Response post(
      URI url, Address provider, String service, long nonce, BigInteger fee, Bytes body)
      throws IOException, InterruptedException {
    SignedRequest s = sign(provider, service, nonce, fee, body);
    HttpRequest.Builder b =
        HttpRequest.newBuilder(url)
            .timeout(timeout)
            .POST(HttpRequest.BodyPublishers.ofByteArray(body.toArrayUnsafe()));
    headers(s).forEach(b::header);
    HttpResponse<byte[]> resp = http.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
    Bytes out = Bytes.wrap(resp.body());
    if (resp.statusCode() >= 400
        && resp.headers().firstValue(ComputeHeaders.REQUEST_HASH).isEmpty()) {
      throw new ComputeException(
          "gateway refused ("
              + resp.statusCode()
              + "): "
              + new String(resp.body(), java.nio.charset.StandardCharsets.UTF_8).strip(),
          resp.statusCode(),
          null);
    }
    return new Response(
        resp.statusCode(),
        out,
        s.request().requestHash(),
        resp.headers().firstValue(ComputeHeaders.OWED).map(BigInteger::new).orElse(BigInteger.ZERO),
        resp.headers().firstValue(ComputeHeaders.RESPONSE_SIGNATURE).map(Bytes::fromHexString),
        receipt(s.request(), out, resp.headers().map()));
  }

  /**
   * The receipt a response's headers carry, rebuilt from the request and what the headers claim
   * (response hash, else the body's; output units); empty when there is none or it does not parse.
   */
  static Optional<SignedReceipt> receipt(
      ServingRequest request, Bytes body, Map<String, List<String>> headers) {
    java.util.function.Function<String, Optional<String>> h =
        name ->
            headers.entrySet().stream()
                .filter(e -> e.getKey().equalsIgnoreCase(name) && !e.getValue().isEmpty())
                .map(e -> e.getValue().getFirst())
                .findFirst();
    Optional<String> sig = h.apply(ComputeHeaders.RECEIPT_SIGNATURE);
    if (sig.isEmpty()) {
      return Optional.empty();
    }
    try {
      Bytes32 responseHash =
          h.apply(ComputeHeaders.RESPONSE_HASH)
              .map(Bytes32::fromHexString)
              .orElse(Hashes.keccak256(body));
      BigInteger units =
          new BigInteger(h.apply(ComputeHeaders.OUTPUT_UNITS).orElse("" + body.size()));
      return Optional.of(
          new SignedReceipt(
              new ResponseReceipt(
                  request.user(),
                  request.provider(),
                  request.service(),
                  request.nonce(),
                  request.fee(),
                  request.requestHash(),
                  responseHash,
                  units),
              Secp256k1Signature.decode(Bytes.fromHexString(sig.get()))));
    } catch (IllegalArgumentException | InvalidInputException e) {
      return Optional.empty();
    }
  }

  /** What a provider signs for a response: keccak256(requestHash ‖ keccak256(response body)). */
  public static Bytes32 responseDigest(Bytes32 requestHash, Bytes responseBody) {
    return Hashes.keccak256(Bytes.concatenate(requestHash, Hashes.keccak256(responseBody)));
  }

  /** Whether {@code signature} is the provider's over this response. */
  public static boolean verifyResponse(
      Address provider, Bytes32 requestHash, Bytes responseBody, Bytes signature) {
    try {
      return Secp256k1.recover(
              responseDigest(requestHash, responseBody), Secp256k1Signature.decode(signature))
          .address()
          .equals(provider);
    } catch (InvalidInputException e) {
      return false;
    }
  }
}
