package io.axivon.compute.demo;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.axivon.common.crypto.Hashes;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.apache.tuweni.bytes.Bytes;

/**
 * The built-in demo services a gateway can front so a devnet shows the whole compute flow: {@code
 * POST /v1/erasure/encode} is {@link ErasureEncodeService}; {@code POST /v1/digest} answers, for
 * any body, a small deterministic JSON document (its size, keccak256, word count and upper-cased
 * text). Deterministic so a signed response can be checked by recomputing it. The JDK's own HTTP
 * server is enough here: it serves one loopback client at a time, and the gateway in front is the
 * part under load.
 */
public final class DemoUpstream implements AutoCloseable {
  /** The demo service's name on chain. */
  public static final String SERVICE_NAME = "digest";

  /** The path the demo answers on. */
  public static final String PATH = "/v1/digest";

  /** Bodies larger than this are refused (413), like a real service's own limit. */
  public static final int MAX_BODY = 1 << 20;

  private final HttpServer server;
  private final ExecutorService workers = Executors.newVirtualThreadPerTaskExecutor();
  private final ErasureEncodeService erasure = ErasureEncodeService.automatic();

  private DemoUpstream(HttpServer server) {
    this.server = server;
  }

  /** Starts on {@code host:port} (0 picks a port). */
  public static DemoUpstream start(String host, int port) throws IOException {
    HttpServer s = HttpServer.create(new InetSocketAddress(host, port), 64);
    DemoUpstream d = new DemoUpstream(s);
    s.createContext("/", d::handle);
    s.setExecutor(d.workers);
    s.start();
    return d;
  }

  /** Where it listens: {@code http://host:port}. */
  public URI uri() {
    InetSocketAddress a = server.getAddress();
    return URI.create("http://" + a.getHostString() + ":" + a.getPort());
  }

  /** The document the demo answers for {@code body}. */
  public static String answer(Bytes body) {
    String text = new String(body.toArrayUnsafe(), StandardCharsets.UTF_8);
    long words = text.isBlank() ? 0 : text.strip().split("\\s+").length;
    return "{\"bytes\":"
        + body.size()
        + ",\"keccak256\":\""
        + Hashes.keccak256(body).toHexString()
        + "\",\"words\":"
        + words
        + ",\"upper\":\""
        + escape(text.toUpperCase(Locale.ROOT))
        + "\"}";
  }

  private void handle(HttpExchange ex) throws IOException {
    try (ex) {
      String path = ex.getRequestURI().getPath();
      if (!PATH.equals(path) && !ErasureEncodeService.PATH.equals(path)) {
        reply(
            ex,
            404,
            "{\"error\":\"no such path: the demo serves POST "
                + PATH
                + " and POST "
                + ErasureEncodeService.PATH
                + "\"}");
        return;
      }
      if (!"POST".equals(ex.getRequestMethod())) {
        ex.getResponseHeaders().set("Allow", "POST");
        reply(ex, 405, "{\"error\":\"use POST\"}");
        return;
      }
      byte[] body;
      try (InputStream in = ex.getRequestBody()) {
        body = in.readNBytes(MAX_BODY + 1);
      }
      if (body.length > MAX_BODY) {
        reply(ex, 413, "{\"error\":\"body over " + MAX_BODY + " bytes\"}");
        return;
      }
      if (ErasureEncodeService.PATH.equals(path)) {
        ErasureEncodeService.Encoded e;
        try {
          e = erasure.encode(Bytes.wrap(body), ex.getRequestURI().getRawQuery());
        } catch (io.axivon.common.InvalidInputException bad) {
          reply(ex, 400, "{\"error\":\"" + escape(bad.getMessage()) + "\"}");
          return;
        }
        ex.getResponseHeaders().set(ErasureEncodeService.BACKEND_HEADER, e.backend());
        reply(ex, 200, e.json());
        return;
      }
      reply(ex, 200, answer(Bytes.wrap(body)));
    }
  }

  private static void reply(HttpExchange ex, int status, String json) throws IOException {
    byte[] out = json.getBytes(StandardCharsets.UTF_8);
    ex.getResponseHeaders().set("Content-Type", "application/json");
    ex.sendResponseHeaders(status, out.length);
    try (OutputStream o = ex.getResponseBody()) {
      o.write(out);
    }
  }

  private static String escape(String s) {
    StringBuilder b = new StringBuilder(s.length() + 8);
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"' -> b.append("\\\"");
        case '\\' -> b.append("\\\\");
        default -> {
          if (c < 0x20) {
            b.append(String.format(Locale.ROOT, "\\u%04x", (int) c));
          } else {
            b.append(c);
          }
        }
      }
    }
    return b.toString();
  }

  @Override
  public void close() {
    server.stop(0);
    workers.close();
    erasure.close();
  }
}
