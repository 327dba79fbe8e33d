package io.axivon.sdk.rpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class JsonRpcClientTest {
  private final ObjectMapper mapper = new ObjectMapper();
  private final CountDownLatch release = new CountDownLatch(1);
  private HttpServer server;

  @AfterEach
  void stop() {
    release.countDown();
    if (server != null) {
      server.stop(0);
    }
  }

  /** A JSON-RPC server whose answer to each request is computed by {@code answer}. */
  private URI serve(Function<ObjectNode, JsonNode> answer) throws IOException {
    return serveRaw(
        body -> {
          JsonNode request = mapper.readTree(body);
          if (request.isArray()) {
            List<JsonNode> answers = new ArrayList<>();
            request.forEach(r -> answers.add(answer.apply((ObjectNode) r)));
            Collections.reverse(answers); // the spec allows any order
            ArrayNode out = mapper.createArrayNode();
            answers.forEach(out::add);
            return mapper.writeValueAsBytes(out);
          }
          return mapper.writeValueAsBytes(answer.apply((ObjectNode) request));
        });
  }

  interface Handler {
    byte[] handle(byte[] body) throws IOException;
  }

  private URI serveRaw(Handler handler) throws IOException {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext(
        "/",
        (HttpExchange exchange) -> {
          byte[] out = handler.handle(exchange.getRequestBody().readAllBytes());
          exchange.getResponseHeaders().add("Content-Type", "application/json");
          exchange.sendResponseHeaders(200, out.length);
          exchange.getResponseBody().write(out);
          exchange.close();
        });
    server.start();
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/");
  }

  private ObjectNode result(JsonNode request, Object value) {
    ObjectNode r = mapper.createObjectNode().put("jsonrpc", "2.0");
    r.set("id", request.get("id"));
    r.set("result", mapper.valueToTree(value));
    return r;
  }

  private ObjectNode error(JsonNode request, int code, String message) {
    ObjectNode r = mapper.createObjectNode().put("jsonrpc", "2.0");
    r.set("id", request.get("id"));
    r.putObject("error").put("code", code).put("message", message).put("data", "0xdead");
    return r;
  }

  private JsonNode calculator(ObjectNode request) {
    JsonNode params = request.get("params");
    return switch (request.get("method").asText()) {
      case "add" -> result(request, params.get(0).asLong() + params.get(1).asLong());
      case "echo" -> result(request, params.get(0));
      default -> error(request, -32601, "the method does not exist");
    };
  }

  @Test
  void callReturnsTypedResult() throws IOException {
    JsonRpcClient client = new JsonRpcClient(serve(this::calculator), Duration.ofSeconds(5));
    assertThat(client.call("add", Long.class, 2, 40)).isEqualTo(42L);
    assertThat(client.call("echo", String.class, "hi")).isEqualTo("hi");
  }

  @Test
  void preparedCallIsWrittenOnceAndSentAsItIs() throws IOException {
    URI uri = serve(this::calculator);
    JsonRpcClient a = new JsonRpcClient(uri, Duration.ofSeconds(5));
    JsonRpcClient b = new JsonRpcClient(uri, Duration.ofSeconds(5));
    JsonRpcClient.Prepared add = a.prepare("add", 2, 40);
    assertThat(mapper.readTree(add.body()).path("method").asText()).isEqualTo("add");
    assertThat(a.send(add).asLong()).isEqualTo(42);
    assertThat(b.send(add).asLong()).isEqualTo(42);
    JsonRpcClient.Prepared nope = a.prepare("nope");
    assertThatThrownBy(() -> b.send(nope))
        .isInstanceOfSatisfying(
            JsonRpcException.class, e -> assertThat(e.code()).isEqualTo(-32601));
  }

  @Test
  void readerReadsTheAnswers() throws IOException {
    List<Integer> seen = Collections.synchronizedList(new ArrayList<>());
    JsonRpcClient client =
        new JsonRpcClient(
            serve(this::calculator),
            Duration.ofSeconds(5),
            mapper,
            body -> {
              seen.add(body.length);
              return mapper.readTree(body);
            });
    assertThat(client.call("add", Long.class, 1, 2)).isEqualTo(3L);
    assertThat(seen).hasSize(1);
  }

  @Test
  void remoteErrorKeepsCodeMessageAndData() throws IOException {
    JsonRpcClient client = new JsonRpcClient(serve(this::calculator), Duration.ofSeconds(5));
    assertThatThrownBy(() -> client.call("nope", String.class))
        .isInstanceOfSatisfying(
            JsonRpcException.class,
            e -> {
              assertThat(e.kind()).isEqualTo(JsonRpcException.Kind.REMOTE);
              assertThat(e.code()).isEqualTo(-32601);
              assertThat(e.getMessage()).isEqualTo("the method does not exist");
              assertThat(e.data()).map(JsonNode::asText).contains("0xdead");
            });
  }

  @Test
  void batchMatchesAnswersById() throws IOException {
    JsonRpcClient client = new JsonRpcClient(serve(this::calculator), Duration.ofSeconds(5));
    JsonRpcClient.Batch batch = client.batch();
    var sum = batch.add("add", Long.class, 1, 2);
    var echo = batch.add("echo", String.class, "x");
    var bad = batch.add("nope", String.class);
    assertThatThrownBy(sum::get).isInstanceOf(IllegalStateException.class);
    batch.send();
    assertThat(sum.get()).isEqualTo(3L);
    assertThat(echo.get()).isEqualTo("x");
    assertThatThrownBy(bad::get)
        .isInstanceOfSatisfying(
            JsonRpcException.class, e -> assertThat(e.code()).isEqualTo(-32601));
  }

  @Test
  void resultOfWrongTypeIsBadResponse() throws IOException {
    JsonRpcClient client = new JsonRpcClient(serve(this::calculator), Duration.ofSeconds(5));
    assertThatThrownBy(() -> client.call("echo", Long.class, "not a number"))
        .isInstanceOfSatisfying(
            JsonRpcException.class,
            e -> assertThat(e.kind()).isEqualTo(JsonRpcException.Kind.BAD_RESPONSE));
  }

  @Test
  void nonJsonAnswerIsBadResponse() throws IOException {
    URI uri = serveRaw(body -> "<html>gateway error</html>".getBytes(StandardCharsets.UTF_8));
    JsonRpcClient client = new JsonRpcClient(uri, Duration.ofSeconds(5));
    assertThatThrownBy(() -> client.call("add", Long.class, 1, 2))
        .isInstanceOfSatisfying(
            JsonRpcException.class,
            e -> {
              assertThat(e.kind()).isEqualTo(JsonRpcException.Kind.BAD_RESPONSE);
              assertThat(e.code()).isEqualTo(JsonRpcException.PARSE_ERROR);
            });
  }

  @Test
  void missingJsonRpcVersionIsBadResponse() throws IOException {
    URI uri = serveRaw(body -> "{\"id\":1,\"result\":5}".getBytes(StandardCharsets.UTF_8));
    JsonRpcClient client = new JsonRpcClient(uri, Duration.ofSeconds(5));
    assertThatThrownBy(() -> client.call("add", Long.class, 1, 2))
        .hasMessageContaining("not JSON-RPC 2.0");
  }

  @Test
  void slowServerTimesOut() throws IOException {
    URI uri =
        serveRaw(
            body -> {
              try {
                release.await(30, TimeUnit.SECONDS); // held until the test ends
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
              return new byte[0];
            });
    JsonRpcClient client = new JsonRpcClient(uri, Duration.ofMillis(200));
    assertThatThrownBy(() -> client.call("add", Long.class, 1, 2))
        .isInstanceOfSatisfying(
            JsonRpcException.class,
            e -> assertThat(e.kind()).isEqualTo(JsonRpcException.Kind.TIMEOUT));
  }

  @Test
  void unreachableServerIsTransportError() throws IOException {
    // bound without listening: refused, and no server started meanwhile can be given this port
    try (Socket refusing = new Socket()) {
      refusing.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
      JsonRpcClient client =
          new JsonRpcClient(
              URI.create("http://127.0.0.1:" + refusing.getLocalPort() + "/"),
              Duration.ofSeconds(2));
      assertThatThrownBy(() -> client.call("add", Long.class, 1, 2))
          .isInstanceOfSatisfying(
              JsonRpcException.class,
              e -> {
                assertThat(e.kind()).isEqualTo(JsonRpcException.Kind.TRANSPORT);
                assertThat(e.getMessage()).contains("cannot connect");
              });
    }
  }

  @Test
  void rejectsNonHttpEndpoint() {
    assertThatThrownBy(() -> new JsonRpcClient(URI.create("ftp://x/"), Duration.ofSeconds(1)))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
