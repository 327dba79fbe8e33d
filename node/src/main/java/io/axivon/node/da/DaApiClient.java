package io.axivon.node.da;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.axivon.common.InvalidInputException;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;
import org.apache.tuweni.bytes.Bytes;
import org.apache.tuweni.bytes.Bytes32;

/**
 * The blob API's REST half (specs/da-api.md §2) from the client side: what {@code axivon da} uses.
 * A 400 from the API is refused input ({@link InvalidInputException}, the API's message); a 404 is
 * an unknown blob (empty); anything else that is not a success, or no answer at all, is a {@link
 * DaApiException} naming the API.
 */
public final class DaApiClient {
  /** The devnet's blob API. */
  public static final String DEVNET_API = "http://127.0.0.1:3100";

  /** The API could not be reached or failed. */
  public static final class DaApiException extends RuntimeException {
    public DaApiException(String message) {
      super(message);
    }
  }

  private final URI base;
  private final Duration timeout;
  private final HttpClient http;
  private final ObjectMapper json = new ObjectMapper();

  public DaApiClient(URI base, Duration timeout) {
    String s = base.toString();
    this.base = URI.create(s.endsWith("/") ? s.substring(0, s.length() - 1) : s);
    this.timeout = timeout;
    this.http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
  }

  /** Parses an {@code --api} URL: http(s) with a host. */
  public static URI parseUrl(String url) {
    URI u;
    try {
      u = URI.create(url.strip());
    } catch (IllegalArgumentException e) {
      throw new InvalidInputException("--api " + url + " is not a URL: " + e.getMessage());
    }
    if (!("http".equals(u.getScheme()) || "https".equals(u.getScheme())) || u.getHost() == null) {
      throw new InvalidInputException("--api must be an http:// URL with a host, got " + url);
    }
    return u;
  }

  /**
   * A blob key from the command line: {@code 0x} + 64 hex digits, or an OP Alt-DA commitment
   * ({@code 0x01 41 <key>} generic or {@code 0x00 <key>} keccak) naming it.
   */
  public static Bytes32 parseKey(String text) {
    String t = text.strip();
    if (!t.matches("0x[0-9a-fA-F]*") || t.length() % 2 != 0) {
      throw new InvalidInputException(
          "a blob key is 0x and 64 hex digits (or an Alt-DA commitment), got '" + text + "'");
    }
    Bytes b = Bytes.fromHexString(t);
    if (b.size() == 32) {
      return Bytes32.wrap(b);
    }
    if (b.size() == 34 && b.get(0) == 0x01 && b.get(1) == 0x41) {
      return Bytes32.wrap(b.slice(2));
    }
    if (b.size() == 33 && b.get(0) == 0x00) {
      return Bytes32.wrap(b.slice(1));
    }
    throw new InvalidInputException(
        "a blob key is 32 bytes (or a 34-byte generic / 33-byte keccak Alt-DA commitment), got "
            + b.size()
            + " bytes");
  }

  public URI base() {
    return base;
  }

  /** {@code POST /v1/blobs}: the blob's key, at once. */
  public Bytes32 put(byte[] blob) {
    HttpResponse<byte[]> r =
        send(
            HttpRequest.newBuilder(base.resolve("/v1/blobs"))
                .POST(HttpRequest.BodyPublishers.ofByteArray(blob)));
    JsonNode doc = parse(expect(r, 202));
    return Bytes32.fromHexString(doc.get("key").asText());
  }

  /** {@code GET /v1/blobs/{key}/status}; empty if the API does not know the key. */
  public Optional<JsonNode> status(Bytes32 key) {
    HttpResponse<byte[]> r =
        send(HttpRequest.newBuilder(base.resolve("/v1/blobs/" + key + "/status")).GET());
    return r.statusCode() == 404 ? Optional.empty() : Optional.of(parse(expect(r, 200)));
  }

  /** {@code GET /v1/blobs/{key}}; empty if unknown or failed. */
  public Optional<byte[]> get(Bytes32 key) {
    HttpResponse<byte[]> r = send(HttpRequest.newBuilder(base.resolve("/v1/blobs/" + key)).GET());
    return r.statusCode() == 404 ? Optional.empty() : Optional.of(expect(r, 200));
  }

  /** {@code GET /v1/blobs/{key}/sample}: a sampling run; empty if unknown. */
  public Optional<JsonNode> sample(Bytes32 key) {
    HttpResponse<byte[]> r =
        send(HttpRequest.newBuilder(base.resolve("/v1/blobs/" + key + "/sample")).GET());
    if (r.statusCode() == 409) {
      throw new InvalidInputException(text(r));
    }
    return r.statusCode() == 404 ? Optional.empty() : Optional.of(parse(expect(r, 200)));
  }

  private HttpResponse<byte[]> send(HttpRequest.Builder request) {
    try {
      return http.send(request.timeout(timeout).build(), HttpResponse.BodyHandlers.ofByteArray());
    } catch (ConnectException e) {
      throw new DaApiException(
          "cannot reach the DA blob API at " + base + " (connection refused): is it running?");
    } catch (IOException e) {
      throw new DaApiException("the DA blob API at " + base + " did not answer: " + e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new DaApiException("interrupted while asking the DA blob API at " + base);
    }
  }

  private byte[] expect(HttpResponse<byte[]> r, int status) {
    if (r.statusCode() == status) {
      return r.body();
    }
    if (r.statusCode() == 400 || r.statusCode() == 413) {
      throw new InvalidInputException(text(r));
    }
    throw new DaApiException(
        "the DA blob API at " + base + " answered " + r.statusCode() + ": " + text(r));
  }

  private static String text(HttpResponse<byte[]> r) {
    return new String(r.body(), StandardCharsets.UTF_8).strip();
  }

  private JsonNode parse(byte[] body) {
    try {
      return json.readTree(body);
    } catch (IOException e) {
      throw new DaApiException("the DA blob API at " + base + " sent malformed JSON");
    }
  }
}
