package io.axivon.sdk.rpc;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.CharRange;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

/**
 * Whatever the parameters (any text without lone UTF-16 surrogates, which no JSON text can hold), a
 * call and a batch carry them to the server and back unchanged.
 */
class JsonRpcClientProperties {
  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static HttpServer server;
  private static JsonRpcClient client;

  @BeforeContainer
  static void start() throws IOException {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext(
        "/",
        exchange -> {
          JsonNode request = MAPPER.readTree(exchange.getRequestBody().readAllBytes());
          JsonNode answer;
          if (request.isArray()) {
            ArrayNode all = MAPPER.createArrayNode();
            request.forEach(r -> all.add(echo(r)));
            answer = all;
          } else {
            answer = echo(request);
          }
          byte[] out = MAPPER.writeValueAsBytes(answer);
          exchange.sendResponseHeaders(200, out.length);
          exchange.getResponseBody().write(out);
          exchange.close();
        });
    server.start();
    client =
        new JsonRpcClient(
            URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/"),
            Duration.ofSeconds(10));
  }

  @AfterContainer
  static void stop() {
    server.stop(0);
  }

  /** Answers with the request's own parameters. */
  private static ObjectNode echo(JsonNode request) {
    ObjectNode r = MAPPER.createObjectNode().put("jsonrpc", "2.0");
    r.set("id", request.get("id"));
    r.set("result", request.get("params"));
    return r;
  }

  @Property(tries = 50)
  void callCarriesParametersUnchanged(
      @ForAll @CharRange(from = '\u0000', to = '\ud7ff') String text,
      @ForAll long number,
      @ForAll boolean flag) {
    JsonNode result = client.callRaw("echo", text, number, flag);
    assertThat(result.get(0).asText()).isEqualTo(text);
    assertThat(result.get(1).asLong()).isEqualTo(number);
    assertThat(result.get(2).asBoolean()).isEqualTo(flag);
  }

  @Property(tries = 30)
  void batchAnswersEachCallWithItsOwnResult(
      @ForAll List<@CharRange(from = '\u0000', to = '\ud7ff') String> texts) {
    JsonRpcClient.Batch batch = client.batch();
    List<JsonRpcClient.BatchResult<String[]>> results =
        texts.stream().map(t -> batch.add("echo", String[].class, t)).toList();
    batch.send();
    for (int i = 0; i < texts.size(); i++) {
      assertThat(results.get(i).get()).containsExactly(texts.get(i));
    }
  }
}
