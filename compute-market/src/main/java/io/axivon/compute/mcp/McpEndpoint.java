package io.axivon.compute.mcp;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.modelcontextprotocol.spec.McpSchema;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.function.LongSupplier;

/**
 * The gateway's MCP endpoint ({@code /mcp}, Streamable HTTP, protocol revisions 2025-06-18 and
 * 2025-11-25; 2025-03-26 accepted), with the compute market's tools.
 *
 * <p>Messages are the official MCP Java SDK's schema types ({@link McpSchema}, from {@code
 * mcp-core}), serialized with the project's Jackson 2. The transport is written here, on the
 * gateway's Netty server, rather than the SDK's: its Streamable HTTP transport is a servlet and
 * would bring a servlet container into a gateway that already has an HTTP server, and its JSON
 * binding is Jackson 3 (a second Jackson next to the project's). This class is the transport's pure
 * core: one HTTP request in, one reply out; sessions live in memory.
 */
public final class McpEndpoint {
  /** Revisions served, newest first. */
  public static final List<String> VERSIONS = List.of("2025-11-25", "2025-06-18", "2025-03-26");

  public static final String SESSION_HEADER = "Mcp-Session-Id";
  public static final String VERSION_HEADER = "MCP-Protocol-Version";

  /** An HTTP answer. */
  public record Reply(int status, Map<String, String> headers, byte[] body) {}

  private static final ObjectMapper JSON = new ObjectMapper();

  private final McpTools tools;
  private final Set<String> allowedOrigins;
  private final LongSupplier nanoTime;
  private final SecureRandom random = new SecureRandom();
  private final Map<String, Session> sessions = new ConcurrentHashMap<>();
  private final double callsPerSecond;
  private final double burst;
  private final long idleNanos;

  /** Sessions idle this long are dropped unless the endpoint is given another time. */
  public static final Duration DEFAULT_SESSION_IDLE = Duration.ofMinutes(30);

  private static final class Session {
    final String version;
    double tokens;
    long refilledAt;
    volatile long usedAt;

    Session(String version, double tokens, long now) {
      this.version = version;
      this.tokens = tokens;
      this.refilledAt = now;
      this.usedAt = now;
    }
  }

  /**
   * @param allowedOrigins origins allowed besides loopback ones ({@code http://localhost:*}, {@code
   *     http://127.0.0.1:*}, {@code http://[::1]:*})
   * @param callsPerSecond tool calls a session may make per second, sustained
   * @param burst tool calls a session may make at once
   */
  public McpEndpoint(
      McpTools tools,
      Set<String> allowedOrigins,
      double callsPerSecond,
      double burst,
      LongSupplier nanoTime) {
    this(tools, allowedOrigins, callsPerSecond, burst, nanoTime, DEFAULT_SESSION_IDLE);
  }

  /**
   * As above; {@code sessionIdle}: a session unused this long is dropped, and a request carrying
   * its id gets 404 so the client initializes a new one (the Streamable HTTP transport's rule).
   */
  public McpEndpoint(
      McpTools tools,
      Set<String> allowedOrigins,
      double callsPerSecond,
      double burst,
      LongSupplier nanoTime,
      Duration sessionIdle) {
    if (sessionIdle.isNegative() || sessionIdle.isZero()) {
      throw new IllegalArgumentException("sessionIdle must be positive");
    }
    this.idleNanos = sessionIdle.toNanos();
    this.tools = tools;
    this.allowedOrigins = Set.copyOf(allowedOrigins);
    this.callsPerSecond = callsPerSecond;
    this.burst = burst;
    this.nanoTime = nanoTime;
  }

  /** Loopback origins, 100 tool calls a second sustained and 500 at once per session. */
  public McpEndpoint(McpTools tools) {
    this(tools, Set.of(), 100, 500, System::nanoTime);
  }

  /** Handles one HTTP request to {@code /mcp}; {@code header} answers null for an absent one. */
  public Reply handle(String method, Function<String, String> header, byte[] body) {
    String origin = header.apply("Origin");
    if (origin != null && !originAllowed(origin)) {
      return error(403, -32000, "Forbidden: origin " + origin + " is not allowed");
    }
    return switch (method) {
      case "POST" -> post(header, body);
      case "DELETE" -> delete(header);
      default ->
          new Reply(
              405,
              Map.of("Allow", "GET, POST, DELETE", "Content-Type", "application/json"),
              errorBody(
                  -32000,
                  "Method not allowed: POST JSON-RPC messages; this server opens no SSE stream"));
    };
  }

  private boolean originAllowed(String origin) {
    if (allowedOrigins.contains(origin)) {
      return true;
    }
    String o = origin.toLowerCase(Locale.ROOT);
    for (String host : List.of("http://localhost", "http://127.0.0.1", "http://[::1]")) {
      if (o.equals(host)
          || (o.startsWith(host + ":") && o.substring(host.length() + 1).matches("[0-9]{1,5}"))) {
        return true;
      }
    }
    return false;
  }

  private Reply delete(Function<String, String> header) {
    String id = header.apply(SESSION_HEADER);
    if (id == null) {
      return error(400, -32000, "Bad Request: " + SESSION_HEADER + " header is required");
    }
    Session s = sessions.remove(id);
    if (s == null || expired(s, nanoTime.getAsLong())) {
      return error(404, -32001, "Session not found");
    }
    return new Reply(200, Map.of(), new byte[0]);
  }

  private Reply post(Function<String, String> header, byte[] body) {
    String accept = header.apply("Accept");
    if (accept == null
        || !accept.contains("application/json")
        || !accept.contains("text/event-stream")) {
      return error(
          406,
          -32000,
          "Not Acceptable: the client must accept both application/json and text/event-stream");
    }
    String type = header.apply("Content-Type");
    if (type == null || !type.toLowerCase(Locale.ROOT).startsWith("application/json")) {
      return error(415, -32000, "Unsupported Media Type: Content-Type must be application/json");
    }
    JsonNode msg;
    try {
      msg = JSON.readTree(body);
    } catch (java.io.IOException e) {
      return error(400, -32700, "Parse error: the body is not JSON");
    }
    if (msg == null || msg.isMissingNode()) { // an empty body
      return error(400, -32700, "Parse error: the body is not JSON");
    }
    if (msg == null || !msg.isObject() || !"2.0".equals(msg.path("jsonrpc").asText(null))) {
      return error(
          400,
          -32600,
          "Invalid Request: the body must be one JSON-RPC 2.0 message (batches are not supported)");
    }
    boolean isRequest = msg.has("method") && msg.has("id") && !msg.get("id").isNull();
    String rpcMethod = msg.path("method").asText(null);
    if (McpSchema.METHOD_INITIALIZE.equals(rpcMethod) && isRequest) {
      return initialize(msg);
    }
    String sessionId = header.apply(SESSION_HEADER);
    if (sessionId == null) {
      return error(400, -32000, "Bad Request: " + SESSION_HEADER + " header is required");
    }
    Session session = sessions.get(sessionId);
    long now = nanoTime.getAsLong();
    if (session == null || expired(session, now)) {
      sessions.remove(sessionId);
      return error(404, -32001, "Session not found");
    }
    session.usedAt = now;
    String version = header.apply(VERSION_HEADER);
    if (version != null && !VERSIONS.contains(version)) {
      return error(
          400,
          -32000,
          "Bad Request: unsupported "
              + VERSION_HEADER
              + " "
              + version
              + " (supported: "
              + VERSIONS
              + ")");
    }
    if (!isRequest) {
      return new Reply(202, Map.of(), new byte[0]); // notifications and responses
    }
    Object id = JSON.convertValue(msg.get("id"), Object.class);
    Object result;
    try {
      result =
          switch (rpcMethod) {
            case McpSchema.METHOD_PING -> Map.of();
            case McpSchema.METHOD_TOOLS_LIST -> new McpSchema.ListToolsResult(toolList(), null);
            case McpSchema.METHOD_TOOLS_CALL -> call(session, msg.path("params"));
            default -> throw new RpcError(-32601, "Method not found: " + rpcMethod);
          };
    } catch (RpcError e) {
      return json(
          200,
          McpSchema.JSONRPCResponse.error(
              id, new McpSchema.JSONRPCResponse.JSONRPCError(e.code, e.getMessage(), null)),
          Map.of());
    }
    return json(200, McpSchema.JSONRPCResponse.result(id, result), Map.of());
  }

  private Reply initialize(JsonNode msg) {
    String asked = msg.path("params").path("protocolVersion").asText("");
    String version = VERSIONS.contains(asked) ? asked : VERSIONS.get(0);
    byte[] raw = new byte[16];
    random.nextBytes(raw);
    String sessionId = HexFormat.of().formatHex(raw);
    long now = nanoTime.getAsLong();
    // sweep here so sessions abandoned without a DELETE do not pile up
    sessions.values().removeIf(s -> expired(s, now));
    sessions.put(sessionId, new Session(version, burst, now));
    McpSchema.InitializeResult result =
        new McpSchema.InitializeResult(
            version,
            McpSchema.ServerCapabilities.builder().tools(false).build(),
            new McpSchema.Implementation("axivon-compute-gateway", "0.1.0"),
            "Axivon compute market: list services on chain 0, describe one, call one (paid with"
                + " this gateway's configured user key), read the ledger and sub-account balance.");
    Object id = JSON.convertValue(msg.get("id"), Object.class);
    return json(
        200, McpSchema.JSONRPCResponse.result(id, result), Map.of(SESSION_HEADER, sessionId));
  }

  private static final class RpcError extends RuntimeException {
    final int code;

    RpcError(int code, String message) {
      super(message);
      this.code = code;
    }
  }

  private McpSchema.CallToolResult call(Session session, JsonNode params) {
    String name = params.path("name").asText(null);
    if (name == null) {
      throw new RpcError(-32602, "Invalid params: tools/call needs a tool name");
    }
    JsonNode argsNode = params.path("arguments");
    if (!argsNode.isMissingNode() && !argsNode.isNull() && !argsNode.isObject()) {
      throw new RpcError(-32602, "Invalid params: arguments must be an object");
    }
    @SuppressWarnings("unchecked")
    Map<String, Object> args =
        argsNode.isObject() ? JSON.convertValue(argsNode, Map.class) : new LinkedHashMap<>();
    Function<Map<String, Object>, Object> tool =
        switch (name) {
          case "list_services" -> tools::listServices;
          case "describe_service" -> tools::describeService;
          case "call_service" -> tools::callService;
          case "get_balance" -> tools::getBalance;
          default -> throw new RpcError(-32602, "Unknown tool: " + name);
        };
    if (!take(session)) {
      return toolError(
          "rate limit: more than "
              + (long) callsPerSecond
              + " tool calls a second on this session; retry shortly");
    }
    try {
      Object out = tool.apply(args);
      String text = JSON.writeValueAsString(out);
      @SuppressWarnings("unchecked")
      Map<String, Object> structured = JSON.convertValue(out, Map.class);
      return new McpSchema.CallToolResult(
          List.of(new McpSchema.TextContent(text)), false, structured, null);
    } catch (McpTools.ToolException e) {
      return toolError(e.getMessage());
    } catch (RuntimeException | com.fasterxml.jackson.core.JsonProcessingException e) {
      return toolError("the tool failed: " + e.getMessage());
    }
  }

  private boolean expired(Session s, long now) {
    return now - s.usedAt >= idleNanos;
  }

  /** Live sessions (expired ones are counted until the next initialize sweeps them). */
  public int sessionCount() {
    return sessions.size();
  }

  private synchronized boolean take(Session s) {
    long now = nanoTime.getAsLong();
    s.tokens = Math.min(burst, s.tokens + (now - s.refilledAt) / 1e9 * callsPerSecond);
    s.refilledAt = now;
    if (s.tokens < 1) {
      return false;
    }
    s.tokens -= 1;
    return true;
  }

  private static McpSchema.CallToolResult toolError(String message) {
    return new McpSchema.CallToolResult(
        List.of(new McpSchema.TextContent(message)), true, null, null);
  }

  /** The tools, each with a JSON Schema for its arguments. */
  static List<McpSchema.Tool> toolList() {
    Map<String, Object> address =
        Map.of("type", "string", "pattern", "^0x[0-9a-fA-F]{40}$", "description", "a 0x address");
    return List.of(
        tool(
            "list_services",
            "List every compute service registered on chain 0 with its provider, url and prices (wei per input and output unit).",
            Map.of(),
            List.of()),
        tool(
            "describe_service",
            "Describe one service: provider, type, url, model, prices, verifiability.",
            Map.of(
                "provider",
                address,
                "service",
                Map.of("type", "string", "minLength", 1, "description", "the service name")),
            List.of("provider", "service")),
        tool(
            "call_service",
            "Call a service through its provider's gateway, paid from the gateway's configured user key's prepaid sub-account; returns the service's answer, and a signed-response provider's signed receipt (dispute evidence). Defaults to this gateway's own service.",
            Map.of(
                "input", Map.of("type", "string", "description", "the request body"),
                "provider", address,
                "service", Map.of("type", "string", "minLength", 1),
                "path",
                    Map.of(
                        "type",
                        "string",
                        "pattern",
                        "^/",
                        "description",
                        "the upstream path, e.g. /v1/digest")),
            List.of("input")),
        tool(
            "get_balance",
            "The configured user's (or another address's) ledger balance on chain 0 and its sub-account with a provider (default this gateway's).",
            Map.of("user", address, "provider", address),
            List.of()));
  }

  private static McpSchema.Tool tool(
      String name, String description, Map<String, Object> properties, List<String> required) {
    Map<String, Object> schema = new LinkedHashMap<>();
    schema.put("type", "object");
    schema.put("properties", properties);
    if (!required.isEmpty()) {
      schema.put("required", required);
    }
    schema.put("additionalProperties", false);
    return McpSchema.Tool.builder().name(name).description(description).inputSchema(schema).build();
  }

  private static Reply json(int status, Object message, Map<String, String> extra) {
    Map<String, String> headers = new LinkedHashMap<>(extra);
    headers.put("Content-Type", "application/json");
    try {
      return new Reply(status, headers, JSON.writeValueAsBytes(message));
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException("cannot write an MCP message", e);
    }
  }

  private static Reply error(int status, int code, String message) {
    return new Reply(status, Map.of("Content-Type", "application/json"), errorBody(code, message));
  }

  /** A JSON-RPC error without an id, the body every refused HTTP request gets. */
  private static byte[] errorBody(int code, String message) {
    ObjectNode e = JSON.createObjectNode();
    e.put("jsonrpc", "2.0");
    e.putNull("id");
    e.putObject("error").put("code", code).put("message", message);
    return e.toString().getBytes(StandardCharsets.UTF_8);
  }
}
