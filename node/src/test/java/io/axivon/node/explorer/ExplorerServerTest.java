package io.axivon.node.explorer;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import io.axivon.node.testing.RefusingPort;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The explorer server's files and relay against a stub upstream, without a browser. */
class ExplorerServerTest {
  private static final String ANSWER = "{\"jsonrpc\":\"2.0\",\"id\":1,\"result\":\"0x2a\"}";

  private final List<String> received = new CopyOnWriteArrayList<>();
  private final HttpClient http = HttpClient.newHttpClient();
  private HttpServer upstream;
  private RefusingPort down;
  private ExplorerServer explorer;

  @BeforeEach
  void start() throws Exception {
    upstream = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    upstream.createContext(
        "/",
        ex -> {
          received.add(new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
          byte[] body = ANSWER.getBytes(StandardCharsets.UTF_8);
          // a misbehaving upstream: the relay must not serve its answer as a page of its origin
          ex.getResponseHeaders().set("Content-Type", "text/html");
          ex.sendResponseHeaders(200, body.length);
          try (OutputStream out = ex.getResponseBody()) {
            out.write(body);
          }
        });
    upstream.start();
    down = new RefusingPort();
    explorer =
        ExplorerServer.start(
            "127.0.0.1",
            0,
            ProxyRoutesTest.manifest(
                Map.of(),
                "http://127.0.0.1:" + upstream.getAddress().getPort() + "/",
                down.url() + "/"));
  }

  @AfterEach
  void stop() throws Exception {
    explorer.close();
    upstream.stop(0);
    down.close();
    http.close();
  }

  private HttpResponse<String> get(String path) throws Exception {
    return http.send(
        HttpRequest.newBuilder(URI.create(explorer.url()).resolve(path)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private HttpResponse<String> post(String path, String body) throws Exception {
    return http.send(
        HttpRequest.newBuilder(URI.create(explorer.url()).resolve(path))
            .POST(HttpRequest.BodyPublishers.ofString(body))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void servesThePageItsModulesAndTheManifest() throws Exception {
    HttpResponse<String> page = get("/");
    assertThat(page.statusCode()).isEqualTo(200);
    assertThat(page.body()).contains("explorer.js").contains("id=\"validators\"");
    assertThat(page.headers().firstValue("Content-Security-Policy"))
        .hasValueSatisfying(csp -> assertThat(csp).contains("default-src 'self'"));
    HttpResponse<String> js = get("/explorer.js");
    assertThat(js.headers().firstValue("Content-Type"))
        .hasValueSatisfying(t -> t.contains("javascript"));
    assertThat(get("/abi.js").body()).contains("export const SELECTORS");
    assertThat(get("/explorer.css").statusCode()).isEqualTo(200);
    JsonNode manifest = new ObjectMapper().readTree(get("/api/manifest").body());
    assertThat(manifest.path("explorer").asText()).isEqualTo(explorer.url());
    assertThat(manifest.path("chains")).hasSize(2);
  }

  @Test
  void relaysAnAllowedCallVerbatim() throws Exception {
    String call = "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"eth_blockNumber\",\"params\":[]}";
    HttpResponse<String> r = post("/rpc/chain/0", call);
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.body()).isEqualTo(ANSWER);
    assertThat(r.headers().firstValue("Content-Type")).contains("application/json");
    assertThat(received).containsExactly(call);
  }

  @Test
  void refusesWithoutCallingUpstream() throws Exception {
    HttpResponse<String> write =
        post(
            "/rpc/chain/0", "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"eth_sendRawTransaction\"}");
    assertThat(write.statusCode()).isEqualTo(400);
    assertThat(write.body()).contains("eth_sendRawTransaction is not offered");
    assertThat(post("/rpc/chain/0", "{").statusCode()).isEqualTo(400);
    HttpResponse<String> big = post("/rpc/chain/0", "x".repeat(ProxyRoutes.MAX_REQUEST_BYTES + 10));
    assertThat(big.statusCode()).isEqualTo(413);
    assertThat(get("/rpc/chain/0").statusCode()).isEqualTo(405);
    HttpResponse<String> unknown = post("/rpc/chain/9", "{\"method\":\"eth_chainId\"}");
    assertThat(unknown.statusCode()).isEqualTo(404);
    assertThat(unknown.body()).contains("no such endpoint in this devnet");
    assertThat(post("/rpc/kv", "{\"method\":\"kv_getStatus\"}").statusCode()).isEqualTo(404);
    assertThat(received).isEmpty();
  }

  @Test
  void anUpstreamThatIsDownIsA502() throws Exception {
    HttpResponse<String> r = post("/rpc/storage/0", "{\"method\":\"zgs_getStatus\"}");
    assertThat(r.statusCode()).isEqualTo(502);
    assertThat(r.body()).contains("storage-0 did not answer");
  }

  @Test
  void otherPathsAndMethodsAreRefused() throws Exception {
    assertThat(get("/etc/passwd").statusCode()).isEqualTo(404);
    assertThat(get("/ExplorerServer.class").statusCode()).isEqualTo(404);
    assertThat(post("/", "x").statusCode()).isEqualTo(405);
    HttpResponse<String> da = get("/api/da/blobs/0x" + "00".repeat(32) + "/status");
    assertThat(da.statusCode()).isEqualTo(404);
    assertThat(da.body()).contains("runs no DA API");
  }
}
