package io.axivon.node.storage;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.axivon.node.devnet.DevnetFixture;
import io.axivon.sdk.rpc.JsonRpcClient;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The packaged {@code axivon storage-node} as a user runs it, with a config file and a flag,
 * against chain 0 of an in-JVM devnet: prints its endpoints, serves zgs_* and /metrics, follows the
 * chain, stops cleanly on SIGTERM.
 */
class StorageNodeProcessIT {
  @TempDir Path dir;

  @Test
  void runsFromAConfigFileAndStopsOnSigterm() throws Exception {
    StorageNodeProcess.jar();
    try (DevnetFixture devnet = DevnetFixture.start(dir)) {
      String chainRpc = devnet.chainRpc();
      Path config =
          StorageNodeProcess.writeConfig(
              dir.resolve("storage.yaml"), "node-data", chainRpc, "shard: 1/2\n");
      Path stderr = dir.resolve("stderr.txt");
      try (StorageNodeProcess started = StorageNodeProcess.start(config, stderr)) {
        JsonNode doc = started.doc();
        assertThat(doc.path("shard").asText()).isEqualTo("1/2");
        assertThat(doc.path("dataDir").asText()).isEqualTo(dir.resolve("node-data").toString());
        JsonRpcClient node = started.client(Duration.ofSeconds(10));
        assertThat(node.callRaw("zgs_getShardConfig").path("numShard").asInt()).isEqualTo(2);
        JsonNode status = node.callRaw("zgs_getStatus");
        assertThat(status.at("/networkIdentity/chainId").asLong()).isEqualTo(12700);
        assertThat(status.at("/networkIdentity/flowAddress").asText())
            .isEqualTo("0x0000000000000000000000000000000000001001");
        try (HttpClient http = HttpClient.newHttpClient()) {
          String metrics =
              http.send(
                      HttpRequest.newBuilder(URI.create(doc.path("metrics").asText())).build(),
                      HttpResponse.BodyHandlers.ofString())
                  .body();
          assertThat(metrics).contains("axivon_storage_flow_synced_height");
        }
        assertThat(started.stop()).as("exited after SIGTERM").isTrue();
      }
      String err = Files.readString(stderr);
      assertThat(err).contains("axivon: storage node stopped").doesNotContain("Exception");
      assertThat(dir.resolve("node-data").resolve("flow")).isDirectory();
    }
  }
}
