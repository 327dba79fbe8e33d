package io.axivon.node.explorer;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.axivon.common.InvalidInputException;
import io.axivon.node.devnet.DevnetManifest;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * The devnet's explorer: static HTML and JavaScript modules that render the whole stack in the
 * browser, {@code /api/manifest} (the devnet manifest), and a same-origin relay to exactly the
 * endpoints the manifest lists ({@link ProxyRoutes}): {@code POST /rpc/chain/I}, {@code
 * /rpc/storage/I}, {@code /rpc/kv} with read-only JSON-RPC methods, and {@code GET
 * /api/da/blobs/KEY/status} when a DA API runs. The page does all decoding; this class only checks
 * and relays. The JDK's HTTP server is enough for a devnet page.
 */
public final class ExplorerServer implements AutoCloseable {
  private static final Duration UPSTREAM_TIMEOUT = Duration.ofSeconds(10);

  private static final String CSP =
      "default-src 'self'; img-src 'self' data:; object-src 'none'; base-uri 'none';"
          + " form-action 'self'; frame-ancestors 'none'";

  /** The page's files by URL path, served from this package's resources. */
  private static final Map<String, String> STATIC =
      Map.of(
          "/", "index.html",
          "/index.html", "index.html",
          "/explorer.js", "explorer.js",
          "/abi.js", "abi.js",
          "/explorer.css", "explorer.css");

  private final HttpServer server;
  private final ExecutorService executor;
  private final HttpClient client;
  private final ProxyRoutes routes;
  private final Map<String, byte[]> files;
  private volatile byte[] manifestJson;

  private ExplorerServer(
      HttpServer server, ExecutorService executor, ProxyRoutes routes, Map<String, byte[]> files) {
    this.server = server;
    this.executor = executor;
    this.routes = routes;
    this.files = files;
    this.client =
        HttpClient.newBuilder()
            .connectTimeout(Duration.ofSeconds(3))
            .executor(executor)
            .version(HttpClient.Version.HTTP_1_1)
            .followRedirects(HttpClient.Redirect.NEVER)
            .build();
  }

  /**
   * Serves the explorer of {@code manifest}'s devnet on {@code host:port} (0 picks a free port).
   */
  public static ExplorerServer start(String host, int port, DevnetManifest manifest) {
    ProxyRoutes routes = ProxyRoutes.of(manifest);
    Map<String, byte[]> files =
        Map.of(
            "index.html", resource("index.html"),
            "explorer.js", resource("explorer.js"),
            "abi.js", resource("abi.js"),
            "explorer.css", resource("explorer.css"));
    HttpServer server;
    try {
      server = HttpServer.create(new InetSocketAddress(host, port), 0);
    } catch (BindException e) {
      // exit 1 like every other port in use (specs/cli.md)
      throw new IllegalStateException(
          "explorer port " + port + " on " + host + " is in use: pass --explorer-port", e);
    } catch (IOException e) {
      throw new InvalidInputException(
          "cannot serve the explorer on " + host + ":" + port + ": " + e);
    }
    ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
    ExplorerServer explorer = new ExplorerServer(server, executor, routes, files);
    explorer.manifestJson = json(manifest.withExplorer(explorer.url()));
    server.createContext("/", explorer::handle);
    server.setExecutor(executor);
    server.start();
    return explorer;
  }

  private void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      String path = exchange.getRequestURI().getRawPath();
      String method = exchange.getRequestMethod();
      if (path.startsWith("/rpc/")) {
        relayRpc(exchange, path, method);
        return;
      }
      if (!"GET".equals(method) && !"HEAD".equals(method)) {
        exchange.getResponseHeaders().set("Allow", "GET, HEAD");
        text(exchange, 405, "GET only");
      } else if (STATIC.containsKey(path)) {
        String name = STATIC.get(path);
        send(exchange, 200, contentType(name), files.get(name));
      } else if (path.equals("/api/manifest")) {
        send(exchange, 200, "application/json", manifestJson);
      } else if (path.startsWith("/api/da/")) {
        Optional<URI> target = routes.daStatus(path);
        if (target.isEmpty()) {
          text(
              exchange,
              404,
              routes.daApi().isEmpty()
                  ? "this devnet runs no DA API"
                  : "not a DA blob status path: /api/da/blobs/0x<64 hex>/status");
        } else {
          relay(exchange, HttpRequest.newBuilder(target.get()).GET(), "DA API", false);
        }
      } else {
        text(exchange, 404, "not found");
      }
    }
  }

  private void relayRpc(HttpExchange exchange, String path, String method) throws IOException {
    Optional<ProxyRoutes.Upstream> upstream = routes.rpc(path);
    if (upstream.isEmpty()) {
      text(exchange, 404, "no such endpoint in this devnet: " + path);
      return;
    }
    if (!"POST".equals(method)) {
      exchange.getResponseHeaders().set("Allow", "POST");
      text(exchange, 405, "JSON-RPC takes POST");
      return;
    }
    byte[] body;
    try (InputStream in = exchange.getRequestBody()) {
      body = in.readNBytes(ProxyRoutes.MAX_REQUEST_BYTES + 1);
    }
    try {
      ProxyRoutes.checkRequest(body, upstream.get());
    } catch (InvalidInputException e) {
      text(exchange, body.length > ProxyRoutes.MAX_REQUEST_BYTES ? 413 : 400, e.getMessage());
      return;
    }
    relay(
        exchange,
        HttpRequest.newBuilder(upstream.get().uri())
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofByteArray(body)),
        upstream.get().name(),
        true);
  }

  /**
   * Sends {@code request} upstream and relays its status and body (bounded), or a 502. The answer
   * is typed JSON or plain text whatever the upstream says, so nothing relayed renders as a page of
   * this origin.
   */
  private void relay(
      HttpExchange exchange, HttpRequest.Builder request, String name, boolean jsonRpc)
      throws IOException {
    HttpResponse<InputStream> response;
    try {
      response =
          client.send(
              request.timeout(UPSTREAM_TIMEOUT).build(), HttpResponse.BodyHandlers.ofInputStream());
    } catch (IOException e) {
      text(exchange, 502, name + " did not answer: " + e.getClass().getSimpleName());
      return;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      text(exchange, 502, name + " did not answer: interrupted");
      return;
    }
    byte[] answer;
    try (InputStream in = response.body()) {
      answer = in.readNBytes(ProxyRoutes.MAX_RESPONSE_BYTES + 1);
    }
    if (answer.length > ProxyRoutes.MAX_RESPONSE_BYTES) {
      text(
          exchange, 502, name + " answered more than " + ProxyRoutes.MAX_RESPONSE_BYTES + " bytes");
      return;
    }
    boolean json =
        jsonRpc
            || response
                .headers()
                .firstValue("Content-Type")
                .filter(t -> t.startsWith("application/json"))
                .isPresent();
    send(
        exchange,
        response.statusCode(),
        json ? "application/json" : "text/plain; charset=utf-8",
        answer);
  }

  private static void text(HttpExchange exchange, int status, String message) throws IOException {
    send(
        exchange,
        status,
        "text/plain; charset=utf-8",
        (message + "\n").getBytes(StandardCharsets.UTF_8));
  }

  private static void send(HttpExchange exchange, int status, String type, byte[] body)
      throws IOException {
    exchange.getResponseHeaders().set("Content-Type", type);
    exchange.getResponseHeaders().set("Cache-Control", "no-store");
    exchange.getResponseHeaders().set("X-Content-Type-Options", "nosniff");
    if (type.startsWith("text/html")) {
      // the page renders data from the chains and services: no inline script, no foreign code
      exchange.getResponseHeaders().set("Content-Security-Policy", CSP);
    }
    boolean head = "HEAD".equals(exchange.getRequestMethod());
    exchange.sendResponseHeaders(status, head || body.length == 0 ? -1 : body.length);
    if (!head && body.length > 0) {
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(body);
      }
    }
  }

  private static String contentType(String name) {
    if (name.endsWith(".js")) {
      return "text/javascript; charset=utf-8";
    }
    if (name.endsWith(".css")) {
      return "text/css; charset=utf-8";
    }
    return "text/html; charset=utf-8";
  }

  private static byte[] json(Object value) {
    try {
      return new ObjectMapper().writeValueAsBytes(value);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static byte[] resource(String name) {
    try (InputStream in = ExplorerServer.class.getResourceAsStream(name)) {
      if (in == null) {
        throw new IllegalStateException("explorer resource " + name + " missing from the jar");
      }
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public int port() {
    return server.getAddress().getPort();
  }

  public String url() {
    return "http://" + server.getAddress().getHostString() + ":" + port() + "/";
  }

  @Override
  public void close() {
    server.stop(0);
    client.close();
    executor.close();
  }
}
