package io.axivon.node.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.axivon.common.InvalidInputException;
import io.axivon.common.config.ConfigLoader;
import io.axivon.consensus.execution.genesis.Genesis;
import io.axivon.node.cli.CliResult;
import io.axivon.storage.node.ShardConfig;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * `axivon storage upload|download|status` and `axivon storage-node`: what they refuse before
 * talking to anyone (exit 2, one line), and how the node's config is read. The transfers themselves
 * are in StorageCliIT.
 */
class StorageCliTest {
  private static final String ROOT =
      "0xf80a45157785ee33461c8c86be630d4920e87b6c103990e0ce41dcea69e3b571";
  private static final String NODE = "http://127.0.0.1:5678/";
  private static final String CHAIN = "http://127.0.0.1:8545/";

  @TempDir Path dir;

  private Path file() throws Exception {
    Path f = dir.resolve("f");
    Files.write(f, new byte[] {1, 2, 3});
    return f;
  }

  private static void assertUsage(CliResult r, String message) {
    assertThat(r.exitCode()).as(r.err()).isEqualTo(2);
    assertThat(r.err()).contains(message);
    assertThat(r.out()).isEmpty();
  }

  @Test
  void uploadRefusesBadArguments() throws Exception {
    String f = file().toString();
    assertUsage(
        CliResult.run(
            "storage",
            "upload",
            dir.resolve("missing").toString(),
            "--chain-rpc",
            CHAIN,
            "--node",
            NODE,
            "--dev-account",
            "0"),
        "no such file: " + dir.resolve("missing"));
    assertUsage(
        CliResult.run("storage", "upload", f, "--chain-rpc", CHAIN, "--dev-account", "0"),
        "Missing required option: '--node=URL'");
    assertUsage(
        CliResult.run("storage", "upload", f, "--chain-rpc", CHAIN, "--node", NODE),
        "--key-file=FILE | --dev-account=N");
    assertUsage(
        CliResult.run(
            "storage",
            "upload",
            f,
            "--chain-rpc",
            CHAIN,
            "--node",
            NODE,
            "--dev-account",
            "0",
            "--key-file",
            f),
        "mutually exclusive");
    assertUsage(
        CliResult.run(
            "storage", "upload", f, "--chain-rpc", CHAIN, "--node", NODE, "--dev-account", "10"),
        "--dev-account must be 0..9, got 10");
    assertUsage(
        CliResult.run(
            "storage", "upload", f, "--chain-rpc", CHAIN, "--node", NODE, "--dev-account", "-1"),
        "--dev-account must be 0..9, got -1");
    assertUsage(
        CliResult.run(
            "storage",
            "upload",
            f,
            "--chain-rpc",
            CHAIN,
            "--node",
            NODE,
            "--key-file",
            dir.resolve("nokey").toString()),
        "no such key file");
    assertUsage(
        CliResult.run(
            "storage", "upload", f, "--chain-rpc", CHAIN, "--node", NODE, "--key-file", f),
        "is not 64 hex digits");
    assertUsage(
        CliResult.run(
            "storage",
            "upload",
            f,
            "--chain-rpc",
            CHAIN,
            "--node",
            "ftp://x/",
            "--dev-account",
            "0"),
        "not an http(s) URL: ftp://x/");
    assertUsage(
        CliResult.run(
            "storage", "upload", f, "--chain-rpc", "nope", "--node", NODE, "--dev-account", "0"),
        "not an http(s) URL: nope");
    assertUsage(
        CliResult.run(
            "storage",
            "upload",
            f,
            "--chain-rpc",
            CHAIN,
            "--node",
            NODE,
            "--dev-account",
            "0",
            "--flow",
            "0x12"),
        "flow address");
    assertUsage(
        CliResult.run("storage", "upload", f, "--node", NODE, "--dev-account", "0"),
        "Missing required option: '--chain-rpc=URL'");
  }

  @Test
  void devAccountCountMatchesTheGenesis() {
    assertThat(UploadCommand.DEV_ACCOUNTS).isEqualTo(Genesis.devAccounts().size());
  }

  @Test
  void downloadAndStatusRefuseBadArguments() throws Exception {
    String out = dir.resolve("out").toString();
    assertUsage(
        CliResult.run("storage", "download", "0x1234", out, "--node", NODE),
        "ROOT must be 32 bytes as 64 hex digits, got 0x1234");
    assertUsage(
        CliResult.run("storage", "download", ROOT.replace('f', 'g'), out, "--node", NODE),
        "ROOT must be 32 bytes");
    assertUsage(
        CliResult.run("storage", "download", ROOT, out), "Missing required option: '--node=URL'");
    assertUsage(
        CliResult.run("storage", "download", ROOT, "--node", NODE), "Missing required parameter");
    assertUsage(
        CliResult.run("storage", "download", ROOT, dir.toString(), "--node", NODE, "--raw"),
        "OUT is a directory");
    assertUsage(
        CliResult.run(
            "storage", "download", ROOT, dir.resolve("no/such/out").toString(), "--node", NODE),
        "no such directory");
    assertUsage(CliResult.run("storage", "status", "zz", "--node", NODE), "ROOT must be 32 bytes");
    assertUsage(CliResult.run("storage", "status", ROOT), "Missing required option: '--node=URL'");
  }

  @Test
  void unreachableNodeIsAFailureNamingIt() throws Exception {
    int port;
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      port = s.getLocalPort(); // closed again: nothing listens there
    }
    String node = "http://127.0.0.1:" + port + "/";
    CliResult r = CliResult.run("storage", "status", ROOT, "--node", node);
    assertThat(r.exitCode()).as(r.err()).isEqualTo(1);
    assertThat(r.err()).startsWith("axivon: failed: storage node " + node);
    assertThat(r.err().strip().lines()).hasSize(1);

    Path out = dir.resolve("out");
    CliResult d = CliResult.run("storage", "download", ROOT, out.toString(), "--node", node);
    assertThat(d.exitCode()).as(d.err()).isEqualTo(1);
    assertThat(d.err()).contains("no storage node knows root " + ROOT);
    assertThat(out).doesNotExist();
    try (var files = Files.list(dir)) {
      assertThat(files).as("no partial file left").isEmpty();
    }
  }

  @Test
  void miningStatusRefusesBadFlagsBeforeAskingTheChain() {
    String nowhere = "http://127.0.0.1:1/";
    CliResult both =
        CliResult.run(
            "storage",
            "mining",
            "status",
            "--chain-rpc",
            nowhere,
            "--miner-id",
            "0x" + "11".repeat(32),
            "--miner-key",
            "miner.key");
    assertThat(both.exitCode()).isEqualTo(2);
    assertThat(both.err()).contains("--miner-id or --miner-key, not both");
    CliResult salt =
        CliResult.run(
            "storage",
            "mining",
            "status",
            "--chain-rpc",
            nowhere,
            "--miner-key",
            "miner.key",
            "--salt",
            "0xzz");
    assertThat(salt.exitCode()).isEqualTo(2);
    assertThat(salt.err()).contains("--salt must be 0x and up to 64 hex digits");
    // a chain that is not there is a run-time failure, not bad input
    assertThat(CliResult.run("storage", "mining", "status", "--chain-rpc", nowhere).exitCode())
        .isEqualTo(1);
  }

  @Test
  void everyCommandHasHelp() {
    for (String[] args :
        new String[][] {
          {"storage-node", "--help"},
          {"storage", "upload", "--help"},
          {"storage", "download", "--help"},
          {"storage", "status", "--help"},
          {"storage", "mining", "status", "--help"},
          {"storage", "--help"}
        }) {
      CliResult r = CliResult.run(args);
      assertThat(r.exitCode()).as(String.join(" ", args)).isZero();
      assertThat(r.out()).contains("Usage: axivon " + args[0]);
    }
  }

  @Test
  void nodeConfigKeysAndDefaults() throws Exception {
    StorageNodeConfig d = ConfigLoader.load(StorageNodeConfig.class, Optional.empty(), Map.of());
    assertThat(d.rpc().port()).isEqualTo(5678);
    assertThat(d.rpc().host()).isEqualTo("127.0.0.1");
    assertThat(d.chain().rpcUrl().toString()).isEqualTo(CHAIN);
    assertThat(d.chain().flowAddress().toString())
        .isEqualTo("0x0000000000000000000000000000000000001001");
    assertThat(d.shardConfig()).isEqualTo(ShardConfig.ALL);
    assertThat(d.metrics().port()).isEqualTo(StorageNodeConfig.DEFAULT_METRICS_PORT);
    assertThat(d.p2p().enabled()).isFalse();
    assertThat(StorageNodeCommand.nodeConfig(d, dir.resolve("off"), 1).sync()).isNull();

    Path yaml = dir.resolve("storage.yaml");
    Files.writeString(
        yaml,
        """
        data-dir: ./s1
        rpc:
          port: 5679
        chain:
          rpc: http://10.0.0.1:8545/
          poll-ms: 200
        shard: 1/4
        metrics:
          port: 0
        """);
    StorageNodeConfig cfg =
        ConfigLoader.load(StorageNodeConfig.class, Optional.of(yaml), Map.of("rpc.port", "0"));
    assertThat(cfg.rpc().port()).isZero(); // the flag wins
    assertThat(cfg.shardConfig()).isEqualTo(new ShardConfig(1, 4));
    assertThat(cfg.chain().pollInterval()).isEqualTo(Duration.ofMillis(200));
    var node = StorageNodeCommand.nodeConfig(cfg, dir.resolve("s1"), 12700);
    assertThat(node.shard()).isEqualTo(new ShardConfig(1, 4));
    assertThat(node.identity().chainId()).isEqualTo(12700);
    var chain = StorageNodeCommand.chainConfig(cfg);
    assertThat(chain.rpcUrl().toString()).isEqualTo("http://10.0.0.1:8545/");
    assertThat(chain.pollInterval()).isEqualTo(Duration.ofMillis(200));

    // any P2P flag turns sync on; the node key is made in the data dir
    String peer = "ab".repeat(32) + "@127.0.0.1:30404";
    StorageNodeCommand cmd = new StorageNodeCommand();
    cmd.p2pPort = "0";
    cmd.peers = java.util.List.of(peer);
    StorageNodeConfig p2p =
        ConfigLoader.load(StorageNodeConfig.class, Optional.empty(), cmd.overrides());
    assertThat(p2p.p2p().enabled()).isTrue();
    assertThat(p2p.p2p().peers()).containsExactly(peer);
    var synced = StorageNodeCommand.nodeConfig(p2p, dir.resolve("p2p"), 12700).sync();
    assertThat(synced.p2p().bindPort()).isZero();
    assertThat(synced.p2p().staticPeers()).hasSize(1);
    assertThat(synced.p2p().networkId()).isEqualTo(12700);
    assertThat(dir.resolve("p2p").resolve("node.key")).exists();
    assertThatThrownBy(
            () ->
                ConfigLoader.load(
                    StorageNodeConfig.class, Optional.empty(), Map.of("p2p.peers", "nobody")))
        .hasMessageContaining("node id");

    // mining: off by default; --mine needs a key; the flags map to mining.*
    assertThat(d.mining().enabled()).isFalse();
    assertThat(d.mining().searchThreads()).isEqualTo(Runtime.getRuntime().availableProcessors());
    StorageNodeCommand mine = new StorageNodeCommand();
    mine.mine = true;
    assertThatThrownBy(
            () -> ConfigLoader.load(StorageNodeConfig.class, Optional.empty(), mine.overrides()))
        .hasMessageContaining("--miner-key");
    mine.minerKey = "miner.key";
    mine.miningThreads = "3";
    StorageNodeConfig mining =
        ConfigLoader.load(StorageNodeConfig.class, Optional.empty(), mine.overrides());
    assertThat(mining.mining().enabled()).isTrue();
    assertThat(mining.mining().key()).isEqualTo("miner.key");
    assertThat(mining.mining().searchThreads()).isEqualTo(3);
    assertThatThrownBy(
            () ->
                ConfigLoader.load(
                    StorageNodeConfig.class, Optional.empty(), Map.of("mining.salt", "0x12")))
        .hasMessageContaining("64 hex digits");
    Path badKey = dir.resolve("bad.key");
    Files.writeString(badKey, "nope\n");
    assertThatThrownBy(() -> MinerKeyFile.load(badKey))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("not 64 hex digits");

    assertThatThrownBy(() -> StorageNodeConfig.parseShard("3/2"))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("shardId must be in [0, 2)");
    assertThatThrownBy(() -> StorageNodeConfig.parseShard("1/3"))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("power of two");
    assertThatThrownBy(() -> StorageNodeConfig.parseShard("all"))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("INDEX/COUNT");
  }

  @Test
  void storageNodeRefusesBadSettingsBeforeStarting() throws Exception {
    assertUsage(CliResult.run("storage-node", "--shard", "2/2"), "shard");
    assertUsage(CliResult.run("storage-node", "--chain-rpc", "localhost:8545"), "chain");
    assertUsage(
        CliResult.run("storage-node", "--config", dir.resolve("none.yaml").toString()),
        "none.yaml");
    Path bad = dir.resolve("bad.yaml");
    Files.writeString(bad, "rpc:\n  prot: 1\n");
    assertUsage(CliResult.run("storage-node", "--config", bad.toString()), "prot");
  }

  @Test
  void storageNodeWithoutItsChainFailsNamingIt() throws Exception {
    int port;
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      port = s.getLocalPort(); // closed again: no chain there
    }
    String chain = "http://127.0.0.1:" + port + "/";
    CliResult r =
        CliResult.run(
            "storage-node",
            "--chain-rpc",
            chain,
            "--data-dir",
            dir.resolve("data").toString(),
            "--rpc-port",
            "0",
            "--metrics-port",
            "0");
    assertThat(r.exitCode()).as(r.err()).isEqualTo(1);
    assertThat(r.err()).startsWith("axivon: failed: cannot reach chain RPC " + chain);
    assertThat(r.err().strip().lines()).hasSize(1);
  }
}
