package io.axivon.node.devnet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.axivon.common.InvalidInputException;
import io.axivon.p2p.P2pNode;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DevnetIT {
  @TempDir Path dir;

  private static Devnet.Options options(Path dir) {
    return new Devnet.Options(dir, 3, "127.0.0.1", 0, 0, Duration.ofMillis(100));
  }

  static void await(BooleanSupplier condition, Duration timeout, String what) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("timed out waiting for " + what);
      }
      try {
        Thread.sleep(20); // polling a condition, not waiting for luck
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError("interrupted");
      }
    }
  }

  private static String get(String url) throws IOException, InterruptedException {
    try (HttpClient client = HttpClient.newHttpClient()) {
      return client
          .send(
              HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString())
          .body();
    }
  }

  @Test
  void nodesMeshAndMetricsShowP2pTraffic() throws Exception {
    try (Devnet devnet = Devnet.start(options(dir))) {
      List<P2pNode> nodes = devnet.nodes();
      // node 1 and 2 only know node 0 at start: a full mesh means peer exchange worked
      await(
          () -> nodes.stream().allMatch(n -> n.peers().size() == 2),
          Duration.ofSeconds(30),
          "mesh");
      DevnetManifest manifest = devnet.manifest();
      await(
          () -> {
            try {
              return get(manifest.metrics())
                  .matches("(?s).*axivon_devnet_heartbeats_received_total\\{node=\"2\",} [1-9].*");
            } catch (IOException | InterruptedException e) {
              return false;
            }
          },
          Duration.ofSeconds(30),
          "heartbeats on /metrics");
      String metrics = get(manifest.metrics());
      assertThat(metrics)
          .contains("axivon_p2p_connected_peers{node=\"0\",} 2.0")
          .contains("axivon_p2p_bytes_in_total{node=\"1\",}")
          .contains("jvm_threads_current");

      DevnetManifest onDisk =
          new ObjectMapper().readValue(dir.resolve("devnet.json").toFile(), DevnetManifest.class);
      assertThat(onDisk).isEqualTo(manifest);
      assertThat(onDisk.p2p()).hasSize(3);
      assertThat(onDisk.p2p().get(0).nodeId()).isEqualTo(nodes.get(0).localId().toHex());
    }
  }

  @Test
  void restartKeepsNodeIdentities() {
    List<String> first;
    try (Devnet devnet = Devnet.start(options(dir))) {
      first = devnet.manifest().p2p().stream().map(DevnetManifest.P2pEndpoint::nodeId).toList();
    }
    try (Devnet devnet = Devnet.start(options(dir))) {
      assertThat(devnet.manifest().p2p().stream().map(DevnetManifest.P2pEndpoint::nodeId))
          .containsExactlyElementsOf(first);
    }
  }

  @Test
  void secondDevnetOnTheSameDataDirIsRefused() {
    try (Devnet devnet = Devnet.start(options(dir))) {
      assertThat(devnet.nodes()).hasSize(3);
      assertThatThrownBy(() -> Devnet.start(options(dir)))
          .isInstanceOf(InvalidInputException.class)
          .hasMessageContaining("another devnet is running");
    }
  }

  @Test
  void takenP2pPortIsNamedAndLeavesNothingBehind() throws IOException {
    try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      Devnet.Options onTakenPort =
          new Devnet.Options(dir, 1, "127.0.0.1", taken.getLocalPort(), 0, Duration.ofSeconds(1));
      assertThatThrownBy(() -> Devnet.start(onTakenPort))
          .hasMessageContaining("P2P port " + taken.getLocalPort())
          .hasMessageContaining("in use");
    }
    // the failed start released the data dir
    try (Devnet devnet = Devnet.start(options(dir))) {
      assertThat(devnet.nodes()).hasSize(3);
    }
  }

  @Test
  void badOptionsAreInputErrors() {
    assertThatThrownBy(() -> new Devnet.Options(dir, 0, "127.0.0.1", 0, 0, Duration.ofSeconds(1)))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("--nodes");
    assertThatThrownBy(
            () -> new Devnet.Options(dir, 4, "127.0.0.1", 65534, 0, Duration.ofSeconds(1)))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("--p2p-port");
  }
}
