package io.axivon.node.demo;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.modelcontextprotocol.client.McpClient;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.client.transport.HttpClientStreamableHttpTransport;
import io.modelcontextprotocol.json.McpJsonMapper;
import io.modelcontextprotocol.json.TypeRef;
import io.modelcontextprotocol.json.schema.JsonSchemaValidator;
import io.modelcontextprotocol.spec.McpSchema;
import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * The demo's MCP client: the official MCP Java SDK's own client and Streamable HTTP transport (not
 * ours), so the tour shows a third-party client working against the gateway unmodified.
 */
public final class McpTour {
  private McpTour() {}

  /**
   * Connects to {@code endpoint}, checks the gateway's tools, calls {@code call_service} with
   * {@code input}, and describes the answer.
   *
   * @throws Walkthrough.StepFailed if a tool is missing, the call errs or is not verified
   */
  static String callService(URI endpoint, String input) {
    try (McpSyncClient client = connect(endpoint, "axivon-demo")) {
      McpSchema.InitializeResult init = client.initialize();
      List<String> tools = client.listTools().tools().stream().map(McpSchema.Tool::name).toList();
      if (!tools.contains("call_service")) {
        throw new Walkthrough.StepFailed("the gateway offers no call_service tool: " + tools);
      }
      McpSchema.CallToolResult r =
          client.callTool(new McpSchema.CallToolRequest("call_service", Map.of("input", input)));
      if (Boolean.TRUE.equals(r.isError())) {
        throw new Walkthrough.StepFailed("call_service failed: " + r.content());
      }
      Object structured = r.structuredContent();
      if (!(structured instanceof Map<?, ?> m) || !Boolean.TRUE.equals(m.get("verified"))) {
        throw new Walkthrough.StepFailed("call_service answer not verified: " + structured);
      }
      return "protocol "
          + init.protocolVersion()
          + ", "
          + tools.size()
          + " tools; call_service answered '"
          + Walkthrough.abbreviate(String.valueOf(m.get("output")))
          + "', verified";
    }
  }

  /**
   * A client of the official MCP Java SDK on its Streamable HTTP transport for the gateway's {@code
   * endpoint} (…/mcp), not yet initialized; the caller closes it. Also what {@code bench/load
   * McpLoad} times.
   */
  public static McpSyncClient connect(URI endpoint, String clientName) {
    HttpClientStreamableHttpTransport transport =
        HttpClientStreamableHttpTransport.builder(endpoint.resolve("/").toString())
            .endpoint(endpoint.getPath())
            .jsonMapper(new JacksonMapper(new ObjectMapper()))
            .connectTimeout(Duration.ofSeconds(10))
            .build();
    return McpClient.sync(transport)
        .clientInfo(new McpSchema.Implementation(clientName, "1"))
        .requestTimeout(Duration.ofSeconds(60))
        .jsonSchemaValidator(new AcceptingValidator())
        .build();
  }

  /**
   * The SDK's JSON seam over the Jackson 2 the rest of Axivon uses (its own binding needs Jackson
   * 3, which would be a second copy of Jackson on the class path for these eight methods).
   */
  private record JacksonMapper(ObjectMapper mapper) implements McpJsonMapper {
    @Override
    public <T> T readValue(String content, Class<T> type) throws IOException {
      return mapper.readValue(content, type);
    }

    @Override
    public <T> T readValue(byte[] content, Class<T> type) throws IOException {
      return mapper.readValue(content, type);
    }

    @Override
    public <T> T readValue(String content, TypeRef<T> type) throws IOException {
      return mapper.readValue(content, mapper.getTypeFactory().constructType(type.getType()));
    }

    @Override
    public <T> T readValue(byte[] content, TypeRef<T> type) throws IOException {
      return mapper.readValue(content, mapper.getTypeFactory().constructType(type.getType()));
    }

    @Override
    public <T> T convertValue(Object from, Class<T> type) {
      return mapper.convertValue(from, type);
    }

    @Override
    public <T> T convertValue(Object from, TypeRef<T> type) {
      return mapper.convertValue(from, mapper.getTypeFactory().constructType(type.getType()));
    }

    @Override
    public String writeValueAsString(Object value) throws IOException {
      return mapper.writeValueAsString(value);
    }

    @Override
    public byte[] writeValueAsBytes(Object value) throws IOException {
      return mapper.writeValueAsBytes(value);
    }
  }

  /**
   * The SDK checks structured tool output against the tool's output schema with a validator found
   * on the class path (its Jackson 3 binding); the tour checks the fields it needs itself instead.
   */
  private static final class AcceptingValidator implements JsonSchemaValidator {
    @Override
    public ValidationResponse validate(Map<String, Object> schema, Object content) {
      return ValidationResponse.asValid(String.valueOf(content));
    }
  }
}
