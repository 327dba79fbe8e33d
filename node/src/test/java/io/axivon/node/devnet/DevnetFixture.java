package io.axivon.node.devnet;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.axivon.node.cli.CliResult;
import io.axivon.node.validator.ValidatorConfig;
import java.nio.file.Path;

/**
 * A devnet in this JVM for the integration tests that drive it (mostly through the CLI, run
 * in-process): started in a folder of the test's, every port picked by the OS, closed with
 * try-with-resources. The common case is {@link #start(Path)}: one validator, one chain and its
 * storage nodes.
 */
public final class DevnetFixture implements AutoCloseable {
  /** Short consensus timeouts, so that blocks come quickly on a loaded machine. */
  public static final ValidatorConfig.Consensus FAST =
      new ValidatorConfig.Consensus(800, 300, 300, 100, 100, 1 << 20, 100);

  private static final ObjectMapper JSON = new ObjectMapper();

  private final Path dataDir;
  private final Devnet devnet;

  private DevnetFixture(Path dataDir, Devnet devnet) {
    this.dataDir = dataDir;
    this.devnet = devnet;
  }

  /** One validator and one chain with its storage nodes, in {@code parent/devnet}. */
  public static DevnetFixture start(Path parent) {
    return start(Devnet.Options.onFreePorts(parent.resolve("devnet"), 1, 1, FAST));
  }

  /** A devnet with the given options. */
  public static DevnetFixture start(Devnet.Options options) {
    return new DevnetFixture(options.dataDir(), Devnet.start(options));
  }

  public Devnet devnet() {
    return devnet;
  }

  public DevnetManifest manifest() {
    return devnet.manifest();
  }

  /** The devnet's data folder. */
  public Path dataDir() {
    return dataDir;
  }

  /** The {@code devnet.json} the devnet writes in its data folder. */
  public Path manifestFile() {
    return dataDir.resolve("devnet.json");
  }

  /** Chain 0's JSON-RPC URL. */
  public String chainRpc() {
    return manifest().chains().get(0).rpc();
  }

  /** Storage node {@code i}'s RPC URL. */
  public String storageRpc(int i) {
    return manifest().storage().get(i).rpc();
  }

  /** What a CLI run printed as JSON; fails the test, with its stderr, when it did not exit 0. */
  public static JsonNode json(CliResult r) throws Exception {
    assertThat(r.exitCode()).as(r.err()).isZero();
    return JSON.readTree(r.out());
  }

  /** Runs the CLI in this JVM and returns the JSON it printed (see {@link #json}). */
  public static JsonNode cliJson(String... args) throws Exception {
    return json(CliResult.run(args));
  }

  @Override
  public void close() {
    devnet.close();
  }
}
