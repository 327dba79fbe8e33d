package io.axivon.consensus.rpc;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.StreamWriteFeature;
import com.fasterxml.jackson.core.util.JsonRecyclerPools;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.NullNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * JSON-RPC 2.0 framing over {@link EthApi}, independent of HTTP: one request or a batch in, the
 * response bytes out (none when every request was a notification, i.e. had no {@code id}). Request
 * ids are echoed exactly as sent (large integers included). Responses are streamed straight to the
 * caller's output, with no tree built for the envelope.
 */
public final class JsonRpcHandler {
  private static final Logger LOG = LoggerFactory.getLogger(JsonRpcHandler.class);

  private final EthApi api;
  private final int maxBatchSize;
  // Calls run on virtual threads, where Jackson's default per-thread buffer recycling recycles
  // nothing: a shared pool lets every request reuse the parse and write buffers.
  private final ObjectMapper mapper =
      new ObjectMapper(
              JsonFactory.builder()
                  .recyclerPool(JsonRecyclerPools.sharedConcurrentDequePool())
                  .disable(StreamWriteFeature.AUTO_CLOSE_TARGET) // the caller owns the output
                  .build())
          .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
          .enable(DeserializationFeature.USE_BIG_INTEGER_FOR_INTS)
          .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

  public JsonRpcHandler(EthApi api, int maxBatchSize) {
    this.api = api;
    this.maxBatchSize = maxBatchSize;
  }

  /** One answer: a result, or an error with its code, message and optional data. */
  private record Answer(JsonNode id, JsonNode result, int code, String message, String data) {
    static Answer error(JsonNode id, int code, String message) {
      return new Answer(id, null, code, message, null);
    }
  }

  /** The response body for {@code body}, empty for notifications only. */
  public Optional<byte[]> handle(byte[] body) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(256);
    return handle(body, out) ? Optional.of(out.toByteArray()) : Optional.empty();
  }

  /**
   * Writes the response body for {@code body} to {@code out}; false (nothing written) for
   * notifications only.
   *
   * @throws UncheckedIOException when {@code out} fails
   */
  public boolean handle(byte[] body, OutputStream out) {
    JsonNode root;
    try {
      root = mapper.readTree(body);
    } catch (IOException e) {
      root = null;
    }
    List<Answer> answers;
    boolean batch = false;
    // an empty body reads as a MissingNode, not as an error: it is no JSON either
    if (root == null || root.isMissingNode()) {
      answers = List.of(Answer.error(NullNode.instance, RpcException.PARSE_ERROR, "parse error"));
    } else if (root.isArray() && root.isEmpty()) {
      answers =
          List.of(Answer.error(NullNode.instance, RpcException.INVALID_REQUEST, "empty batch"));
    } else if (root.isArray() && root.size() > maxBatchSize) {
      answers =
          List.of(Answer.error(NullNode.instance, RpcException.INVALID_REQUEST, "batch too large"));
    } else if (root.isArray()) {
      batch = true;
      answers = new ArrayList<>(root.size());
      for (JsonNode req : root) {
        Answer a = one(req);
        if (a != null) {
          answers.add(a);
        }
      }
    } else {
      Answer a = one(root);
      answers = a == null ? List.of() : List.of(a);
    }
    if (answers.isEmpty()) {
      return false;
    }
    try (JsonGenerator g = mapper.getFactory().createGenerator(out, JsonEncoding.UTF8)) {
      if (batch) {
        g.writeStartArray();
      }
      for (Answer a : answers) {
        write(g, a);
      }
      if (batch) {
        g.writeEndArray();
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write a JSON-RPC response", e);
    }
    return true;
  }

  /** Answers one request; null for a well-formed notification. */
  private Answer one(JsonNode req) {
    if (!req.isObject()) {
      return Answer.error(NullNode.instance, RpcException.INVALID_REQUEST, "invalid request");
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
      return Answer.error(
          validId && id != null ? id : NullNode.instance,
          RpcException.INVALID_REQUEST,
          "invalid request");
    }
    JsonNode result;
    try {
      result = api.call(method.textValue(), req.get("params"));
    } catch (RpcException e) {
      return id == null ? null : new Answer(id, null, e.code(), e.getMessage(), e.data());
    } catch (RuntimeException e) {
      LOG.warn("{} failed", method.textValue(), e);
      return id == null ? null : Answer.error(id, RpcException.INTERNAL, "internal error: " + e);
    }
    return id == null ? null : new Answer(id, result, 0, null, null);
  }

  private static void write(JsonGenerator g, Answer a) throws IOException {
    g.writeStartObject();
    g.writeStringField("jsonrpc", "2.0");
    g.writeFieldName("id");
    g.writeTree(a.id());
    if (a.result() != null) {
      g.writeFieldName("result");
      g.writeTree(a.result());
    } else {
      g.writeObjectFieldStart("error");
      g.writeNumberField("code", a.code());
      g.writeStringField("message", a.message());
      if (a.data() != null) {
        g.writeStringField("data", a.data());
      }
      g.writeEndObject();
    }
    g.writeEndObject();
  }
}
