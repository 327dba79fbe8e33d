package io.axivon.node.devnet;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.axivon.node.cli.CliProcess;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The packaged CLI as a user runs it: start, serve /metrics, stop cleanly on SIGTERM. */
class DevnetProcessIT {
  @TempDir Path dir;

  @Test
  void startsServesMetricsAndStopsOnSigterm() throws Exception {
    Path stderr = dir.resolve("stderr.txt");
    Process process =
        CliProcess.start(
            stderr,
            "devnet",
            "--data-dir",
            dir.resolve("data").toString(),
            "--validators",
            "2",
            "--p2p-port",
            "0",
            "--metrics-port",
            "0",
            "--rpc-port",
            "0",
            "--explorer-port",
            "0",
            "--storage-port",
            "0",
            "--compute-port",
            "0",
            "--da-port",
            "0",
            "--json");
    try {
      DevnetManifest manifest =
          new ObjectMapper().treeToValue(CliProcess.readDocument(process), DevnetManifest.class);
      assertThat(manifest.p2p()).hasSize(2);
      // the digest demo's gateway and the erasure-encode one
      assertThat(manifest.compute()).hasSize(2);
      try (HttpClient client = HttpClient.newHttpClient()) {
        String metrics =
            client
                .send(
                    HttpRequest.newBuilder(URI.create(manifest.metrics())).build(),
                    HttpResponse.BodyHandlers.ofString())
                .body();
        assertThat(metrics)
            .contains("axivon_p2p_connected_peers")
            .contains("axivon_compute_gateway_pending_requests{node=\"compute-gateway\",}")
            .contains("axivon_compute_gateway_pending_requests{node=\"compute-erasure\",}");
      }
      process.destroy(); // SIGTERM
      assertThat(process.waitFor(30, TimeUnit.SECONDS)).as("exited after SIGTERM").isTrue();
      String err = Files.readString(stderr);
      assertThat(err).contains("axivon: devnet stopped").doesNotContain("Exception");
      // the data dir lock was released: a new devnet can use it at once
      try (Devnet again =
          Devnet.start(
              Devnet.Options.onFreePorts(
                  dir.resolve("data"), 2, 2, Devnet.Options.defaultConsensus()))) {
        assertThat(again.manifest().p2p()).hasSize(2);
      }
    } finally {
      process.destroyForcibly();
    }
  }
}
