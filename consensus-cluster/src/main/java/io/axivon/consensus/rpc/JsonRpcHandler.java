package io.axivon.consensus.rpc;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * JSON-RPC 2.0 framing over {@link EthApi}, independent of HTTP: one request or a batch in, the
 * response bytes out (none when every request was a notification, i.e. had no {@code id}). Request
 * ids are echoed exactly as sent (large integers included).
 */
public final class JsonRpcHandler {
  private static final Logger LOG = LoggerFactory.getLogger(JsonRpcHandler.class);

  private final EthApi api;
  private final int maxBatchSize;
  private final ObjectMapper mapper =
      new ObjectMapper()
          .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
          .enable(DeserializationFeature.USE_BIG_INTEGER_FOR_INTS)
          .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

  public JsonRpcHandler(EthApi api, int maxBatchSize) {
    this.api = api;
    this.maxBatchSize = maxBatchSize;
  }

  /** The response body for {@code body}, empty for notifications only. */
  public Optional<byte[]> handle(byte[] body) {
    JsonNode root;
    try {
      root = mapper.readTree(body);
    } catch (IOException e) {
      return Optional.of(write(error(NullNode.instance, RpcException.PARSE_ERROR, "parse error")));
    }
    if (root == null) {
      return Optional.of(write(error(NullNode.instance, RpcException.PARSE_ERROR, "parse error")));
    }
    if (root.isArray()) {
      if (root.isEmpty()) {
        return Optional.of(
            write(error(NullNode.instance, RpcException.INVALID_REQUEST, "empty batch")));
      }
      if (root.size() > maxBatchSize) {
        return Optional.of(
            write(error(NullNode.instance, RpcException.INVALID_REQUEST, "batch too large")));
      }
      ArrayNode out = mapper.createArrayNode();
      for (JsonNode req : root) {
        ObjectNode r = one(req);
        if (r != null) {
          out.add(r);
        }
      }
      return out.isEmpty() ? Optional.empty() : Optional.of(write(out));
    }
    ObjectNode r = one(root);
    return r == null ? Optional.empty() : Optional.of(write(r));
  }

  /** Answers one request; null for a well-formed notification. */
  private ObjectNode one(JsonNode req) {
    if (!req.isObject()) {
      return error(NullNode.instance, RpcException.INVALID_REQUEST, "invalid request");
    }
    JsonNode id = req.get("id");
    JsonNode version = req.get("jsonrpc");
    JsonNode method = req.get("method");
    boolean validId = id == null || id.isNull() || id.isTextual() || id.isNumber();
    if (version == null
        || !"2.0".equals(version.asText())
        || method == null
        || !method.isTextual()
        || !validId) {
      return error(
          validId && id != null ? id : NullNode.instance,
          RpcException.INVALID_REQUEST,
          "invalid request");
    }
    JsonNode result;
    try {
      result = api.call(method.textValue(), req.get("params"));
    } catch (RpcException e) {
      if (id == null) {
        return null;
      }
      ObjectNode err = error(id, e.code(), e.getMessage());
      if (e.data() != null) {
        ((ObjectNode) err.get("error")).put("data", e.data());
      }
      return err;
    } catch (RuntimeException e) {
      LOG.warn("{} failed", method.textValue(), e);
      return id == null ? null : error(id, RpcException.INTERNAL, "internal error: " + e);
    }
    if (id == null) {
      return null;
    }
    ObjectNode ok = mapper.createObjectNode();
    ok.put("jsonrpc", "2.0");
    ok.set("id", id);
    ok.set("result", result);
    return ok;
  }

  private ObjectNode error(JsonNode id, int code, String message) {
    ObjectNode o = mapper.createObjectNode();
    o.put("jsonrpc", "2.0");
    o.set("id", id);
    ObjectNode e = o.putObject("error");
    e.put("code", code);
    e.put("message", message);
    return o;
  }

  private byte[] write(JsonNode n) {
    try {
      return mapper.writeValueAsBytes(n);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot serialize a JSON tree", e);
    }
  }
}
