package io.axivon.storage.node;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.TextNode;
import io.axivon.common.InvalidInputException;
import io.axivon.sdk.storage.StorageJson.InvalidParam;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

class JsonRpcEnvelopeTest {
  private final ObjectMapper mapper = new ObjectMapper();
  private final JsonRpcEnvelope envelope =
      new JsonRpcEnvelope(mapper, LoggerFactory.getLogger(JsonRpcEnvelopeTest.class));

  /** A method per failure kind; "echo" answers its params. */
  private JsonNode call(String method, JsonNode params) {
    return switch (method) {
      case "echo" -> params;
      case "rpcError" -> throw new StorageRpcError(-32000, "Custom", "detail");
      case "badParam" -> throw new InvalidParam("root", "not 32 bytes");
      case "badInput" -> throw new InvalidInputException("no such thing");
      case "arity" -> {
        JsonRpcEnvelope.arity(params, 1, 2);
        yield TextNode.valueOf("ok");
      }
      default -> throw new IllegalStateException("boom");
    };
  }

  private JsonNode handle(String json) throws Exception {
    return envelope.handle(mapper.readTree(json), r -> envelope.answer(r, this::call));
  }

  @Test
  void answersEchoTheIdTokenAndMissingParamsAreAnEmptyArray() throws Exception {
    JsonNode a = handle("{\"jsonrpc\":\"2.0\",\"id\":18446744073709551615,\"method\":\"echo\"}");
    assertThat(a.get("jsonrpc").asText()).isEqualTo("2.0");
    assertThat(a.get("id").isBigInteger()).isTrue();
    assertThat(a.get("id").asText()).isEqualTo("18446744073709551615");
    assertThat(a.get("result").isArray()).isTrue();
    assertThat(a.get("result")).isEmpty();
    JsonNode b = handle("{\"id\":\"x\",\"method\":\"echo\",\"params\":[1,2]}");
    assertThat(b.get("id").asText()).isEqualTo("x");
    assertThat(b.get("result")).hasSize(2);
  }

  @Test
  void eachFailureKindHasItsCodeMessageAndData() throws Exception {
    assertError(handle("{\"id\":1,\"method\":\"rpcError\"}"), -32000, "Custom", "detail");
    assertError(
        handle("{\"id\":1,\"method\":\"badParam\"}"),
        -32602,
        "Invalid params: root",
        "not 32 bytes");
    assertError(
        handle("{\"id\":1,\"method\":\"badInput\"}"), -32602, "Invalid params", "no such thing");
    assertError(
        handle("{\"id\":1,\"method\":\"arity\"}"),
        -32602,
        "Invalid params: params",
        "expected 1 to 2 parameters, got 0");
    assertError(
        handle("{\"id\":1,\"method\":\"other\"}"),
        -32603,
        "Internal error",
        "java.lang.IllegalStateException: boom");
    assertThat(handle("{\"id\":1,\"method\":\"arity\",\"params\":[1]}").get("result").asText())
        .isEqualTo("ok");
  }

  @Test
  void malformedRequestsAreRefusedBeforeAnyCall() throws Exception {
    assertError(handle("[]"), -32600, "Invalid request", "empty batch");
    assertError(handle("7"), -32600, "Invalid request", "not an object");
    assertError(handle("{\"id\":3,\"method\":5}"), -32600, "Invalid request", "no method");
    assertError(
        handle("{\"id\":3,\"method\":\"echo\",\"params\":{}}"),
        -32602,
        "Invalid params",
        "params must be an array");
    assertThat(handle("{\"id\":3,\"method\":5}").get("id").asInt()).isEqualTo(3);
    assertThat(handle("7").get("id").isNull()).isTrue();
    assertError(envelope.parseError("unexpected end"), -32700, "Parse error", "unexpected end");
  }

  @Test
  void notificationsGetNoAnswerEvenWhenTheyFail() throws Exception {
    assertThat(handle("{\"method\":\"echo\"}")).isNull();
    assertThat(handle("{\"method\":\"other\"}")).isNull();
    assertThat(handle("[{\"method\":\"echo\"},{\"method\":\"badParam\"}]")).isNull();
    JsonNode batch = handle("[{\"method\":\"echo\"},{\"id\":2,\"method\":\"echo\"},5]");
    assertThat(batch).hasSize(2);
    assertThat(batch.get(0).get("id").asInt()).isEqualTo(2);
    assertError(batch.get(1), -32600, "Invalid request", "not an object");
  }

  private static void assertError(JsonNode answer, int code, String message, String data) {
    assertThat(answer.get("jsonrpc").asText()).isEqualTo("2.0");
    assertThat(answer.has("result")).isFalse();
    JsonNode e = answer.get("error");
    assertThat(e.get("code").asInt()).isEqualTo(code);
    assertThat(e.get("message").asText()).isEqualTo(message);
    assertThat(e.get("data").asText()).isEqualTo(data);
  }
}
