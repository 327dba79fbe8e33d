package io.axivon.node.storage;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.axivon.sdk.rpc.JsonRpcClient;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A packaged {@code axivon storage-node --config FILE --json} running as its own OS process, for
 * the ITs that need one (they run under failsafe, after target/axivon.jar is packaged).
 *
 * @param process the node's process
 * @param doc the JSON document it printed on start (rpc, metrics, shard, dataDir)
 * @param stderr where its stderr goes
 */
record StorageNodeProcess(Process process, JsonNode doc, Path stderr) implements AutoCloseable {

  /** The packaged jar; skips the calling test when it is not built (a surefire run). */
  static Path jar() {
    Path jar = Path.of("target", "axivon.jar").toAbsolutePath();
    // `-Dtest=Storage*` also hands the ITs to surefire, which runs before the jar is packaged
    assumeTrue(Files.exists(jar), "needs target/axivon.jar: runs under failsafe, after package");
    return jar;
  }

  /** Writes a node config (data dir relative to the config's folder, RPC on a free port). */
  static Path writeConfig(Path config, String dataDir, String chainRpc, String extra)
      throws IOException {
    Files.writeString(
        config,
        "data-dir: "
            + dataDir
            + "\n"
            + "rpc:\n  port: 0\n"
            + "chain:\n  rpc: "
            + chainRpc
            + "\n  poll-ms: 100\n"
            + extra);
    return config;
  }

  /**
   * Starts {@code axivon storage-node --config config --metrics-port 0 --json} and returns once it
   * printed its endpoints (it serves from then on); stderr is appended to {@code stderr}.
   */
  static StorageNodeProcess start(Path config, Path stderr) throws IOException {
    Path java = Path.of(System.getProperty("java.home"), "bin", "java");
    Process process =
        new ProcessBuilder(
                List.of(
                    java.toString(),
                    "-jar",
                    jar().toString(),
                    "storage-node",
                    "--config",
                    config.toString(),
                    "--metrics-port",
                    "0",
                    "--json"))
            .redirectError(ProcessBuilder.Redirect.appendTo(stderr.toFile()))
            .start();
    try {
      StringBuilder json = new StringBuilder();
      // not closed: closing the pipe early could make the node's later prints fail
      BufferedReader out =
          new BufferedReader(
              new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
      String line;
      while ((line = out.readLine()) != null) {
        json.append(line).append('\n');
        if (line.equals("}")) {
          break; // --json prints one document; its last line closes it
        }
      }
      if (line == null) {
        throw new IOException(
            "storage node exited before printing its endpoints: " + Files.readString(stderr));
      }
      return new StorageNodeProcess(process, new ObjectMapper().readTree(json.toString()), stderr);
    } catch (IOException | RuntimeException e) {
      process.destroyForcibly();
      throw e;
    }
  }

  URI rpc() {
    return URI.create(doc.path("rpc").asText());
  }

  JsonRpcClient client(Duration timeout) {
    return new JsonRpcClient(rpc(), timeout);
  }

  /** SIGKILL, and wait until the process is gone. */
  void kill() throws InterruptedException {
    process.destroyForcibly();
    if (!process.waitFor(30, TimeUnit.SECONDS)) {
      throw new IllegalStateException("storage node survived SIGKILL for 30 s");
    }
  }

  /** SIGTERM; whether it exited within 30 s. */
  boolean stop() throws InterruptedException {
    process.destroy();
    return process.waitFor(30, TimeUnit.SECONDS);
  }

  @Override
  public void close() {
    process.destroyForcibly();
  }
}
