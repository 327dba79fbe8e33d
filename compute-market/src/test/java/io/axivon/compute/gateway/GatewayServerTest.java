package io.axivon.compute.gateway;

import static io.axivon.compute.gateway.AdmissionTest.DOMAIN;
import static io.axivon.compute.gateway.AdmissionTest.PROVIDER;
import static io.axivon.compute.gateway.AdmissionTest.SERVICE;
import static io.axivon.compute.gateway.AdmissionTest.USER;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import io.axivon.sdk.compute.ComputeClient;
import io.axivon.sdk.compute.ComputeException;
import io.axivon.sdk.compute.ComputeHeaders;
import io.axivon.sdk.compute.ResponseVerifier;
import io.axivon.sdk.compute.SignedRequest;
import java.io.OutputStream;
import java.math.BigInteger;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.tuweni.bytes.Bytes;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The gateway over HTTP in front of a stub upstream that echoes the body reversed. */
class GatewayServerTest {
  @TempDir Path dir;
  HttpServer upstream;
  final AtomicInteger upstreamCalls = new AtomicInteger();
  final FakeChain chain = new FakeChain(DOMAIN);
  final HttpClient http = HttpClient.newHttpClient();
  GatewayService service;
  GatewayServer server;
  ComputeClient client;
  URI url;

  @BeforeEach
  void setUp() throws Exception {
    upstream = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    upstream.createContext(
        "/",
        ex -> {
          upstreamCalls.incrementAndGet();
          byte[] in = ex.getRequestBody().readAllBytes();
          byte[] out = new StringBuilder(new String(in)).reverse().toString().getBytes();
          int status = ex.getRequestURI().getPath().equals("/fail") ? 500 : 200;
          ex.getResponseHeaders().set("X-Upstream-Note", "kept");
          ex.getResponseHeaders().set("X-Axivon-Owed", "999"); // the gateway's header: replaced
          ex.sendResponseHeaders(status, out.length == 0 ? -1 : out.length);
          try (OutputStream o = ex.getResponseBody()) {
            o.write(out);
          }
        });
    upstream.start();
    chain.balances.put(USER.address(), BigInteger.valueOf(1_000_000));
    start(3);
    client = new ComputeClient(http, USER, DOMAIN, Duration.ofSeconds(10));
  }

  void start(int batch) throws Exception {
    GatewayConfig config =
        new GatewayConfig(
            0,
            URI.create("http://127.0.0.1:" + upstream.getAddress().getPort()),
            1_000,
            batch,
            Duration.ofHours(1),
            dir.resolve("journal"),
            true);
    // settlements in the request's thread, so each test sees a full batch settled when it returns
    service =
        new GatewayService(
            config,
            PROVIDER,
            SERVICE,
            DOMAIN,
            chain,
            http,
            io.axivon.common.time.Clock.system(),
            GatewayService.DEFAULT_ACCOUNT_TTL,
            Runnable::run);
    server = GatewayServer.start(service, config);
    url = URI.create("http://127.0.0.1:" + server.port() + "/v1/echo");
  }

  void stop() throws Exception {
    server.close();
    service.close();
  }

  @AfterEach
  void tearDown() throws Exception {
    stop();
    upstream.stop(0);
  }

  ComputeClient.Response post(long nonce, long fee, String body) throws Exception {
    return client.post(
        url,
        PROVIDER.address(),
        "echo",
        nonce,
        BigInteger.valueOf(fee),
        Bytes.wrap(body.getBytes()));
  }

  @Test
  void forwardsMetersSignsAndSettlesInBatches() throws Exception {
    ComputeClient.Response r = post(1, 100, "abc");
    assertThat(r.status()).isEqualTo(200);
    assertThat(new String(r.body().toArrayUnsafe())).isEqualTo("cba");
    assertThat(r.owed()).isEqualTo(BigInteger.valueOf(30)); // 3 output bytes at 10 wei
    assertThat(r.signature()).isPresent();
    assertThat(
            ComputeClient.verifyResponse(
                PROVIDER.address(), r.requestHash(), r.body(), r.signature().get()))
        .isTrue();
    assertThat(
            ComputeClient.verifyResponse(
                PROVIDER.address(), r.requestHash(), Bytes.of(1), r.signature().get()))
        .isFalse();
    assertThat(
            ResponseVerifier.forService(SERVICE)
                .verify(
                    SERVICE,
                    r.requestHash(),
                    r.body(),
                    java.util.Map.of(
                        ComputeHeaders.RESPONSE_SIGNATURE, r.signature().get().toHexString()))
                .verified())
        .isTrue();
    // the receipt: the provider's EIP-712 signature over request, response hash and output units
    io.axivon.sdk.compute.SignedReceipt receipt = r.receipt().orElseThrow();
    assertThat(receipt.verify(DOMAIN.separator())).isTrue();
    assertThat(receipt.receipt().outputUnits()).isEqualTo(BigInteger.valueOf(3));
    assertThat(receipt.receipt().fee()).isEqualTo(BigInteger.valueOf(100));
    assertThat(receipt.receipt().nonce()).isEqualTo(BigInteger.ONE);
    assertThat(receipt.receipt().responseHash())
        .isEqualTo(io.axivon.common.crypto.Hashes.keccak256(r.body()));
    post(2, 100, "de");
    assertThat(chain.settled).isEmpty();
    post(3, 100, "f"); // third request: a full batch settles
    assertThat(chain.settled)
        .extracting(s -> s.request().nonce().intValue())
        .containsExactly(1, 2, 3);
    assertThat(chain.nonces.get(USER.address())).isEqualTo(3);
    assertThat(service.pending()).isZero();
    // the upstream's own X- headers pass through; X-Axivon- ones are the gateway's
    HttpResponse<String> raw =
        http.send(
            HttpRequest.newBuilder(url)
                .POST(HttpRequest.BodyPublishers.ofString("zz"))
                .headers(
                    ComputeClient.headers(
                            client.sign(
                                PROVIDER.address(),
                                "echo",
                                4,
                                BigInteger.valueOf(100),
                                Bytes.wrap("zz".getBytes())))
                        .entrySet()
                        .stream()
                        .flatMap(e -> java.util.stream.Stream.of(e.getKey(), e.getValue()))
                        .toArray(String[]::new))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(raw.headers().firstValue("x-upstream-note")).contains("kept");
    assertThat(raw.headers().firstValue(ComputeHeaders.OWED)).contains("20");
  }

  @Test
  void refusedRequestsAreNeverForwarded() throws Exception {
    post(1, 100, "abc");
    assertThatThrownBy(() -> post(1, 100, "abc"))
        .isInstanceOf(ComputeException.class)
        .hasMessageContaining("(409)")
        .hasMessageContaining("nonce 1 already used");
    assertThatThrownBy(() -> post(2, 1, "abc"))
        .isInstanceOf(ComputeException.class)
        .hasMessageContaining("(402)");
    assertThatThrownBy(() -> post(2, 2_000_000, "abc"))
        .isInstanceOf(ComputeException.class)
        .hasMessageContaining("(402)")
        .hasMessageContaining("transfer more funds");
    assertThatThrownBy(() -> post(2, 100_000, "x".repeat(1_001)))
        .isInstanceOf(ComputeException.class)
        .hasMessageContaining("(413)");
    HttpResponse<String> unsigned =
        http.send(
            HttpRequest.newBuilder(url).POST(HttpRequest.BodyPublishers.ofString("abc")).build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(unsigned.statusCode()).isEqualTo(401);
    assertThat(unsigned.body()).contains("missing header X-Axivon-User");
    // forged: signed by the provider's key in the user's name
    SignedRequest real =
        client.sign(
            PROVIDER.address(), "echo", 2, BigInteger.valueOf(100), Bytes.wrap("abc".getBytes()));
    SignedRequest forged =
        new SignedRequest(real.request(), PROVIDER.sign(real.request().digest(DOMAIN)));
    HttpRequest.Builder b =
        HttpRequest.newBuilder(url).POST(HttpRequest.BodyPublishers.ofString("abc"));
    ComputeClient.headers(forged).forEach(b::header);
    HttpResponse<String> f = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    assertThat(f.statusCode()).isEqualTo(401);
    assertThat(upstreamCalls.get()).isEqualTo(1);
  }

  @Test
  void anUpstreamFailureIsNotCharged() throws Exception {
    URI fail = URI.create(url.toString().replace("/v1/echo", "/fail"));
    assertThatThrownBy(
            () ->
                client.post(
                    fail,
                    PROVIDER.address(),
                    "echo",
                    1,
                    BigInteger.valueOf(100),
                    Bytes.wrap("abc".getBytes())))
        .isInstanceOfSatisfying(ComputeException.class, e -> assertThat(e.status()).isEqualTo(502))
        .hasMessageContaining("upstream answered 500; the request is not charged");
    assertThat(service.pending()).isZero();
    post(2, 100, "a");
    service.maybeSettle(true);
    assertThat(chain.settled).extracting(s -> s.request().nonce().intValue()).containsExactly(2);
  }

  @Test
  void aCrashAfterTheSettlementLandedNeitherLosesNorDuplicates() throws Exception {
    stop();
    start(100);
    post(1, 100, "a");
    post(2, 100, "b");
    chain.failAfterApplying = true;
    service.maybeSettle(true); // the transaction lands, the gateway never learns it
    assertThat(chain.settled).hasSize(2);
    assertThat(service.pending()).isEqualTo(2);
    post(3, 100, "c");
    stop(); // the journal is all that survives
    start(100);
    assertThat(service.pending()).isEqualTo(3);
    service.maybeSettle(true);
    assertThat(chain.settled)
        .extracting(s -> s.request().nonce().intValue())
        .containsExactly(1, 2, 3);
    assertThat(service.pending()).isZero();
    // and the restarted gateway still refuses replays of what it accepted before
    assertThatThrownBy(() -> post(3, 100, "c")).hasMessageContaining("(409)");
  }

  @Test
  void aCrashBeforeSettlementSettlesEverythingOnceAfterRestart() throws Exception {
    stop();
    start(100);
    for (int i = 1; i <= 5; i++) {
      post(i, 100, "x" + i);
    }
    stop();
    start(100);
    service.maybeSettle(true);
    service.maybeSettle(true);
    assertThat(chain.settled)
        .extracting(s -> s.request().nonce().intValue())
        .containsExactly(1, 2, 3, 4, 5);
    assertThat(chain.settleCalls).isEqualTo(1);
  }

  @Test
  void accountIsReadOncePerBurstButTopUpsAndSettlementsAreSeen() throws Exception {
    chain.balances.put(USER.address(), BigInteger.valueOf(250));
    int before = chain.accountReads;
    assertThat(post(1, 100, "a").status()).isEqualTo(200);
    assertThat(post(2, 100, "b").status()).isEqualTo(200);
    assertThat(chain.accountReads - before).isEqualTo(1); // the second one hit the cache
    // 200 unsettled of the 250 the cache holds: refused on the cached view, then the gateway
    // re-reads and sees the top-up
    chain.balances.put(USER.address(), BigInteger.valueOf(1_000));
    assertThat(post(3, 100, "c").status()).isEqualTo(200); // a full batch of 3 settles
    assertThat(chain.settled).hasSize(3);
    int afterSettle = chain.accountReads;
    // the settlement invalidated the user's entry: the next request reads the charged balance
    assertThat(post(4, 100, "d").status()).isEqualTo(200);
    assertThat(chain.accountReads).isEqualTo(afterSettle + 1);
    assertThatThrownBy(() -> post(5, 800, "e"))
        .isInstanceOf(ComputeException.class)
        .hasMessageContaining("(402)")
        .hasMessageContaining("holds 700 wei");
  }
}
