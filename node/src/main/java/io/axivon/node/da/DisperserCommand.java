package io.axivon.node.da;

import io.axivon.common.InvalidInputException;
import io.axivon.common.config.ConfigLoader;
import io.axivon.common.config.Overrides;
import io.axivon.common.crypto.secp256k1.Secp256k1PrivateKey;
import io.axivon.common.metrics.Metrics;
import io.axivon.common.metrics.MetricsServer;
import io.axivon.da.blob.SquareEncoder;
import io.axivon.da.chain.ChainDaView;
import io.axivon.node.cli.ExitCodes;
import io.axivon.node.cli.JsonOutput;
import io.axivon.node.cli.UntilStopped;
import io.axivon.node.validator.ValidatorKeyFile;
import io.axivon.sdk.da.DaClient;
import io.axivon.sdk.eth.EthClient;
import io.axivon.sdk.rpc.JsonRpcClient;
import java.io.PrintWriter;
import java.nio.file.Path;
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
    name = "disperser",
    mixinStandardHelpOptions = true,
    description =
        "Run a DA disperser with the blob API (REST and OP Alt-DA, specs/da-api.md) until Ctrl-C or SIGTERM: it encodes each blob, sends the epoch's quorum their rows over P2P, aggregates their BLS signatures and confirms the certificate on chain 0 from its bonded account, paying the blob fee. Settings come from --config FILE, then flags, which win (keys in specs/cli.md).")
public final class DisperserCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(names = "--config", paramLabel = "FILE", description = "Config file (YAML or JSON).")
  Path config;

  @Option(
      names = "--data-dir",
      paramLabel = "DIR",
      description = "Node key and certified blobs (default ./disperser-data).")
  String dataDir;

  @Option(names = "--host", description = "Address the API and P2P bind (default 127.0.0.1).")
  String host;

  @Option(names = "--api-port", description = "Blob API port (default 3100; 0 picks one).")
  String apiPort;

  @Option(
      names = "--chain-rpc",
      paramLabel = "URL",
      description = "Chain 0's Ethereum JSON-RPC (default http://127.0.0.1:8545/).")
  String chainRpc;

  @Option(names = "--module", paramLabel = "ADDR", description = "The DA module (default 0x…1004).")
  String module;

  @Option(
      names = "--key",
      paramLabel = "FILE",
      description = "The disperser account's secp256k1 key file; it pays the blob fees.")
  String key;

  @Option(
      names = "--bond-wei",
      paramLabel = "WEI",
      description = "Bond this much at start if the account is not a bonded disperser yet.")
  String bondWei;

  @Option(
      names = "--metrics-port",
      description = "Prometheus /metrics port (default 9470; 0 picks one).")
  String metricsPort;

  @Option(names = "--json", description = "Print the endpoints as one JSON document.")
  boolean json;

  Map<String, String> overrides() {
    return new Overrides()
        .put("data-dir", dataDir)
        .put("host", host)
        .put("api-port", apiPort)
        .put("chain-rpc", chainRpc)
        .put("module", module)
        .put("key", key)
        .put("bond-wei", bondWei)
        .put("metrics.port", metricsPort)
        .toMap();
  }

  @Override
  public Integer call() throws InterruptedException {
    DisperserConfig cfg =
        ConfigLoader.load(DisperserConfig.class, Optional.ofNullable(config), overrides());
    Path base = config == null ? Path.of(".") : config.toAbsolutePath().getParent();
    Path dir = base.resolve(cfg.dataDir()).toAbsolutePath().normalize();
    if (cfg.key().isBlank()) {
      throw new InvalidInputException("key: give the disperser account's key file (--key FILE)");
    }
    Secp256k1PrivateKey account = ValidatorKeyFile.loadFeeKey(base.resolve(cfg.key()).normalize());
    DaClient client =
        new DaClient(
            new EthClient(
                new JsonRpcClient(cfg.chainRpcUrl(), Duration.ofSeconds(10)),
                // a confirmation waits for its receipt: 50 ms polls cost the certificate little
                // beyond the block it lands in
                Duration.ofMillis(50)),
            cfg.moduleAddress(),
            Duration.ofSeconds(60));
    DisperserService.ensureBonded(client, account, cfg.bond());
    Metrics metrics = Metrics.withJvmCollectors();
    SquareEncoder encoder =
        SquareEncoder.create(Math.max(1, Runtime.getRuntime().availableProcessors() / 2));
    DisperserService service;
    MetricsServer server;
    try {
      service =
          DisperserService.start(
              new DisperserService.Config(
                  dir,
                  cfg.host(),
                  cfg.p2pPort(),
                  io.axivon.node.devnet.Devnet.NETWORK_ID,
                  cfg.apiPort(),
                  Duration.ofSeconds(cfg.putTimeoutSeconds()),
                  Duration.ofSeconds(30),
                  1),
              new ChainDaView(client, Optional.of(account)),
              encoder,
              metrics.registry());
    } catch (RuntimeException e) {
      encoder.close();
      throw e;
    }
    try {
      server = MetricsServer.start(metrics, cfg.metrics().host(), cfg.metrics().port());
    } catch (RuntimeException e) {
      service.close();
      encoder.close();
      throw e;
    }
    PrintWriter out = spec.commandLine().getOut();
    String metricsUrl = "http://" + server.host() + ":" + server.port() + "/metrics";
    if (json) {
      Map<String, Object> doc = new LinkedHashMap<>();
      doc.put("api", service.url());
      doc.put("disperser", account.address().toString());
      doc.put("chainRpc", cfg.chainRpc());
      doc.put("module", cfg.moduleAddress().toString());
      doc.put("dataDir", dir.toString());
      doc.put("metrics", metricsUrl);
      JsonOutput.print(out, doc);
    } else {
      out.println("Axivon DA disperser " + account.address() + " on " + cfg.chainRpc());
      out.println("  blob API " + service.url() + "  (REST /v1/blobs, OP Alt-DA /put /get)");
      out.println("  data dir " + dir);
      out.println("  metrics  " + metricsUrl);
      out.flush();
    }
    UntilStopped.run(
        () -> {
          service.close();
          encoder.close();
          server.close();
        },
        () -> System.err.println("axivon: disperser stopped"));
    return ExitCodes.OK;
  }
}
