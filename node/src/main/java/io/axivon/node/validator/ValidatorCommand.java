package io.axivon.node.validator;

import io.axivon.common.InvalidInputException;
import io.axivon.common.config.ConfigLoader;
import io.axivon.common.config.Overrides;
import io.axivon.common.metrics.Metrics;
import io.axivon.common.metrics.MetricsServer;
import io.axivon.node.cli.ExitCodes;
import io.axivon.node.cli.JsonOutput;
import io.axivon.node.cli.UntilStopped;
import io.axivon.node.p2pnode.NodeKeyFile;
import io.axivon.p2p.PeerAddress;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(
    name = "validator",
    mixinStandardHelpOptions = true,
    description =
        "Run one validator of a chain over P2P until Ctrl-C or SIGTERM: consensus, block store, mempool and Prometheus metrics. Settings come from --config FILE (as `axivon testnet init` writes it), then flags, which win.")
public final class ValidatorCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(names = "--config", paramLabel = "FILE", description = "Config file (YAML or JSON).")
  Path config;

  @Option(
      names = "--data-dir",
      paramLabel = "DIR",
      description = "Data dir (default ./validator-data).")
  String dataDir;

  @Option(names = "--genesis", paramLabel = "FILE", description = "The chain's genesis.json.")
  String genesis;

  @Option(
      names = "--validator-key",
      paramLabel = "FILE",
      description = "BLS validator key file; leave out to run a full node that does not sign.")
  String validatorKey;

  @Option(
      names = "--relay-key",
      paramLabel = "FILE",
      description =
          "secp256k1 key file of the account that pays to relay equivocation seen on chains i > 0"
              + " to chain 0's staking (e.g. the operator's fee.key); leave out to relay nothing.")
  String relayKey;

  @Option(names = "--p2p-port", description = "P2P port (default 30303; 0 picks one).")
  String p2pPort;

  @Option(
      names = "--peer",
      paramLabel = "ID@HOST:PORT",
      description = "Static peer; repeat for several (replaces the config file's list).")
  List<String> peers;

  @Option(names = "--metrics-port", description = "Metrics port (default 9400; 0 picks one).")
  String metricsPort;

  @Option(
      names = "--rpc-port",
      description = "Ethereum JSON-RPC port of chain 0; chain i uses it + i (default 8545).")
  String rpcPort;

  @Option(names = "--json", description = "Print the node's endpoints as one JSON document.")
  boolean json;

  Map<String, String> overrides() {
    return new Overrides()
        .put("data-dir", dataDir)
        .put("genesis", genesis)
        .put("validator-key", validatorKey)
        .put("relay-key", relayKey)
        .put("p2p.port", p2pPort)
        .putList("p2p.peers", peers)
        .put("metrics.port", metricsPort)
        .put("rpc.port", rpcPort)
        .toMap();
  }

  private static List<GenesisFile.Contents> chains(Path base, ValidatorConfig cfg) {
    List<GenesisFile.Contents> out = new java.util.ArrayList<>();
    out.add(GenesisFile.read(base.resolve(cfg.genesis())));
    for (Path p : cfg.chains()) {
      out.add(GenesisFile.read(base.resolve(p)));
    }
    return out;
  }

  @Override
  public Integer call() {
    ValidatorConfig cfg =
        ConfigLoader.load(ValidatorConfig.class, Optional.ofNullable(config), overrides());
    if (cfg.genesis() == null) {
      throw new InvalidInputException("no genesis: pass --genesis FILE or set genesis in --config");
    }
    Path base = config == null ? Path.of(".") : config.toAbsolutePath().getParent();
    Path dir = base.resolve(cfg.dataDir());
    var settings =
        new ValidatorService.Settings(
            chains(base, cfg),
            dir,
            cfg.validatorKey().isEmpty()
                ? Optional.empty()
                : Optional.of(ValidatorKeyFile.load(base.resolve(cfg.validatorKey()))),
            NodeKeyFile.loadOrCreate(dir.resolve("node.key")),
            cfg.networkId(),
            cfg.p2p().host(),
            cfg.p2p().port(),
            cfg.p2p().peers().stream().map(PeerAddress::parse).toList(),
            cfg.consensus(),
            cfg.rpc().config(),
            cfg.relayKey().isEmpty()
                ? Optional.empty()
                : Optional.of(ValidatorKeyFile.loadFeeKey(base.resolve(cfg.relayKey()))));
    Metrics metrics = Metrics.withJvmCollectors();
    ValidatorService service = ValidatorService.start(settings, metrics.registry());
    MetricsServer server;
    try {
      server = MetricsServer.start(metrics, cfg.metrics().host(), cfg.metrics().port());
    } catch (RuntimeException e) {
      service.close();
      throw e;
    }
    PrintWriter out = spec.commandLine().getOut();
    String metricsUrl = "http://" + server.host() + ":" + server.port() + "/metrics";
    String role = settings.validatorKey().isPresent() ? "validator" : "full node";
    if (json) {
      JsonOutput.print(
          out,
          Map.of(
              "chainIds",
              service.chains().stream().map(c -> c.genesis().chainId()).toList(),
              "rpc",
              service.chains().stream().map(c -> c.rpcUrl().orElse("")).toList(),
              "role",
              role,
              "enode",
              service.p2p().localAddress().toString(),
              "height",
              service.node().height(),
              "metrics",
              metricsUrl));
    } else {
      for (ValidatorService.Chain c : service.chains()) {
        out.println(
            "Axivon "
                + role
                + " of chain "
                + c.genesis().chainId()
                + " at height "
                + c.node().height()
                + c.rpcUrl().map(u -> ", JSON-RPC " + u).orElse(""));
      }
      out.println("  p2p     " + service.p2p().localAddress());
      out.println("  metrics " + metricsUrl);
      out.flush();
    }
    UntilStopped.run(
        () -> {
          service.close();
          server.close();
        },
        () -> System.err.println("axivon: validator stopped"));
    return ExitCodes.OK;
  }
}
