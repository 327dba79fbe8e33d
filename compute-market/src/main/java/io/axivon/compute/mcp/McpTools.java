package io.axivon.compute.mcp;

import java.util.Map;

/**
 * What the MCP endpoint's tools do: each takes the tool's JSON arguments and returns a JSON-able
 * result, or throws {@link ToolException} (reported as an MCP tool error, {@code isError: true}).
 */
public interface McpTools {
  /** A business or input error a model can act on. */
  final class ToolException extends RuntimeException {
    public ToolException(String message) {
      super(message);
    }
  }

  Object listServices(Map<String, Object> args);

  Object describeService(Map<String, Object> args);

  Object callService(Map<String, Object> args);

  Object getBalance(Map<String, Object> args);
}
