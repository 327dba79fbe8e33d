package io.axivon.node.compute;

import io.axivon.common.InvalidInputException;
import io.axivon.common.config.ConfigLoader;
import io.axivon.common.config.Overrides;
import io.axivon.common.metrics.Metrics;
import io.axivon.common.metrics.MetricsServer;
import io.axivon.node.cli.ExitCodes;
import io.axivon.node.cli.JsonOutput;
import io.axivon.node.cli.UntilStopped;
import io.axivon.node.validator.ValidatorKeyFile;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(
    name = "compute-gateway",
    mixinStandardHelpOptions = true,
    description =
        "Run a compute-market provider gateway until Ctrl-C or SIGTERM: verifies each user-signed request, checks the user's prepaid sub-account on chain 0, forwards it to the upstream service (or the built-in demo), signs the response for signed-response services, and settles accepted requests on chain in batches; registers the service on start when configured; Prometheus /metrics. Settings come from --config FILE, then flags, which win (keys in specs/cli.md).")
public final class ComputeGatewayCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(names = "--config", paramLabel = "FILE", description = "Config file (YAML or JSON).")
  Path config;

  @Option(names = "--port", description = "Gateway port (default 8090; 0 picks one).")
  String port;

  @Option(
      names = "--upstream",
      paramLabel = "URL",
      description =
          "The provider's service, 'demo' for the built-in demo service (default), or 'erasure' for the built-in erasure-encode service.")
  String upstream;

  @Option(
      names = "--provider-key",
      paramLabel = "FILE",
      description = "The provider's secp256k1 key file (64 hex digits, like fee.key).")
  String providerKey;

  @Option(
      names = "--chain-rpc",
      paramLabel = "URL",
      description = "Chain 0's Ethereum JSON-RPC (default http://127.0.0.1:8545/).")
  String chainRpc;

  @Option(
      names = "--journal",
      paramLabel = "FILE",
      description = "The journal of unsettled requests.")
  String journal;

  @Option(
      names = "--metrics-port",
      description = "Prometheus /metrics port (default 9440; 0 picks one).")
  String metricsPort;

  @Option(names = "--json", description = "Print the gateway's endpoints as one JSON document.")
  boolean json;

  Map<String, String> overrides() {
    return new Overrides()
        .put("port", port)
        .put("upstream", upstream)
        .put("provider-key", providerKey)
        .put("chain.rpc", chainRpc)
        .put("journal", journal)
        .put("metrics.port", metricsPort)
        .toMap();
  }

  @Override
  public Integer call() throws IOException, InterruptedException {
    ComputeGatewayConfig cfg =
        ConfigLoader.load(ComputeGatewayConfig.class, Optional.ofNullable(config), overrides());
    Path base = config == null ? Path.of(".") : config.toAbsolutePath().getParent();
    Path keyFile = base.resolve(cfg.providerKey()).normalize();
    if (!Files.isRegularFile(keyFile)) {
      throw new InvalidInputException("no such provider key file: " + keyFile);
    }
    var key = ValidatorKeyFile.loadFeeKey(keyFile);
    Path journalFile = base.resolve(cfg.journal()).toAbsolutePath().normalize();
    Metrics metrics = Metrics.withJvmCollectors();
    java.util.Optional<io.axivon.common.crypto.secp256k1.Secp256k1PrivateKey> mcpUser =
        java.util.Optional.empty();
    if (!cfg.mcpUserKey().isEmpty()) {
      Path userFile = base.resolve(cfg.mcpUserKey()).normalize();
      if (!Files.isRegularFile(userFile)) {
        throw new InvalidInputException("no such mcp user key file: " + userFile);
      }
      mcpUser = java.util.Optional.of(ValidatorKeyFile.loadFeeKey(userFile));
    }
    ComputeGateway gateway =
        ComputeGateway.start(cfg, key, mcpUser, journalFile, metrics.registry());
    MetricsServer server;
    try {
      server = MetricsServer.start(metrics, cfg.metrics().host(), cfg.metrics().port());
    } catch (RuntimeException e) {
      gateway.close();
      throw e;
    }
    PrintWriter out = spec.commandLine().getOut();
    String metricsUrl = "http://" + server.host() + ":" + server.port() + "/metrics";
    Map<String, Object> doc = new LinkedHashMap<>();
    doc.put("gateway", gateway.url().toString());
    doc.put("provider", key.address().toString());
    doc.put("service", gateway.service().name());
    doc.put("verifiability", gateway.service().verifiability().label());
    doc.put("inputPrice", gateway.service().inputPrice().toString());
    doc.put("outputPrice", gateway.service().outputPrice().toString());
    doc.put("upstream", gateway.upstream().toString());
    gateway.demoUrl().ifPresent(u -> doc.put("demo", u.toString()));
    doc.put("mcp", gateway.mcpUrl().toString());
    doc.put("chainRpc", cfg.chain().rpc());
    doc.put("chainId", gateway.evmChainId());
    doc.put("journal", journalFile.toString());
    doc.put("metrics", metricsUrl);
    if (json) {
      JsonOutput.print(out, doc);
    } else {
      out.println("Axivon compute gateway for " + key.address() + " on " + cfg.chain().rpc());
      doc.forEach((k, v) -> out.println("  " + String.format("%-13s", k) + " " + v));
      out.flush();
    }
    UntilStopped.run(
        () -> {
          server.close();
          gateway.close();
        },
        () -> System.err.println("axivon: compute gateway stopped"));
    return ExitCodes.OK;
  }
}
