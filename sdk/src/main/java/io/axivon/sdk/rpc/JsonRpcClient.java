package io.axivon.sdk.rpc;

import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The JSON-RPC 2.0 over HTTP client every Axivon client builds on: single calls, batches, a timeout
 * per call, and every failure mapped to {@link JsonRpcException}. Uses the JDK's HTTP client, which
 * already pools connections and speaks HTTP/1.1 and HTTP/2.
 */
public final class JsonRpcClient {
  private static final String JSON = "application/json";

  private final URI endpoint;
  private final Duration timeout;
  private final HttpClient http;
  private final ObjectMapper mapper;
  private final TreeReader reader;
  private final AtomicLong nextId = new AtomicLong(1);
  private final PlainHttp plain; // for prepared calls to http:// endpoints; null for https

  /** How an answer's bytes become a tree (a missing node for no JSON value). */
  @FunctionalInterface
  public interface TreeReader {
    JsonNode read(byte[] body) throws IOException;
  }

  public JsonRpcClient(URI endpoint, Duration timeout) {
    this(endpoint, timeout, new ObjectMapper());
  }

  public JsonRpcClient(URI endpoint, Duration timeout, ObjectMapper mapper) {
    this(endpoint, timeout, mapper, mapper::readTree);
  }

  /** A client whose answers are read by {@code reader} (one that reads bulky values faster). */
  public JsonRpcClient(URI endpoint, Duration timeout, ObjectMapper mapper, TreeReader reader) {
    this.endpoint = Objects.requireNonNull(endpoint, "endpoint");
    if (!"http".equals(endpoint.getScheme()) && !"https".equals(endpoint.getScheme())) {
      throw new IllegalArgumentException("JSON-RPC endpoint must be http(s)://, got " + endpoint);
    }
    if (timeout.isNegative() || timeout.isZero()) {
      throw new IllegalArgumentException("timeout must be positive, got " + timeout);
    }
    this.timeout = timeout;
    this.mapper = mapper;
    this.reader = Objects.requireNonNull(reader, "reader");
    this.http = HttpClient.newBuilder().connectTimeout(timeout).build();
    this.plain = "http".equals(endpoint.getScheme()) ? new PlainHttp(endpoint, timeout) : null;
  }

  public URI endpoint() {
    return endpoint;
  }

  /**
   * Calls {@code method} with positional {@code params} and converts the result to {@code type}.
   */
  public <T> T call(String method, Class<T> type, Object... params) {
    return convert(callRaw(method, params), mapper.constructType(type), method);
  }

  /** Calls {@code method} and returns the result as a JSON tree ({@code NullNode} for null). */
  public JsonNode callRaw(String method, Object... params) {
    long id = nextId.getAndIncrement();
    JsonNode response = post(request(id, method, params));
    if (!response.isObject()) {
      throw JsonRpcException.badResponse(
          "expected a JSON-RPC response object for " + method + ", got " + response.getNodeType());
    }
    return resultOf((ObjectNode) response, method);
  }

  /**
   * A call written once, to be sent as it is to any number of endpoints with {@link #send} (the
   * same segments uploaded to several storage nodes are encoded once). Its id is fixed.
   */
  public record Prepared(String method, byte[] body) {}

  /** Writes the call {@code method(params)} for {@link #send}. */
  public Prepared prepare(String method, Object... params) {
    try {
      return new Prepared(method, mapper.writeValueAsBytes(request(0, method, params)));
    } catch (IOException e) {
      throw new IllegalArgumentException("parameters cannot be written as JSON: " + e, e);
    }
  }

  /**
   * Sends a prepared call and returns its result, as {@link #callRaw} does. To an {@code http://}
   * endpoint it goes over a plain keep-alive socket ({@link PlainHttp}): prepared calls are the
   * bulky ones.
   */
  public JsonNode send(Prepared call) {
    JsonNode response = plain == null ? post(call.body()) : postPlain(call.body());
    if (!response.isObject()) {
      throw JsonRpcException.badResponse(
          "expected a JSON-RPC response object for "
              + call.method()
              + ", got "
              + response.getNodeType());
    }
    return resultOf((ObjectNode) response, call.method());
  }

  /** Starts a batch: add calls, then {@link Batch#send()} sends them in one HTTP request. */
  public Batch batch() {
    return new Batch();
  }

  /** Calls sent together in one HTTP request; the answers come back in any order. */
  public final class Batch {
    private final List<ObjectNode> requests = new ArrayList<>();
    private final List<Pending<?>> pending = new ArrayList<>();

    private Batch() {}

    public <T> BatchResult<T> add(String method, Class<T> type, Object... params) {
      long id = nextId.getAndIncrement();
      requests.add(request(id, method, params));
      Pending<T> p = new Pending<>(id, method, mapper.constructType(type));
      pending.add(p);
      return p;
    }

    /** Sends the batch; afterwards each {@link BatchResult} holds its value or its error. */
    public void send() {
      if (requests.isEmpty()) {
        return; // JSON-RPC 2.0 forbids an empty batch; nothing to do.
      }
      ArrayNode body = mapper.createArrayNode().addAll(requests);
      JsonNode response = post(body);
      if (!response.isArray()) {
        // A server that rejects the whole batch answers with a single error object.
        JsonRpcException failure =
            response.isObject() && response.has("error")
                ? remoteError(response.get("error"), "batch")
                : JsonRpcException.badResponse("expected an array answering the batch");
        pending.forEach(p -> p.fail(failure));
        return;
      }
      Map<Long, ObjectNode> byId = new HashMap<>();
      for (JsonNode item : response) {
        if (item.isObject() && item.path("id").canConvertToExactIntegral()) {
          byId.put(item.get("id").asLong(), (ObjectNode) item);
        }
      }
      for (Pending<?> p : pending) {
        ObjectNode item = byId.get(p.id);
        if (item == null) {
          p.fail(JsonRpcException.badResponse("the batch answer has no response for " + p.method));
        } else {
          p.complete(item);
        }
      }
    }
  }

  /** The outcome of one call in a batch, available after {@link Batch#send()}. */
  public interface BatchResult<T> {
    /** The value, or throws the call's {@link JsonRpcException}. */
    T get();
  }

  private final class Pending<T> implements BatchResult<T> {
    private final long id;
    private final String method;
    private final JavaType type;
    private T value;
    private JsonRpcException error;
    private boolean done;

    Pending(long id, String method, JavaType type) {
      this.id = id;
      this.method = method;
      this.type = type;
    }

    void complete(ObjectNode response) {
      try {
        value = convert(resultOf(response, method), type, method);
      } catch (JsonRpcException e) {
        error = e;
      }
      done = true;
    }

    void fail(JsonRpcException e) {
      error = e;
      done = true;
    }

    @Override
    public T get() {
      if (!done) {
        throw new IllegalStateException("the batch has not been sent yet");
      }
      if (error != null) {
        throw error;
      }
      return value;
    }
  }

  private ObjectNode request(long id, String method, Object[] params) {
    ObjectNode request = mapper.createObjectNode();
    request.put("jsonrpc", "2.0");
    request.put("id", id);
    request.put("method", Objects.requireNonNull(method, "method"));
    ArrayNode list = request.putArray("params");
    for (Object param : params == null ? new Object[0] : params) {
      // a tree goes in as it is: converting it again would turn raw-written nodes (the base64 of
      // segments) into strings that the generator then scans for escapes, byte by byte
      list.add(param instanceof JsonNode node ? node : mapper.valueToTree(param));
    }
    return request;
  }

  private JsonNode post(JsonNode body) {
    try {
      return post(mapper.writeValueAsBytes(body));
    } catch (IOException e) {
      throw new IllegalArgumentException("parameters cannot be written as JSON: " + e, e);
    }
  }

  private JsonNode postPlain(byte[] body) {
    PlainHttp.Answer answer;
    try {
      answer = plain.post(body);
    } catch (SocketTimeoutException e) {
      throw timedOut(e);
    } catch (IOException e) {
      throw failed(e);
    }
    return parse(answer.status(), answer.body());
  }

  private JsonRpcException timedOut(IOException e) {
    return new JsonRpcException(
        JsonRpcException.Kind.TIMEOUT,
        JsonRpcException.INTERNAL_ERROR,
        "no answer from " + endpoint + " within " + timeout.toMillis() + " ms",
        null,
        e);
  }

  /** A transport failure other than a timeout, with a hint when nothing listens. */
  private JsonRpcException failed(IOException e) {
    if (e instanceof ConnectException) {
      return transport("cannot connect to " + endpoint + ": is the node running?", e);
    }
    return transport("connection to " + endpoint + " failed: " + e.getMessage(), e);
  }

  private JsonNode post(byte[] body) {
    HttpRequest request =
        HttpRequest.newBuilder(endpoint)
            .timeout(timeout)
            .header("Content-Type", JSON)
            .header("Accept", JSON)
            .POST(HttpRequest.BodyPublishers.ofByteArray(body))
            .build();
    HttpResponse<byte[]> response;
    try {
      response = http.send(request, HttpResponse.BodyHandlers.ofByteArray());
    } catch (HttpTimeoutException e) {
      throw timedOut(e);
    } catch (IOException e) {
      throw failed(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw transport("interrupted while calling " + endpoint, e);
    }
    return parse(response.statusCode(), response.body());
  }

  private JsonNode parse(int status, byte[] bytes) {
    JsonNode json;
    try {
      json = reader.read(bytes);
    } catch (IOException e) {
      json = null;
    }
    if (json == null || json.isMissingNode()) {
      throw JsonRpcException.badResponse(
          "HTTP " + status + " from " + endpoint + " with no JSON-RPC body");
    }
    return json;
  }

  private static JsonRpcException transport(String message, Exception cause) {
    return new JsonRpcException(
        JsonRpcException.Kind.TRANSPORT, JsonRpcException.INTERNAL_ERROR, message, null, cause);
  }

  private static JsonNode resultOf(ObjectNode response, String method) {
    if (!"2.0".equals(response.path("jsonrpc").asText())) {
      throw JsonRpcException.badResponse("response to " + method + " is not JSON-RPC 2.0");
    }
    if (response.has("error")) {
      throw remoteError(response.get("error"), method);
    }
    if (!response.has("result")) {
      throw JsonRpcException.badResponse("response to " + method + " has neither result nor error");
    }
    return response.get("result");
  }

  private static JsonRpcException remoteError(JsonNode error, String method) {
    if (!error.isObject() || !error.path("code").canConvertToExactIntegral()) {
      return JsonRpcException.badResponse("malformed error object in the answer to " + method);
    }
    return JsonRpcException.remote(
        error.get("code").asInt(), error.path("message").asText(""), error.get("data"));
  }

  private <T> T convert(JsonNode result, JavaType type, String method) {
    try {
      return mapper.treeToValue(result, type);
    } catch (IOException | IllegalArgumentException e) {
      throw JsonRpcException.badResponse(
          "result of " + method + " is not a " + type.getTypeName() + ": " + e.getMessage());
    }
  }
}
