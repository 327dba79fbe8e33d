package io.axivon.compute.mcp;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The MCP transport's rules (reference/mcp.md) and tool dispatch, without HTTP. */
class McpEndpointTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private final AtomicLong now = new AtomicLong();
  private McpEndpoint mcp;

  private static final class Tools implements McpTools {
    @Override
    public Object listServices(Map<String, Object> args) {
      return Map.of("services", java.util.List.of(Map.of("name", "digest")));
    }

    @Override
    public Object describeService(Map<String, Object> args) {
      throw new ToolException("no service '" + args.get("service") + "'");
    }

    @Override
    public Object callService(Map<String, Object> args) {
      return Map.of("output", "echo " + args.get("input"));
    }

    @Override
    public Object getBalance(Map<String, Object> args) {
      return Map.of("balance", "7");
    }
  }

  @BeforeEach
  void setUp() {
    mcp = new McpEndpoint(new Tools(), Set.of("https://app.example"), 1, 3, now::get);
  }

  private McpEndpoint.Reply post(String body, Map<String, String> headers) {
    Map<String, String> h = new HashMap<>();
    h.put("accept", "application/json, text/event-stream");
    h.put("content-type", "application/json");
    headers.forEach((k, v) -> h.put(k.toLowerCase(), v));
    return mcp.handle(
        "POST", name -> h.get(name.toLowerCase()), body.getBytes(StandardCharsets.UTF_8));
  }

  private static JsonNode json(McpEndpoint.Reply r) throws Exception {
    return JSON.readTree(r.body());
  }

  private String initialize(String version) throws Exception {
    McpEndpoint.Reply r =
        post(
            "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"initialize\",\"params\":{\"protocolVersion\":\""
                + version
                + "\",\"capabilities\":{},\"clientInfo\":{\"name\":\"t\",\"version\":\"1\"}}}",
            Map.of());
    assertThat(r.status()).isEqualTo(200);
    JsonNode result = json(r).path("result");
    assertThat(result.path("protocolVersion").asText())
        .isEqualTo(McpEndpoint.VERSIONS.contains(version) ? version : "2025-11-25");
    assertThat(result.path("capabilities").has("tools")).isTrue();
    assertThat(result.path("serverInfo").path("name").asText()).isEqualTo("axivon-compute-gateway");
    String session = r.headers().get(McpEndpoint.SESSION_HEADER);
    assertThat(session).matches("[0-9a-f]{32}");
    return session;
  }

  @Test
  void initializeNegotiatesAndListsAndCallsTools() throws Exception {
    initialize("2025-06-18");
    initialize("1999-01-01");
    String s = initialize("2025-11-25");
    Map<String, String> h =
        Map.of(McpEndpoint.SESSION_HEADER, s, McpEndpoint.VERSION_HEADER, "2025-11-25");
    assertThat(post("{\"jsonrpc\":\"2.0\",\"method\":\"notifications/initialized\"}", h).status())
        .isEqualTo(202);

    JsonNode list = json(post("{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"tools/list\"}", h));
    assertThat(list.path("id").asInt()).isEqualTo(2);
    JsonNode tools = list.path("result").path("tools");
    assertThat(tools).hasSize(4);
    assertThat(tools.findValuesAsText("name"))
        .containsExactly("list_services", "describe_service", "call_service", "get_balance");
    for (JsonNode t : tools) {
      assertThat(t.path("inputSchema").path("type").asText()).isEqualTo("object");
      assertThat(t.path("inputSchema").path("additionalProperties").asBoolean(true)).isFalse();
    }

    JsonNode call =
        json(
            post(
                "{\"jsonrpc\":\"2.0\",\"id\":\"c\",\"method\":\"tools/call\",\"params\":{\"name\":\"call_service\",\"arguments\":{\"input\":\"hi\"}}}",
                h));
    assertThat(call.path("id").asText()).isEqualTo("c");
    assertThat(call.path("result").path("isError").asBoolean()).isFalse();
    assertThat(call.path("result").path("structuredContent").path("output").asText())
        .isEqualTo("echo hi");
    assertThat(call.path("result").path("content").get(0).path("type").asText()).isEqualTo("text");

    JsonNode failed =
        json(
            post(
                "{\"jsonrpc\":\"2.0\",\"id\":3,\"method\":\"tools/call\",\"params\":{\"name\":\"describe_service\",\"arguments\":{\"service\":\"x\"}}}",
                h));
    assertThat(failed.path("result").path("isError").asBoolean()).isTrue();
    assertThat(failed.path("result").path("content").get(0).path("text").asText())
        .isEqualTo("no service 'x'");

    JsonNode unknown =
        json(
            post(
                "{\"jsonrpc\":\"2.0\",\"id\":4,\"method\":\"tools/call\",\"params\":{\"name\":\"mine\"}}",
                h));
    assertThat(unknown.path("error").path("code").asInt()).isEqualTo(-32602);
    JsonNode method = json(post("{\"jsonrpc\":\"2.0\",\"id\":5,\"method\":\"prompts/list\"}", h));
    assertThat(method.path("error").path("code").asInt()).isEqualTo(-32601);
    assertThat(
            json(post("{\"jsonrpc\":\"2.0\",\"id\":6,\"method\":\"ping\"}", h))
                .path("result")
                .isObject())
        .isTrue();
  }

  @Test
  void transportRefusalsCarryJsonRpcErrors() throws Exception {
    String s = initialize("2025-11-25");
    McpEndpoint.Reply noAccept =
        mcp.handle(
            "POST",
            n -> n.equalsIgnoreCase("content-type") ? "application/json" : null,
            "{}".getBytes());
    assertThat(noAccept.status()).isEqualTo(406);
    assertThat(json(noAccept).path("error").path("code").asInt()).isEqualTo(-32000);
    assertThat(json(noAccept).path("jsonrpc").asText()).isEqualTo("2.0");

    assertThat(
            post(
                    "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"ping\"}",
                    Map.of("content-type", "text/plain"))
                .status())
        .isEqualTo(415);
    McpEndpoint.Reply parse = post("{nope", Map.of());
    assertThat(parse.status()).isEqualTo(400);
    assertThat(json(parse).path("error").path("code").asInt()).isEqualTo(-32700);
    McpEndpoint.Reply empty = post("", Map.of());
    assertThat(empty.status()).isEqualTo(400);
    assertThat(json(empty).path("error").path("code").asInt()).isEqualTo(-32700);
    assertThat(
            json(post("[{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"ping\"}]", Map.of()))
                .path("error")
                .path("code")
                .asInt())
        .isEqualTo(-32600);

    String ping = "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"ping\"}";
    assertThat(post(ping, Map.of()).status()).isEqualTo(400);
    McpEndpoint.Reply unknown = post(ping, Map.of(McpEndpoint.SESSION_HEADER, "feed"));
    assertThat(unknown.status()).isEqualTo(404);
    assertThat(json(unknown).path("error").path("code").asInt()).isEqualTo(-32001);
    assertThat(
            post(
                    ping,
                    Map.of(McpEndpoint.SESSION_HEADER, s, McpEndpoint.VERSION_HEADER, "2030-01-01"))
                .status())
        .isEqualTo(400);

    assertThat(
            post(ping, Map.of(McpEndpoint.SESSION_HEADER, s, "origin", "https://evil.example"))
                .status())
        .isEqualTo(403);
    assertThat(
            post(ping, Map.of(McpEndpoint.SESSION_HEADER, s, "origin", "http://localhost:6274"))
                .status())
        .isEqualTo(200);
    assertThat(
            post(ping, Map.of(McpEndpoint.SESSION_HEADER, s, "origin", "https://app.example"))
                .status())
        .isEqualTo(200);
    assertThat(
            post(ping, Map.of(McpEndpoint.SESSION_HEADER, s, "origin", "http://localhost.evil:80"))
                .status())
        .isEqualTo(403);

    McpEndpoint.Reply get = mcp.handle("GET", n -> null, new byte[0]);
    assertThat(get.status()).isEqualTo(405);
    assertThat(get.headers()).containsEntry("Allow", "GET, POST, DELETE");

    assertThat(
            mcp.handle("DELETE", n -> n.equals(McpEndpoint.SESSION_HEADER) ? s : null, new byte[0])
                .status())
        .isEqualTo(200);
    assertThat(post(ping, Map.of(McpEndpoint.SESSION_HEADER, s)).status()).isEqualTo(404);
  }

  @Test
  void toolCallsAreRateLimitedPerSession() throws Exception {
    String s = initialize("2025-11-25");
    Map<String, String> h = Map.of(McpEndpoint.SESSION_HEADER, s);
    String call =
        "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"tools/call\",\"params\":{\"name\":\"get_balance\"}}";
    for (int i = 0; i < 3; i++) { // the burst
      assertThat(json(post(call, h)).path("result").path("isError").asBoolean()).isFalse();
    }
    JsonNode limited = json(post(call, h)).path("result");
    assertThat(limited.path("isError").asBoolean()).isTrue();
    assertThat(limited.path("content").get(0).path("text").asText()).startsWith("rate limit");
    now.addAndGet(1_000_000_000L); // one more call a second
    assertThat(json(post(call, h)).path("result").path("isError").asBoolean()).isFalse();
    // another session has its own budget
    String other = initialize("2025-06-18");
    assertThat(
            json(post(call, Map.of(McpEndpoint.SESSION_HEADER, other)))
                .path("result")
                .path("isError")
                .asBoolean())
        .isFalse();
  }

  @Test
  void idleSessionsExpireWith404AndAreSwept() throws Exception {
    mcp = new McpEndpoint(new Tools(), Set.of(), 1, 3, now::get, java.time.Duration.ofSeconds(60));
    String ping = "{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"ping\"}";
    String s = initialize("2025-11-25");
    Map<String, String> h = Map.of(McpEndpoint.SESSION_HEADER, s);
    now.addAndGet(59_000_000_000L);
    assertThat(post(ping, h).status()).isEqualTo(200); // used: the idle time starts again
    now.addAndGet(59_000_000_000L);
    assertThat(post(ping, h).status()).isEqualTo(200);
    String idle = initialize("2025-11-25");
    now.addAndGet(60_000_000_000L);
    McpEndpoint.Reply expired = post(ping, h);
    assertThat(expired.status()).isEqualTo(404);
    assertThat(json(expired).path("error").path("code").asInt()).isEqualTo(-32001);
    assertThat(post(ping, h).status()).isEqualTo(404); // gone for good
    // the client re-initializes; that sweeps the other expired session too
    String fresh = initialize("2025-11-25");
    assertThat(mcp.sessionCount()).isEqualTo(1);
    assertThat(post(ping, Map.of(McpEndpoint.SESSION_HEADER, fresh)).status()).isEqualTo(200);
    McpEndpoint.Reply deleteIdle =
        mcp.handle(
            "DELETE", name -> name.equals(McpEndpoint.SESSION_HEADER) ? idle : null, new byte[0]);
    assertThat(deleteIdle.status()).isEqualTo(404);
  }
}
