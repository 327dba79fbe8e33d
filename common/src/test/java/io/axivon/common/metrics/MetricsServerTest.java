package io.axivon.common.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.axivon.common.InvalidInputException;
import io.prometheus.client.CollectorRegistry;
import io.prometheus.client.Counter;
import java.io.IOException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(60)
class MetricsServerTest {
  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

  private HttpResponse<String> get(MetricsServer server, String path)
      throws IOException, InterruptedException {
    HttpRequest request =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path))
            .timeout(Duration.ofSeconds(20))
            .build();
    return http.send(request, HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void servesRegisteredCountersAndJvmMetrics() throws Exception {
    Metrics metrics = Metrics.withJvmCollectors();
    Counter blocks = metrics.counter("axivon_blocks_imported", "Blocks imported.", "source");
    blocks.labels("gossip").inc(3);
    try (MetricsServer server = MetricsServer.start(metrics, "127.0.0.1", 0)) {
      assertThat(server.port()).isPositive();
      HttpResponse<String> response = get(server, "/metrics");
      assertThat(response.statusCode()).isEqualTo(200);
      assertThat(response.body())
          .contains("axivon_blocks_imported_total{source=\"gossip\",} 3.0")
          .contains("# HELP axivon_blocks_imported_total Blocks imported.")
          .containsPattern("(?m)^jvm_memory_bytes_used\\{area=\"heap\",} ")
          .contains("jvm_threads_current");
    }
  }

  @Test
  void eachMetricsHasItsOwnRegistry() {
    Metrics a = Metrics.empty();
    Metrics b = Metrics.empty();
    a.counter("same_name", "help");
    b.counter("same_name", "help"); // would throw if they shared a registry
    assertThat(a.registry())
        .isNotSameAs(b.registry())
        .isNotSameAs(CollectorRegistry.defaultRegistry);
    assertThat(CollectorRegistry.defaultRegistry.getSampleValue("same_name_total")).isNull();
    assertThat(Metrics.withJvmCollectors().registry())
        .isNotSameAs(CollectorRegistry.defaultRegistry);
  }

  @Test
  void takenPortIsAClearError() throws Exception {
    try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
      int port = taken.getLocalPort();
      assertThatThrownBy(() -> MetricsServer.start(Metrics.empty(), "127.0.0.1", port))
          .isInstanceOf(IllegalStateException.class)
          .hasMessage("port " + port + " is in use: pass --metrics-port");
    }
  }

  @Test
  void badArgumentsAreClearErrors() {
    assertThatThrownBy(() -> MetricsServer.start(Metrics.empty(), "127.0.0.1", 70000))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("0-65535");
    assertThatThrownBy(
            () ->
                MetricsServer.start(
                    Metrics.empty(), "192.0.2.1", 0)) // TEST-NET-1: never a local address
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("192.0.2.1")
        .hasMessageContaining("--metrics-host");
  }

  @Test
  void closeStopsServingAndIsIdempotent() throws Exception {
    MetricsServer server = MetricsServer.start(Metrics.empty(), "127.0.0.1", 0);
    int port = server.port();
    server.close();
    server.close();
    assertThatThrownBy(
            () ->
                http.send(
                    HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/metrics"))
                        .build(),
                    HttpResponse.BodyHandlers.ofString()))
        .isInstanceOf(ConnectException.class);
  }
}
