package io.axivon.node.explorer;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.axivon.common.InvalidInputException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.Executors;

/**
 * The devnet's explorer: one static page that reads everything from the chains' public Ethereum
 * JSON-RPC in the browser (latest blocks, transactions, balances, look-ups), plus the small {@code
 * config.json} that tells it where those endpoints are. The JDK's HTTP server is enough for two
 * static documents; the chains' APIs stay on their own Netty servers.
 */
public final class ExplorerServer implements AutoCloseable {
  /**
   * What the page shows.
   *
   * @param chains each chain's id, EVM chain id and JSON-RPC URL, chain 0 first
   * @param devAccounts funded development accounts whose balances the page lists
   */
  public record Config(
      List<Chain> chains, int validators, String metrics, List<String> devAccounts) {
    public Config {
      chains = List.copyOf(chains);
      devAccounts = List.copyOf(devAccounts);
    }
  }

  public record Chain(int index, String chainId, long evmChainId, String rpc) {}

  private final HttpServer server;

  private ExplorerServer(HttpServer server) {
    this.server = server;
  }

  /** Serves on {@code host:port} (0 picks a free port). */
  public static ExplorerServer start(String host, int port, Config config) {
    byte[] page = resource("index.html");
    byte[] json;
    try {
      json = new ObjectMapper().writeValueAsBytes(config);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    HttpServer server;
    try {
      server = HttpServer.create(new InetSocketAddress(host, port), 0);
    } catch (BindException e) {
      throw new InvalidInputException(
          "explorer port " + port + " on " + host + " is in use: pass --explorer-port");
    } catch (IOException e) {
      throw new InvalidInputException(
          "cannot serve the explorer on " + host + ":" + port + ": " + e);
    }
    server.createContext(
        "/",
        exchange -> {
          String path = exchange.getRequestURI().getPath();
          if (!"GET".equals(exchange.getRequestMethod())
              && !"HEAD".equals(exchange.getRequestMethod())) {
            send(
                exchange,
                405,
                "text/plain; charset=utf-8",
                "GET only\n".getBytes(StandardCharsets.UTF_8));
          } else if (path.equals("/") || path.equals("/index.html")) {
            send(exchange, 200, "text/html; charset=utf-8", page);
          } else if (path.equals("/config.json")) {
            send(exchange, 200, "application/json", json);
          } else {
            send(
                exchange,
                404,
                "text/plain; charset=utf-8",
                "not found\n".getBytes(StandardCharsets.UTF_8));
          }
        });
    server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
    server.start();
    return new ExplorerServer(server);
  }

  private static void send(HttpExchange exchange, int status, String type, byte[] body)
      throws IOException {
    exchange.getResponseHeaders().set("Content-Type", type);
    exchange.getResponseHeaders().set("Cache-Control", "no-store");
    boolean head = "HEAD".equals(exchange.getRequestMethod());
    exchange.sendResponseHeaders(status, head ? -1 : body.length);
    if (!head) {
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(body);
      }
    }
    exchange.close();
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
  }
}
