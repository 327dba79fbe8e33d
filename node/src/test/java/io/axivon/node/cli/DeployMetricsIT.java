package io.axivon.node.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.axivon.node.devnet.DevnetFixture;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The dashboard metrics that {@link DeployFilesTest} cannot build in-process are served by a real
 * devnet's {@code /metrics}, and so is what the dashboard shows of a devnet.
 */
class DeployMetricsIT {
  @TempDir Path dir;

  @Test
  void theDevnetServesTheDashboardsGatewayMetric() throws Exception {
    Set<String> dashboard =
        DeployFilesTest.dashboardMetricNames(
            new ObjectMapper()
                .readTree(DeployFilesTest.deployDir().resolve("grafana/axivon.json").toFile()));
    try (DevnetFixture devnet = DevnetFixture.start(dir);
        HttpClient http = HttpClient.newHttpClient()) {
      String body =
          http.send(
                  HttpRequest.newBuilder(URI.create(devnet.manifest().metrics())).build(),
                  HttpResponse.BodyHandlers.ofString())
              .body();
      Set<String> served = new TreeSet<>();
      body.lines()
          .filter(l -> !l.startsWith("#") && !l.isBlank())
          .forEach(l -> served.add(l.split("[{ ]", 2)[0]));
      assertThat(served).containsAll(DeployFilesTest.SERVED_BY_DEVNET_ONLY);
      // the devnet runs validators, storage nodes, a miner and a gateway: their unlabelled series
      // are there from the start, under the names the dashboard uses
      assertThat(dashboard)
          .contains(
              "axivon_p2p_connected_peers",
              "axivon_storage_flow_synced_height",
              "axivon_pora_hashes_total",
              "jvm_memory_bytes_used");
      assertThat(served)
          .contains(
              "axivon_p2p_connected_peers",
              "axivon_storage_flow_synced_height",
              "axivon_pora_hashes_total",
              "jvm_memory_bytes_used");
    }
  }
}
