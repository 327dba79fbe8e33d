package io.axivon.sdk.rpc;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Optional;

/**
 * Every failure of a JSON-RPC call, whatever its cause, as one type: what went wrong ({@link
 * Kind}), the JSON-RPC error code (the server's for {@link Kind#REMOTE}, a fixed client code
 * otherwise) and a message fit to show a user.
 */
public final class JsonRpcException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** Where the call failed. */
  public enum Kind {
    /** The server answered with a JSON-RPC error object. */
    REMOTE,
    /** No answer within the call's timeout. */
    TIMEOUT,
    /** The server could not be reached, or the connection broke. */
    TRANSPORT,
    /** The server answered, but not with a valid JSON-RPC 2.0 response. */
    BAD_RESPONSE
  }

  /** JSON-RPC 2.0: invalid JSON was received. Used for a response we cannot parse. */
  public static final int PARSE_ERROR = -32700;

  /** JSON-RPC 2.0: internal error. Used for transport failures and timeouts on the client side. */
  public static final int INTERNAL_ERROR = -32603;

  private final transient Kind kind;
  private final int code;
  private final transient JsonNode data;

  public JsonRpcException(Kind kind, int code, String message, JsonNode data, Throwable cause) {
    super(message, cause);
    this.kind = kind;
    this.code = code;
    this.data = data;
  }

  static JsonRpcException remote(int code, String message, JsonNode data) {
    return new JsonRpcException(Kind.REMOTE, code, message, data, null);
  }

  static JsonRpcException badResponse(String message) {
    return new JsonRpcException(Kind.BAD_RESPONSE, PARSE_ERROR, message, null, null);
  }

  public Kind kind() {
    return kind;
  }

  public int code() {
    return code;
  }

  /** The {@code data} member of a remote error, if the server sent one. */
  public Optional<JsonNode> data() {
    return Optional.ofNullable(data);
  }
}
