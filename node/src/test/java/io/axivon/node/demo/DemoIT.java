package io.axivon.node.demo;

import static io.axivon.node.devnet.DevnetFixture.FAST;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.axivon.node.cli.CliResult;
import io.axivon.node.devnet.Devnet;
import io.axivon.node.devnet.DevnetManifest;
import io.axivon.sdk.eth.EthClient;
import io.axivon.sdk.rpc.JsonRpcClient;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The end-to-end test: {@code axivon demo} against a devnet in this JVM passes every step for every
 * user; then the devnet restarts from its data dir and still holds every chain, the demo's blob,
 * file and KV value.
 */
class DemoIT {
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path dir;

  private Devnet.Options options() {
    return Devnet.Options.onFreePorts(dir.resolve("devnet"), 2, 2, FAST);
  }

  @Test
  void everyUserPassesAndARestartKeepsWhatTheyMade() throws Exception {
    JsonNode report;
    List<Long> heights = new ArrayList<>();
    try (Devnet devnet = Devnet.start(options())) {
      CliResult r =
          CliResult.run(
              "demo", "--data-dir", dir.resolve("devnet").toString(), "--no-start", "--json");
      report = JSON.readTree(r.out());
      assertThat(r.exitCode()).as(r.out() + r.err()).isZero();
      assertThat(report.path("passed").asBoolean()).isTrue();
      List<String> users = report.path("steps").findValuesAsText("user");
      assertThat(users).contains("cluster", "rollup", "dapp", "miner", "compute");
      for (JsonNode step : report.path("steps")) {
        assertThat(step.path("ok").asBoolean()).as(step.toString()).isTrue();
        assertThat(step.path("result").asText()).isNotBlank();
      }
      assertThat(report.at("/steps/1/result").asText()).contains("one set");
      for (DevnetManifest.ChainEndpoint c : devnet.manifest().chains()) {
        heights.add(eth(c.rpc()).blockNumber());
      }
    }

    // a restart continues the same chains and still serves the demo's file and KV value
    try (Devnet devnet = Devnet.start(options())) {
      DevnetManifest m = devnet.manifest();
      for (int i = 0; i < heights.size(); i++) {
        assertThat(eth(m.chains().get(i).rpc()).blockNumber())
            .as("chain " + i + " after the restart")
            .isGreaterThanOrEqualTo(heights.get(i));
      }
      Path back = dir.resolve("again.bin");
      String root = report.at("/created/fileRoot").asText();
      CliResult down =
          CliResult.run(
              "storage", "download", root, back.toString(), "--node", m.storage().get(0).rpc());
      assertThat(down.exitCode()).as(down.err()).isZero();
      assertThat(Files.size(back)).isEqualTo(300_000);
      CliResult kv =
          CliResult.run(
              "kv",
              "get",
              report.at("/created/kvKey").asText(),
              "--kv-node",
              m.services().get("kv"),
              "--json");
      assertThat(kv.exitCode()).as(kv.err()).isZero();
      assertThat(JSON.readTree(kv.out()).path("value").asText())
          .isEqualTo(report.at("/created/kvValue").asText());
      Path blob = dir.resolve("blob.bin");
      CliResult da =
          CliResult.run(
              "da",
              "get",
              report.at("/created/blobKey").asText(),
              "--out",
              blob.toString(),
              "--api",
              m.da().api());
      assertThat(da.exitCode()).as(da.err()).isZero();
      assertThat(Files.size(blob)).isEqualTo(100_000);
    }
  }

  @Test
  void withoutARunningDevnetAndNoStartItFailsWithAHint() {
    CliResult r = CliResult.run("demo", "--data-dir", dir.resolve("none").toString(), "--no-start");
    assertThat(r.exitCode()).isEqualTo(1);
    assertThat(r.err()).contains("no devnet is running in").contains("axivon devnet --data-dir");
  }

  @Test
  void aZeroWaitIsBadInput() {
    CliResult r = CliResult.run("demo", "--wait", "0", "--no-start");
    assertThat(r.exitCode()).isEqualTo(2);
    assertThat(r.err()).contains("--wait must be at least 1 second");
  }

  private static EthClient eth(String url) {
    return new EthClient(new JsonRpcClient(URI.create(url), Duration.ofSeconds(10)));
  }
}
