package io.axivon.node.devnet;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.axivon.node.cli.CliProcess;
import io.axivon.sdk.da.DaClient;
import io.axivon.sdk.eth.EthClient;
import io.axivon.sdk.rpc.JsonRpcClient;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The packaged devnet killed with SIGKILL while a blob is being dispersed: after a restart on the
 * same data dir, a blob certified before the kill comes back byte for byte, and the interrupted
 * blob (lost with the process, its put never answered) can be put again and certifies.
 */
class DevnetDaKillIT {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final long DEADLINE_NANOS = 180_000_000_000L;

  @TempDir Path dir;

  private final HttpClient http = HttpClient.newHttpClient();

  private Process start() throws Exception {
    return CliProcess.start(
        dir.resolve("stderr.txt"),
        "devnet",
        "--data-dir",
        dir.resolve("data").toString(),
        "--validators",
        "2",
        "--chains",
        "1",
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
  }

  private static DevnetManifest manifest(Process p) throws Exception {
    return JSON.treeToValue(CliProcess.readDocument(p), DevnetManifest.class);
  }

  @Test
  void aKillDuringDispersalLosesNothingCertified() throws Exception {
    byte[] before = new byte[100_000];
    new Random(5).nextBytes(before);
    byte[] interrupted = new byte[4 << 20];
    new Random(6).nextBytes(interrupted);
    String beforeKey;
    String interruptedKey;
    Process p = start();
    try {
      DevnetManifest m = manifest(p);
      assertThat(m.da()).isNotNull();
      DaClient chain =
          new DaClient(
              new EthClient(
                  new JsonRpcClient(URI.create(m.chains().get(0).rpc()), Duration.ofSeconds(10))),
              DaClient.DA_ADDRESS,
              Duration.ofSeconds(60));
      long deadline = System.nanoTime() + DEADLINE_NANOS;
      while (chain.epochInfo().operatorCount() < 2) {
        assertThat(System.nanoTime()).as("DA operators in the epoch").isLessThan(deadline);
        Thread.sleep(200); // polling a condition, with a deadline
      }
      String api = m.da().api();
      beforeKey = put(api, before);
      awaitState(api, beforeKey, "certified");
      interruptedKey = put(api, interrupted);
      p.destroyForcibly(); // SIGKILL, while the 4 MiB blob is being encoded or dispersed
      assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
    } finally {
      p.destroyForcibly();
    }

    Process again = start();
    try {
      DevnetManifest m = manifest(again);
      String api = m.da().api();
      assertThat(get(api, beforeKey).body()).isEqualTo(before);
      // the interrupted put never answered: the blob is unknown (or, had it won the race,
      // certified)
      HttpResponse<byte[]> lost = get(api, interruptedKey);
      assertThat(lost.statusCode()).isIn(200, 404);
      assertThat(put(api, interrupted)).isEqualTo(interruptedKey);
      awaitState(api, interruptedKey, "certified");
      assertThat(get(api, interruptedKey).body()).isEqualTo(interrupted);
      again.destroy(); // SIGTERM
      assertThat(again.waitFor(30, TimeUnit.SECONDS)).isTrue();
    } finally {
      again.destroyForcibly();
    }
  }

  private String put(String api, byte[] blob) throws Exception {
    HttpResponse<String> r =
        http.send(
            HttpRequest.newBuilder(URI.create(api + "/v1/blobs"))
                .POST(HttpRequest.BodyPublishers.ofByteArray(blob))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).as(r.body()).isEqualTo(202);
    return JSON.readTree(r.body()).get("key").asText();
  }

  private HttpResponse<byte[]> get(String api, String key) throws Exception {
    return http.send(
        HttpRequest.newBuilder(URI.create(api + "/v1/blobs/" + key)).build(),
        HttpResponse.BodyHandlers.ofByteArray());
  }

  private void awaitState(String api, String key, String state) throws Exception {
    long deadline = System.nanoTime() + DEADLINE_NANOS;
    while (true) {
      HttpResponse<String> r =
          http.send(
              HttpRequest.newBuilder(URI.create(api + "/v1/blobs/" + key + "/status")).build(),
              HttpResponse.BodyHandlers.ofString());
      assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
      JsonNode s = JSON.readTree(r.body());
      assertThat(s.get("status").asText()).as(s.toString()).isNotEqualTo("failed");
      if (s.get("status").asText().equals(state)) {
        return;
      }
      assertThat(System.nanoTime()).as(state + " in time: " + s).isLessThan(deadline);
      Thread.sleep(100); // polling a condition, with a deadline
    }
  }
}
