package io.axivon.storage.node;

/**
 * A JSON-RPC error of the storage node, shaped like the 0G Rust node's: invalid arguments are
 * {@code -32602} with message {@code "Invalid params: <param>"} and the detail in {@code data};
 * internal failures are {@code -32603} {@code "Internal error"}.
 */
public final class StorageRpcError extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public static final int PARSE_ERROR = -32700;
  public static final int INVALID_REQUEST = -32600;
  public static final int METHOD_NOT_FOUND = -32601;
  public static final int INVALID_PARAMS = -32602;
  public static final int INTERNAL_ERROR = -32603;

  /** The detail the 0G SDK treats as success on a re-upload (0g-rpc.md §3.4). */
  public static final String ALREADY_FINALIZED = "already uploaded and finalized";

  private final int code;
  private final String rpcMessage;
  private final String data;

  public StorageRpcError(int code, String message, String data) {
    super(message + (data == null ? "" : ": " + data), null, false, false);
    this.code = code;
    this.rpcMessage = message;
    this.data = data;
  }

  public static StorageRpcError invalidParams(String param, String detail) {
    return new StorageRpcError(INVALID_PARAMS, "Invalid params: " + param, detail);
  }

  public static StorageRpcError internal(String detail) {
    return new StorageRpcError(INTERNAL_ERROR, "Internal error", detail);
  }

  public int code() {
    return code;
  }

  /** The JSON-RPC {@code message}. */
  public String rpcMessage() {
    return rpcMessage;
  }

  /** The JSON-RPC {@code data} string, or null. */
  public String data() {
    return data;
  }
}
