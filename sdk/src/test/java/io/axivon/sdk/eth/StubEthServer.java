package io.axivon.sdk.eth;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import com.sun.net.httpserver.HttpServer;
import io.axivon.common.crypto.Hashes;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.tuweni.bytes.Bytes;

/**
 * A JSON-RPC server for tests: one handler per method, answering from the params. A handler
 * throwing {@link RpcError} answers with that JSON-RPC error.
 */
public final class StubEthServer implements AutoCloseable {
  public interface Method {
    JsonNode answer(JsonNode params);
  }

  /** A JSON-RPC error answer. */
  public static final class RpcError extends RuntimeException {
    private static final long serialVersionUID = 1L;
    final int code;
    final transient JsonNode data;

    public RpcError(int code, String message, JsonNode data) {
      super(message);
      this.code = code;
      this.data = data;
    }
  }

  public final ObjectMapper mapper = new ObjectMapper();
  private final Map<String, Method> methods = new ConcurrentHashMap<>();
  private final HttpServer server;

  public StubEthServer() throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext(
        "/",
        exchange -> {
          byte[] out;
          try (exchange) {
            JsonNode request = mapper.readTree(exchange.getRequestBody().readAllBytes());
            out = mapper.writeValueAsBytes(answer(request));
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, out.length);
            exchange.getResponseBody().write(out);
          }
        });
    server.start();
  }

  private ObjectNode answer(JsonNode request) {
    ObjectNode response = mapper.createObjectNode();
    response.put("jsonrpc", "2.0");
    response.set("id", request.get("id"));
    Method m = methods.get(request.path("method").asText());
    try {
      if (m == null) {
        throw new RpcError(-32601, "method not found: " + request.path("method").asText(), null);
      }
      response.set("result", m.answer(request.get("params")));
    } catch (RpcError e) {
      ObjectNode error = response.putObject("error");
      error.put("code", e.code);
      error.put("message", e.getMessage());
      if (e.data != null) {
        error.set("data", e.data);
      }
    }
    return response;
  }

  public StubEthServer on(String method, Method handler) {
    methods.put(method, handler);
    return this;
  }

  /**
   * Answers what a client asks to send a transaction: chain id, gas price 0x10, tip 0x1, the
   * sender's nonce and a gas estimate; {@code eth_sendRawTransaction} adds the raw transaction to
   * {@code sent} and answers its hash. A later {@link #on} replaces any of these.
   */
  public StubEthServer onSend(long chainId, long nonce, long gasEstimate, List<Bytes> sent) {
    return on("eth_chainId", p -> quantity(chainId))
        .on("eth_gasPrice", p -> quantity(0x10))
        .on("eth_maxPriorityFeePerGas", p -> quantity(1))
        .on("eth_getTransactionCount", p -> quantity(nonce))
        .on("eth_estimateGas", p -> quantity(gasEstimate))
        .on(
            "eth_sendRawTransaction",
            p -> {
              Bytes raw = Bytes.fromHexString(p.get(0).asText());
              sent.add(raw);
              return new TextNode(Hashes.keccak256(raw).toHexString());
            });
  }

  /** A JSON-RPC quantity: {@code 0x} and lowercase hex digits. */
  public static TextNode quantity(long v) {
    return new TextNode("0x" + Long.toHexString(v));
  }

  public URI uri() {
    InetSocketAddress a = server.getAddress();
    return URI.create("http://" + a.getHostString() + ":" + a.getPort() + "/");
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
