package io.axivon.node.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.axivon.node.devnet.Devnet;
import io.axivon.node.validator.ValidatorConfig;
import io.axivon.sdk.rpc.JsonRpcClient;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The packaged {@code axivon storage-node} as a user runs it, with a config file and a flag,
 * against chain 0 of an in-JVM devnet: prints its endpoints, serves zgs_* and /metrics, follows the
 * chain, stops cleanly on SIGTERM.
 */
class StorageNodeProcessIT {
  private static final ValidatorConfig.Consensus FAST =
      new ValidatorConfig.Consensus(800, 300, 300, 100, 100, 1 << 20, 100);

  @TempDir Path dir;

  @Test
  void runsFromAConfigFileAndStopsOnSigterm() throws Exception {
    Path jar = Path.of("target", "axivon.jar").toAbsolutePath();
    // `-Dtest=Storage*` also hands this class to surefire, which runs before the jar is packaged
    assumeTrue(Files.exists(jar), "needs target/axivon.jar: runs under failsafe, after package");
    try (Devnet devnet =
        Devnet.start(
            new Devnet.Options(dir.resolve("devnet"), 1, 1, "127.0.0.1", 0, 0, 0, 0, 0, FAST))) {
      String chainRpc = devnet.manifest().chains().get(0).rpc();
      Path config = dir.resolve("storage.yaml");
      Files.writeString(
          config,
          "data-dir: node-data\n"
              + "rpc:\n  port: 0\n"
              + "chain:\n  rpc: "
              + chainRpc
              + "\n  poll-ms: 100\n"
              + "shard: 1/2\n");
      Path java = Path.of(System.getProperty("java.home"), "bin", "java");
      Path stderr = dir.resolve("stderr.txt");
      Process process =
          new ProcessBuilder(
                  List.of(
                      java.toString(),
                      "-jar",
                      jar.toString(),
                      "storage-node",
                      "--config",
                      config.toString(),
                      "--metrics-port",
                      "0",
                      "--json"))
              .redirectError(stderr.toFile())
              .start();
      try {
        StringBuilder json = new StringBuilder();
        try (BufferedReader out =
            new BufferedReader(
                new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
          String line;
          while ((line = out.readLine()) != null) {
            json.append(line).append('\n');
            if (line.equals("}")) {
              break; // --json prints one document; its last line closes it
            }
          }
        }
        JsonNode doc = new ObjectMapper().readTree(json.toString());
        assertThat(doc.path("shard").asText()).isEqualTo("1/2");
        assertThat(doc.path("dataDir").asText()).isEqualTo(dir.resolve("node-data").toString());
        JsonRpcClient node =
            new JsonRpcClient(URI.create(doc.path("rpc").asText()), Duration.ofSeconds(10));
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
        process.destroy(); // SIGTERM
        assertThat(process.waitFor(30, TimeUnit.SECONDS)).as("exited after SIGTERM").isTrue();
      } finally {
        process.destroyForcibly();
      }
      String err = Files.readString(stderr);
      assertThat(err).contains("axivon: storage node stopped").doesNotContain("Exception");
      assertThat(dir.resolve("node-data").resolve("flow")).isDirectory();
    }
  }
}
