package io.axivon.node.clients;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.axivon.common.crypto.secp256k1.HdKeys;
import io.axivon.consensus.execution.genesis.Genesis;
import io.axivon.node.cli.CliResult;
import io.axivon.node.devnet.DevnetFixture;
import io.axivon.node.devnet.DevnetManifest;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Unmodified third-party JavaScript clients against a devnet in this JVM: ethers.js on chain 0, the
 * official MCP TypeScript SDK on the compute gateway, 0G's TypeScript SDK on the storage nodes, the
 * flow module and the KV node. Each is a script in {@code clients/} (run with {@code node}) that
 * prints one JSON line and exits non-zero on any mismatch. Without {@code clients/node_modules}
 * (run {@code npm ci --prefix clients}) the test is skipped, unless {@code
 * AXIVON_REQUIRE_CLIENTS=1} (CI sets it when npm ci succeeded), then it fails.
 */
class ExternalClientsIT {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final long SCRIPT_TIMEOUT_SECONDS = 300;

  private static Path clients;

  @TempDir Path dir;

  @BeforeAll
  static void findClients() {
    Path root = Path.of("").toAbsolutePath();
    while (root != null && !Files.isRegularFile(root.resolve("clients/package.json"))) {
      root = root.getParent();
    }
    boolean required = "1".equals(System.getenv("AXIVON_REQUIRE_CLIENTS"));
    String missing =
        root == null
            ? "no clients/package.json above " + Path.of("").toAbsolutePath()
            : !Files.isDirectory(root.resolve("clients/node_modules"))
                ? "clients/node_modules is missing: run npm ci --prefix clients"
                : !nodeRuns() ? "no `node` (Node.js 20+) on the PATH" : null;
    if (missing != null && required) {
      throw new AssertionError("AXIVON_REQUIRE_CLIENTS=1 but " + missing);
    }
    Assumptions.assumeTrue(missing == null, missing);
    clients = root.resolve("clients");
  }

  private static boolean nodeRuns() {
    try {
      Process p =
          new ProcessBuilder("node", "--version")
              .redirectErrorStream(true)
              .redirectOutput(ProcessBuilder.Redirect.DISCARD)
              .start();
      return p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0;
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  /** Runs {@code node clients/SCRIPT args…}; asserts exit 0 and returns its JSON result line. */
  private JsonNode script(String script, String... args) throws Exception {
    List<String> command = new ArrayList<>(List.of("node", script));
    command.addAll(List.of(args));
    Path out = dir.resolve(script + ".out");
    Path err = dir.resolve(script + ".err");
    Process p =
        new ProcessBuilder(command)
            .directory(clients.toFile())
            .redirectOutput(out.toFile())
            .redirectError(err.toFile())
            .start();
    if (!p.waitFor(SCRIPT_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
      p.destroyForcibly().waitFor();
      throw new AssertionError(
          script + " still running after " + SCRIPT_TIMEOUT_SECONDS + " s:\n" + tail(err));
    }
    String stdout = Files.readString(out, StandardCharsets.UTF_8).strip();
    assertThat(p.exitValue()).as(script + ": " + stdout + "\n" + tail(err)).isZero();
    String[] lines = stdout.split("\n");
    JsonNode result = JSON.readTree(lines[lines.length - 1]);
    assertThat(result.path("ok").asBoolean()).as(script + ": " + stdout).isTrue();
    return result;
  }

  private static String tail(Path file) throws IOException {
    String s = Files.readString(file, StandardCharsets.UTF_8);
    return s.length() > 4000 ? "…" + s.substring(s.length() - 4000) : s;
  }

  private static String devKey(int i) {
    return HdKeys.ethereumAccount(Genesis.DEV_MNEMONIC, "", i).bytes().toHexString();
  }

  @Test
  void ethersMcpAnd0gSdkWorkUnmodified() throws Exception {
    try (DevnetFixture devnet = DevnetFixture.start(dir)) {
      DevnetManifest m = devnet.manifest();
      DevnetManifest.ChainEndpoint chain0 = m.chains().get(0);

      JsonNode ethers =
          script(
              "ethers-check.mjs",
              "--rpc",
              chain0.rpc(),
              "--key",
              devKey(2),
              "--chain-id",
              Long.toString(chain0.evmChainId()));
      assertThat(ethers.path("chainId").asText()).isEqualTo(Long.toString(chain0.evmChainId()));
      assertThat(ethers.path("revertReason").asText()).isEqualTo("nope");
      assertThat(ethers.path("customError").asText()).isEqualTo("TooLarge");
      assertThat(ethers.at("/event/newCount").asText()).isEqualTo("1");

      DevnetManifest.ComputeEndpoint gw = m.compute().getFirst();
      JsonNode mcp = script("mcp-check.mjs", "--url", gw.mcp(), "--provider", gw.provider());
      assertThat(mcp.path("tools").toString())
          .contains("list_services", "get_balance", "call_service", "describe_service");
      assertThat(mcp.path("toolError").asText()).contains("no service");
      assertThat(mcp.path("unknownToolCode").asInt()).isEqualTo(-32602);

      // a file of two segments and a bit, its root as `axivon storage root` computes it
      Path file = dir.resolve("file.bin");
      byte[] bytes = new byte[300_000];
      new Random(7).nextBytes(bytes);
      Files.write(file, bytes);
      CliResult root = CliResult.run("storage", "root", file.toString());
      assertThat(root.exitCode()).as(root.err()).isZero();
      String expectedRoot = root.out().strip();

      String kvValue = "written by axivon kv put, read by 0G's KvClient";
      CliResult put =
          CliResult.run(
              "kv",
              "put",
              "external-clients",
              kvValue,
              "--kv-node",
              m.services().get("kv"),
              "--chain-rpc",
              chain0.rpc(),
              "--node",
              devnet.storageRpc(0),
              "--node",
              devnet.storageRpc(1),
              "--dev-account",
              "4",
              "--json");
      assertThat(put.exitCode()).as(put.err()).isZero();
      long kvSeq = JSON.readTree(put.out()).path("txSeq").asLong();

      List<String> zg =
          new ArrayList<>(
              List.of(
                  "--rpc",
                  chain0.rpc(),
                  "--flow",
                  chain0.contracts().get("flow"),
                  "--key",
                  devKey(4), // the stream's admin since its kv put: it may write with the Batcher
                  "--file",
                  file.toString(),
                  "--root",
                  expectedRoot,
                  "--kv",
                  m.services().get("kv"),
                  "--kv-key",
                  "external-clients",
                  "--kv-value",
                  kvValue,
                  "--kv-version",
                  Long.toString(kvSeq),
                  "--kv-write-key",
                  "written-by-0g-sdk",
                  "--kv-write-value",
                  "written by 0G's Batcher, read by axivon kv get"));
      for (DevnetManifest.StorageEndpoint s : m.storage()) {
        zg.addAll(List.of("--node", s.rpc()));
      }
      JsonNode zgResult = script("zg-check.mjs", zg.toArray(String[]::new));
      assertThat(zgResult.path("root").asText()).isEqualTo(expectedRoot);
      assertThat(zgResult.path("downloaded").asLong()).isEqualTo(bytes.length);
      assertThat(zgResult.at("/kv/version").asLong()).isEqualTo(kvSeq);
      assertThat(zgResult.at("/kvWrite/result").asText()).isEqualTo("Commit");
      CliResult get =
          CliResult.run(
              "kv", "get", "written-by-0g-sdk", "--kv-node", m.services().get("kv"), "--json");
      assertThat(get.exitCode()).as(get.err()).isZero();
      JsonNode got = JSON.readTree(get.out());
      assertThat(got.path("value").asText())
          .isEqualTo("written by 0G's Batcher, read by axivon kv get");
      assertThat(got.path("version").asLong()).isEqualTo(zgResult.at("/kvWrite/txSeq").asLong());

      // what the SDK uploaded, Axivon's own client downloads and verifies
      Path back = dir.resolve("back.bin");
      CliResult down =
          CliResult.run(
              "storage", "download", expectedRoot, back.toString(), "--node", devnet.storageRpc(1));
      assertThat(down.exitCode()).as(down.err()).isZero();
      assertThat(Files.readAllBytes(back)).isEqualTo(bytes);
    }
  }
}
