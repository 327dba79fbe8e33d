package io.axivon.node.da;

import io.axivon.common.InvalidInputException;
import io.axivon.common.config.ConfigLoader;
import io.axivon.common.config.Overrides;
import io.axivon.common.crypto.bls.BlsSecretKey;
import io.axivon.common.crypto.secp256k1.Secp256k1PrivateKey;
import io.axivon.common.metrics.Metrics;
import io.axivon.common.metrics.MetricsServer;
import io.axivon.da.chain.ChainDaView;
import io.axivon.da.erasure.ReedSolomon;
import io.axivon.node.cli.ExitCodes;
import io.axivon.node.cli.JsonOutput;
import io.axivon.node.cli.UntilStopped;
import io.axivon.node.validator.ValidatorKeyFile;
import io.axivon.sdk.da.DaClient;
import io.axivon.sdk.eth.EthClient;
import io.axivon.sdk.rpc.JsonRpcClient;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(
    name = "da-node",
    mixinStandardHelpOptions = true,
    description =
        "Run a DA node until Ctrl-C or SIGTERM (specs/da.md §9): it takes its rows and columns of each blob from the disperser over P2P, checks them against the roots, BLS-signs, and serves lines and samples. At start it registers its operator on chain 0's DA module (or updates its address). Settings come from --config FILE, then flags, which win (keys in specs/cli.md).")
public final class DaNodeCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(names = "--config", paramLabel = "FILE", description = "Config file (YAML or JSON).")
  Path config;

  @Option(
      names = "--data-dir",
      paramLabel = "DIR",
      description = "Keys and store (default ./da-node-data).")
  String dataDir;

  @Option(
      names = "--host",
      description = "P2P address to bind, and to register unless --advertise (default 127.0.0.1).")
  String host;

  @Option(
      names = "--advertise",
      paramLabel = "HOST[:PORT]",
      description =
          "The address to register for the disperser to dial, when it is not the bound one (a"
              + " public name, NAT); the port defaults to the bound one. Required with --host 0.0.0.0.")
  String advertise;

  @Option(names = "--port", description = "P2P port (default 30503; 0 picks one).")
  String port;

  @Option(
      names = "--chain-rpc",
      paramLabel = "URL",
      description = "Chain 0's Ethereum JSON-RPC (default http://127.0.0.1:8545/).")
  String chainRpc;

  @Option(names = "--module", paramLabel = "ADDR", description = "The DA module (default 0x…1004).")
  String module;

  @Option(
      names = "--operator-key",
      paramLabel = "FILE",
      description = "The operator account's secp256k1 key file (a staking validator's operator).")
  String operatorKey;

  @Option(
      names = "--register",
      negatable = true,
      description = "Register or update the operator on chain 0 at start (default true).")
  Boolean register;

  @Option(
      names = "--metrics-port",
      description = "Prometheus /metrics port (default 9460; 0 picks one).")
  String metricsPort;

  @Option(names = "--json", description = "Print the node's endpoints as one JSON document.")
  boolean json;

  Map<String, String> overrides() {
    return new Overrides()
        .put("data-dir", dataDir)
        .put("host", host)
        .put("port", port)
        .put("advertise", advertise)
        .put("chain-rpc", chainRpc)
        .put("module", module)
        .put("operator-key", operatorKey)
        .put("register", register)
        .put("metrics.port", metricsPort)
        .toMap();
  }

  @Override
  public Integer call() throws InterruptedException {
    DaNodeConfig cfg =
        ConfigLoader.load(DaNodeConfig.class, Optional.ofNullable(config), overrides());
    Path base = config == null ? Path.of(".") : config.toAbsolutePath().getParent();
    Path dir = base.resolve(cfg.dataDir()).toAbsolutePath().normalize();
    if (cfg.operatorKey().isBlank()) {
      throw new InvalidInputException(
          "operator-key: give the operator account's key file (--operator-key FILE)");
    }
    Secp256k1PrivateKey operator =
        ValidatorKeyFile.loadFeeKey(base.resolve(cfg.operatorKey()).normalize());
    Path blsFile = dir.resolve("bls.key");
    BlsSecretKey bls =
        Files.exists(blsFile)
            ? ValidatorKeyFile.load(blsFile)
            : ValidatorKeyFile.create(blsFile, new SecureRandom());
    DaClient client =
        new DaClient(
            new EthClient(new JsonRpcClient(cfg.chainRpcUrl(), Duration.ofSeconds(10))),
            cfg.moduleAddress(),
            Duration.ofSeconds(60));
    Metrics metrics = Metrics.withJvmCollectors();
    ReedSolomon coder = ReedSolomon.create(1);
    DaNodeService node =
        DaNodeService.start(
            new DaNodeService.Config(
                dir,
                cfg.host(),
                cfg.port(),
                io.axivon.node.devnet.Devnet.NETWORK_ID,
                operator.address().bytes(),
                cfg.retentionEpochs()),
            bls,
            new ChainDaView(client, Optional.empty()),
            coder,
            metrics.registry());
    String registered =
        cfg.registeredAddress(node.p2p().localAddress().id(), node.p2p().localAddress().address());
    MetricsServer server;
    try {
      if (cfg.register()) {
        DaNodeService.register(client, operator, bls, registered);
      }
      server = MetricsServer.start(metrics, cfg.metrics().host(), cfg.metrics().port());
    } catch (RuntimeException | InterruptedException e) {
      node.close();
      throw e;
    }
    PrintWriter out = spec.commandLine().getOut();
    String metricsUrl = "http://" + server.host() + ":" + server.port() + "/metrics";
    if (json) {
      Map<String, Object> doc = new LinkedHashMap<>();
      doc.put("address", node.networkAddress());
      doc.put("registered", registered);
      doc.put("operator", operator.address().toString());
      doc.put("blsKey", bls.publicKey().toBytes().toHexString());
      doc.put("chainRpc", cfg.chainRpc());
      doc.put("module", cfg.moduleAddress().toString());
      doc.put("dataDir", dir.toString());
      doc.put("metrics", metricsUrl);
      JsonOutput.print(out, doc);
    } else {
      out.println("Axivon DA node for operator " + operator.address() + " on " + cfg.chainRpc());
      out.println("  p2p      " + node.networkAddress());
      if (!registered.equals(node.networkAddress())) {
        out.println("  advertised " + registered);
      }
      out.println("  bls key  " + bls.publicKey().toBytes().toHexString());
      out.println("  data dir " + dir);
      out.println("  metrics  " + metricsUrl);
      out.flush();
    }
    UntilStopped.run(
        () -> {
          node.close();
          coder.close();
          server.close();
        },
        () -> System.err.println("axivon: DA node stopped"));
    return ExitCodes.OK;
  }
}
