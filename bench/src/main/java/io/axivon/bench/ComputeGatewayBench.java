package io.axivon.bench;

import com.sun.net.httpserver.HttpServer;
import io.axivon.common.crypto.Hashes;
import io.axivon.common.crypto.secp256k1.Address;
import io.axivon.common.crypto.secp256k1.Secp256k1PrivateKey;
import io.axivon.common.time.Clock;
import io.axivon.compute.gateway.GatewayConfig;
import io.axivon.compute.gateway.GatewayServer;
import io.axivon.compute.gateway.GatewayService;
import io.axivon.compute.gateway.SettlementChain;
import io.axivon.sdk.compute.ComputeClient;
import io.axivon.sdk.compute.ServiceInfo;
import io.axivon.sdk.compute.ServingDomain;
import io.axivon.sdk.compute.SignedRequest;
import io.axivon.sdk.compute.SubAccount;
import io.axivon.sdk.compute.Verifiability;
import java.io.OutputStream;
import java.math.BigInteger;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.apache.commons.io.file.PathUtils;
import org.apache.tuweni.bytes.Bytes;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Latency a provider gateway adds: {@code gateway} is a paid 1 KiB POST through the gateway
 * (admission with signature recovery, journal append forced to disk, forwarding, metering, response
 * signing) to a local upstream that answers 1 KiB; {@code direct}, the reference, is the same POST
 * to the upstream itself. Sample mode, so JMH prints p50 and p99 of both; the user's signing is
 * done outside the measured call. The chain is an in-memory stand-in (balances never run out, no
 * settlement during the run) whose sub-account read waits {@code chainReadMicros}, a model of one
 * getAccount eth_call round trip to chain 0's JSON-RPC; {@code accountTtlMs} is the gateway's
 * account cache ({@code 0}: one chain read per request, the gateway before the cache).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 2, time = 3)
@Measurement(iterations = 3, time = 5)
@Fork(value = 1, jvmArgsAppend = "--enable-native-access=ALL-UNNAMED")
public class ComputeGatewayBench {
  private static final ServingDomain DOMAIN = ServingDomain.of(12700);
  private static final Secp256k1PrivateKey USER =
      Secp256k1PrivateKey.fromBytes(Hashes.keccak256(Bytes.of(1)));
  private static final Secp256k1PrivateKey PROVIDER =
      Secp256k1PrivateKey.fromBytes(Hashes.keccak256(Bytes.of(2)));
  private static final Bytes BODY = Bytes.wrap(new byte[1024]);

  /** Whether the journal forces each accepted request to disk (see GatewayConfig.fsync). */
  @Param({"true", "false"})
  public boolean fsync;

  /** How long the gateway keeps a sub-account read (0: reads the chain on every request). */
  @Param({"0", "1000"})
  public long accountTtlMs;

  /** The stand-in chain's latency per sub-account read. */
  @Param({"500"})
  public long chainReadMicros;

  private Path dir;
  private HttpServer upstream;
  private GatewayService service;
  private GatewayServer server;
  private HttpClient http;
  private ComputeClient client;
  private URI direct;
  private URI gateway;
  private long nonce;
  private Map<String, String> headers;

  @Setup(Level.Trial)
  public void setUp() throws Exception {
    dir = Files.createTempDirectory("gateway-bench");
    upstream = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    upstream.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
    byte[] answer = new byte[1024];
    upstream.createContext(
        "/",
        ex -> {
          ex.getRequestBody().readAllBytes();
          ex.sendResponseHeaders(200, answer.length);
          try (OutputStream o = ex.getResponseBody()) {
            o.write(answer);
          }
        });
    upstream.start();
    URI up = URI.create("http://127.0.0.1:" + upstream.getAddress().getPort());
    ServiceInfo info =
        new ServiceInfo(
            PROVIDER.address(),
            "echo",
            "echo",
            up.toString(),
            "",
            BigInteger.ONE,
            BigInteger.ONE,
            Verifiability.SIGNED_RESPONSE,
            1);
    SettlementChain chain =
        new SettlementChain() {
          @Override
          public SubAccount account(Address user, Address provider) {
            LockSupport.parkNanos(chainReadMicros * 1_000);
            return new SubAccount(BigInteger.TEN.pow(30), BigInteger.ZERO, BigInteger.ZERO, 0);
          }

          @Override
          public void settle(List<SignedRequest> batch) {}
        };
    GatewayConfig config =
        new GatewayConfig(0, up, 1 << 20, 256, Duration.ofHours(1), dir.resolve("journal"), fsync);
    http = HttpClient.newHttpClient();
    service =
        new GatewayService(
            config,
            PROVIDER,
            info,
            DOMAIN,
            chain,
            http,
            Clock.system(),
            Duration.ofMillis(accountTtlMs));
    server = GatewayServer.start(service, config);
    client = new ComputeClient(http, USER, DOMAIN, Duration.ofSeconds(10));
    direct = up.resolve("/v1/echo");
    gateway = URI.create("http://127.0.0.1:" + server.port() + "/v1/echo");
  }

  /** Signs the next request outside the measurement (the user's cost, not the gateway's). */
  @Setup(Level.Invocation)
  public void sign() {
    SignedRequest s = client.sign(PROVIDER.address(), "echo", ++nonce, BigInteger.TEN.pow(6), BODY);
    headers = ComputeClient.headers(s);
  }

  @Benchmark
  public int direct() throws Exception {
    return send(direct, Map.of());
  }

  @Benchmark
  public int gateway() throws Exception {
    return send(gateway, headers);
  }

  private int send(URI uri, Map<String, String> h) throws Exception {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(uri)
            .POST(HttpRequest.BodyPublishers.ofByteArray(BODY.toArrayUnsafe()));
    h.forEach(b::header);
    HttpResponse<byte[]> r = http.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
    if (r.statusCode() != 200) {
      throw new IllegalStateException("status " + r.statusCode() + ": " + new String(r.body()));
    }
    return r.body().length;
  }

  @TearDown(Level.Trial)
  public void tearDown() throws Exception {
    server.close();
    service.close();
    upstream.stop(0);
    PathUtils.deleteDirectory(dir);
  }
}
