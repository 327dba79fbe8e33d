package io.axivon.consensus.rpc;

import org.apache.tuweni.bytes.Bytes;

/**
 * A JSON-RPC error answer: code, message and optional data, as go-ethereum returns them. Thrown by
 * {@link EthApi} methods and turned into the response's {@code error} object.
 */
public final class RpcException extends RuntimeException {
  public static final int PARSE_ERROR = -32700;
  public static final int INVALID_REQUEST = -32600;
  public static final int METHOD_NOT_FOUND = -32601;
  public static final int INVALID_PARAMS = -32602;
  public static final int INTERNAL = -32603;

  /** go-ethereum's code for every other server-side error (transaction rejections, ...). */
  public static final int SERVER = -32000;

  /** Not go-ethereum's (it has no such limit): a query that would return too much. */
  public static final int LIMIT_EXCEEDED = -32005;

  /** go-ethereum's code for "execution reverted", with the revert data in {@code data}. */
  public static final int REVERTED = 3;

  private final int code;
  private final String data;

  public RpcException(int code, String message, String data) {
    super(message, null, false, false);
    this.code = code;
    this.data = data;
  }

  public RpcException(int code, String message) {
    this(code, message, null);
  }

  public int code() {
    return code;
  }

  /** The error's {@code data} member (hex revert data or a detail), or null. */
  public String data() {
    return data;
  }

  public static RpcException invalidParams(String message) {
    return new RpcException(INVALID_PARAMS, message);
  }

  /** "invalid argument N: why", go-ethereum's wording for a parameter that does not parse. */
  public static RpcException invalidArgument(int index, String why) {
    return new RpcException(INVALID_PARAMS, "invalid argument " + index + ": " + why);
  }

  public static RpcException server(String message) {
    return new RpcException(SERVER, message);
  }

  public static RpcException methodNotFound(String method) {
    return new RpcException(
        METHOD_NOT_FOUND, "the method " + method + " does not exist/is not available");
  }

  /** "execution reverted" (+ ": reason" for an Error(string) payload), data = the revert bytes. */
  public static RpcException reverted(Bytes revertData) {
    String reason = RevertReason.decode(revertData).map(r -> ": " + r).orElse("");
    return new RpcException(REVERTED, "execution reverted" + reason, revertData.toHexString());
  }
}
