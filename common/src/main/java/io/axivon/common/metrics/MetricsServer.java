package io.axivon.common.metrics;

import io.axivon.common.InvalidInputException;
import io.prometheus.client.exporter.HTTPServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.util.Locale;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Serves a {@link Metrics} registry at {@code http://host:port/metrics} in the Prometheus text
 * format, on daemon threads. Bound to loopback by default: metrics describe the node's internals
 * and are for a local scraper or an explicit opt-in.
 */
public final class MetricsServer implements AutoCloseable {
  public static final String DEFAULT_HOST = "127.0.0.1";
  public static final int DEFAULT_PORT = 9400;

  private final HTTPServer server;
  private final String host;
  private final AtomicBoolean closed = new AtomicBoolean();

  private MetricsServer(HTTPServer server, String host) {
    this.server = server;
    this.host = host;
  }

  /** Starts on {@link #DEFAULT_HOST}:{@link #DEFAULT_PORT}. */
  public static MetricsServer start(Metrics metrics) {
    return start(metrics, DEFAULT_HOST, DEFAULT_PORT);
  }

  /**
   * Starts serving; port 0 picks a free port (see {@link #port()}).
   *
   * @throws InvalidInputException if the port is taken or the address cannot be bound
   */
  public static MetricsServer start(Metrics metrics, String host, int port) {
    Objects.requireNonNull(metrics, "metrics");
    Objects.requireNonNull(host, "host");
    if (port < 0 || port > 65535) {
      throw new InvalidInputException("metrics port must be 0-65535, got " + port);
    }
    InetSocketAddress address = new InetSocketAddress(host, port);
    if (address.isUnresolved()) {
      throw new InvalidInputException(
          "metrics host '" + host + "' does not resolve: pass --metrics-host");
    }
    try {
      HTTPServer server =
          new HTTPServer.Builder()
              .withRegistry(metrics.registry())
              .withInetSocketAddress(address)
              .withDaemonThreads(true)
              .build();
      return new MetricsServer(server, host);
    } catch (BindException e) {
      String reason = String.valueOf(e.getMessage());
      if (port != 0 && reason.toLowerCase(Locale.ROOT).contains("in use")) {
        // a run-time condition like every other port in use (exit 1, specs/cli.md): the holder
        // may be an instance still stopping, so a service manager should try again
        throw new IllegalStateException("port " + port + " is in use: pass --metrics-port", e);
      }
      throw new InvalidInputException(
          "cannot bind the metrics server to "
              + host
              + ":"
              + port
              + " ("
              + reason
              + "): pass --metrics-host",
          e);
    } catch (IOException e) {
      throw new UncheckedIOException("starting the metrics server on " + host + ":" + port, e);
    }
  }

  /** The bound port (the chosen one when started with port 0). */
  public int port() {
    return server.getPort();
  }

  public String host() {
    return host;
  }

  /** Stops serving and frees the port. Idempotent. */
  @Override
  public void close() {
    if (closed.compareAndSet(false, true)) {
      server.close();
    }
  }
}
