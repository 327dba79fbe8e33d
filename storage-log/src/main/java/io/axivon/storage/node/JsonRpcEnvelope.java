package io.axivon.storage.node;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.axivon.common.InvalidInputException;
import io.axivon.sdk.storage.StorageJson.InvalidParam;
import java.util.Objects;
import java.util.function.UnaryOperator;
import org.slf4j.Logger;

/**
 * The JSON-RPC 2.0 envelope that the storage node's zgs_* and the KV node's kv_* servers share, as
 * 0G's Rust nodes answer it: batches, notifications (no answer, even to a failure), the request's
 * own checks, and the mapping of a method's failures to error objects. Ids are echoed as the same
 * JSON token (0G's SDKs send ids above 2^53).
 *
 * <p>A method fails with {@link StorageRpcError} (its code, message and data as they are), {@link
 * InvalidParam} ({@code -32602 "Invalid params: <param>"}, the detail in {@code data}), {@link
 * InvalidInputException} ({@code -32602 "Invalid params"}), or anything else ({@code -32603
 * "Internal error"}, logged with its stack).
 */
public final class JsonRpcEnvelope {
  /** One method call that passed the envelope's checks: params are an array (empty if absent). */
  @FunctionalInterface
  public interface Call {
    JsonNode apply(String method, JsonNode params);
  }

  private final ObjectMapper mapper;
  private final Logger log;

  /**
   * @param log where unexpected failures of a method are logged (the server's own logger)
   */
  public JsonRpcEnvelope(ObjectMapper mapper, Logger log) {
    this.mapper = Objects.requireNonNull(mapper, "mapper");
    this.log = Objects.requireNonNull(log, "log");
  }

  /**
   * Answers a request object, or a batch array one element at a time, through {@code one}: null
   * when nothing is to be sent back (a notification, or a batch of only notifications).
   */
  public JsonNode handle(JsonNode request, UnaryOperator<JsonNode> one) {
    if (request == null || !request.isArray()) {
      return one.apply(request);
    }
    if (request.isEmpty()) {
      return error(
          NullNode.instance, StorageRpcError.INVALID_REQUEST, "Invalid request", "empty batch");
    }
    ArrayNode out = mapper.createArrayNode();
    for (JsonNode r : request) {
      JsonNode answer = one.apply(r);
      if (answer != null) {
        out.add(answer);
      }
    }
    return out.isEmpty() ? null : out;
  }

  /** Answers one request object by {@code call}; null for a notification. */
  public JsonNode answer(JsonNode request, Call call) {
    if (request == null || !request.isObject()) {
      return error(
          NullNode.instance, StorageRpcError.INVALID_REQUEST, "Invalid request", "not an object");
    }
    JsonNode id = request.get("id");
    JsonNode echoId = id == null ? NullNode.instance : id;
    JsonNode method = request.get("method");
    if (method == null || !method.isTextual()) {
      return error(echoId, StorageRpcError.INVALID_REQUEST, "Invalid request", "no method");
    }
    JsonNode params = request.get("params");
    if (params != null && !params.isArray() && !params.isNull()) {
      return error(
          echoId, StorageRpcError.INVALID_PARAMS, "Invalid params", "params must be an array");
    }
    JsonNode result;
    try {
      result =
          call.apply(
              method.asText(),
              params == null || params.isNull() ? mapper.createArrayNode() : params);
    } catch (StorageRpcError e) {
      return id == null ? null : error(echoId, e.code(), e.rpcMessage(), e.data());
    } catch (InvalidParam e) {
      return id == null
          ? null
          : error(
              echoId, StorageRpcError.INVALID_PARAMS, "Invalid params: " + e.param(), e.detail());
    } catch (InvalidInputException e) {
      return id == null
          ? null
          : error(echoId, StorageRpcError.INVALID_PARAMS, "Invalid params", e.getMessage());
    } catch (RuntimeException e) {
      log.warn("{} failed", method.asText(), e);
      return id == null
          ? null
          : error(echoId, StorageRpcError.INTERNAL_ERROR, "Internal error", e.toString());
    }
    if (id == null) {
      return null; // a notification gets no answer
    }
    ObjectNode out = mapper.createObjectNode();
    out.put("jsonrpc", "2.0");
    out.set("result", result == null ? NullNode.instance : result);
    out.set("id", echoId);
    return out;
  }

  /** The response to a body that is not JSON. */
  public ObjectNode parseError(String detail) {
    return error(NullNode.instance, StorageRpcError.PARSE_ERROR, "Parse error", detail);
  }

  /**
   * Checks a method's parameter count.
   *
   * @throws InvalidParam naming {@code params} when there are fewer than {@code min} or more than
   *     {@code max}
   */
  public static void arity(JsonNode params, int min, int max) {
    if (params.size() < min || params.size() > max) {
      throw new InvalidParam(
          "params",
          "expected "
              + (min == max ? String.valueOf(min) : min + " to " + max)
              + " parameters, got "
              + params.size());
    }
  }

  private ObjectNode error(JsonNode id, int code, String message, String data) {
    ObjectNode out = mapper.createObjectNode();
    out.put("jsonrpc", "2.0");
    ObjectNode e = out.putObject("error");
    e.put("code", code);
    e.put("message", message);
    if (data != null) {
      e.put("data", data);
    }
    out.set("id", id);
    return out;
  }
}
