package io.axivon.node.validator;

import io.axivon.common.InvalidInputException;
import io.axivon.common.config.ConfigLoader;
import io.axivon.common.crypto.bls.BlsSecretKey;
import io.axivon.consensus.execution.genesis.Genesis;
import io.axivon.node.cli.ExitCodes;
import io.axivon.node.cli.JsonOutput;
import io.axivon.node.p2pnode.NodeConfig;
import io.axivon.node.p2pnode.NodeKeyFile;
import io.axivon.p2p.NodeKey;
import io.axivon.p2p.PeerAddress;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(
    name = "testnet",
    mixinStandardHelpOptions = true,
    description = "Set up a multi-process testnet on this machine.",
    subcommands = {TestnetCommand.Init.class})
public final class TestnetCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    spec.commandLine().usage(spec.commandLine().getOut());
    return ExitCodes.OK;
  }

  @Command(
      name = "init",
      mixinStandardHelpOptions = true,
      description =
          "Write keys, one genesis (an EVM chain funding the ten development accounts) and one config per validator for a testnet on loopback ports; then run `axivon validator --config DIR/node-i/config.yaml` for each i.")
  public static final class Init implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Option(
        names = "--validators",
        defaultValue = "4",
        description = "How many validators (1-100; default 4).")
    int validators;

    @Option(
        names = "--out",
        required = true,
        paramLabel = "DIR",
        description = "Where to write; must not exist or be empty.")
    Path out;

    @Option(
        names = "--chain-id",
        defaultValue = "axivon-testnet",
        description = "Chain id (default axivon-testnet).")
    String chainId;

    @Option(
        names = "--network-id",
        defaultValue = "12799",
        description = "P2P network id and EVM chain id (default 12799).")
    long networkId;

    @Option(
        names = "--p2p-port",
        defaultValue = "26656",
        description = "Validator i listens on this port + i (default 26656).")
    int p2pPort;

    @Option(
        names = "--metrics-port",
        defaultValue = "9410",
        description = "Validator i serves /metrics on this port + i (default 9410).")
    int metricsPort;

    @Option(
        names = "--rpc-port",
        defaultValue = "8545",
        description =
            "Validator i serves chain c's JSON-RPC on this port + i * chains + c (default 8545).")
    int rpcPort;

    @Option(
        names = "--chains",
        defaultValue = "1",
        description =
            "Chains every validator runs (1-16; default 1): chain i has id CHAIN-ID-i and EVM chain id network id + i, chain 0 is CHAIN-ID.")
    int chains;

    @Option(names = "--json", description = "Print what was written as one JSON document.")
    boolean json;

    @Override
    public Integer call() {
      if (chains < 1 || chains > 16) {
        throw new InvalidInputException("--chains must be 1..16, got " + chains);
      }
      if (validators < 1 || validators > 100) {
        throw new InvalidInputException("--validators must be 1..100, got " + validators);
      }
      if (p2pPort < 1
          || p2pPort + validators > 65535
          || metricsPort < 1
          || metricsPort + validators > 65535) {
        throw new InvalidInputException(
            "--p2p-port and --metrics-port must leave room for " + validators + " ports");
      }
      requireEmpty(out);
      SecureRandom random = new SecureRandom();
      List<GenesisFile.GenesisValidator> set = new ArrayList<>();
      List<PeerAddress> addresses = new ArrayList<>();
      for (int i = 0; i < validators; i++) {
        Path dir = out.resolve("node-" + i);
        BlsSecretKey key = ValidatorKeyFile.create(dir.resolve("validator.key"), random);
        var fee = ValidatorKeyFile.createFeeKey(dir.resolve("fee.key"), random);
        NodeKey nodeKey = NodeKeyFile.loadOrCreate(dir.resolve("data").resolve("node.key"));
        set.add(new GenesisFile.GenesisValidator(key.publicKey(), 100, Optional.of(fee.address())));
        addresses.add(PeerAddress.of(nodeKey.id(), "127.0.0.1", p2pPort + i));
      }
      GenesisFile.Contents genesis =
          GenesisFile.Contents.evm(
                  chainId,
                  System.currentTimeMillis(),
                  set,
                  // the operators' accounts pay to relay evidence from the other chains
                  Genesis.devnet(networkId)
                      .funding(
                          set.stream().flatMap(v -> v.feeAddress().stream()).toList(),
                          Genesis.AXN.multiply(java.math.BigInteger.valueOf(100))))
              .withStaking(GenesisFile.Staking.devnet())
              .withFlow(GenesisFile.Flow.devnet())
              .withMining(GenesisFile.Mining.devnet())
              .withServing(GenesisFile.Serving.devnet())
              .withDa(GenesisFile.Da.devnet());
      GenesisFile.write(out.resolve("genesis.json"), genesis);
      List<Path> extra = new ArrayList<>();
      for (int c = 1; c < chains; c++) {
        Path file = out.resolve("genesis-" + c + ".json");
        GenesisFile.write(
            file,
            GenesisFile.Contents.evm(
                chainId + "-" + c,
                genesis.genesisTimeMillis(),
                set,
                Genesis.devnet(networkId + c)));
        extra.add(Path.of("..").resolve(file.getFileName()));
      }
      List<String> configs = new ArrayList<>();
      for (int i = 0; i < validators; i++) {
        List<String> peers = new ArrayList<>();
        for (int j = 0; j < validators; j++) {
          if (j != i) {
            peers.add(addresses.get(j).toString());
          }
        }
        ValidatorConfig cfg =
            new ValidatorConfig(
                Path.of("data"),
                Path.of("../genesis.json"),
                extra,
                "validator.key",
                "fee.key",
                networkId,
                new NodeConfig.P2p("127.0.0.1", p2pPort + i, peers),
                new NodeConfig.MetricsEndpoint("127.0.0.1", metricsPort + i),
                ValidatorConfig.Rpc.onPort(rpcPort + i * chains),
                ValidatorConfig.Consensus.defaults());
        Path file = out.resolve("node-" + i).resolve("config.yaml");
        write(file, ConfigLoader.toYaml(cfg));
        configs.add(file.toString());
      }
      PrintWriter w = spec.commandLine().getOut();
      if (json) {
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("chainId", chainId);
        doc.put("genesis", out.resolve("genesis.json").toString());
        doc.put("configs", configs);
        JsonOutput.print(w, doc);
      } else {
        w.println("Testnet of " + validators + " validators for chain " + chainId + " in " + out);
        for (String c : configs) {
          w.println("  axivon validator --config " + c);
        }
        w.flush();
      }
      return ExitCodes.OK;
    }

    private static void requireEmpty(Path dir) {
      if (Files.exists(dir)) {
        try (Stream<Path> entries = Files.list(dir)) {
          if (entries.findAny().isPresent()) {
            throw new InvalidInputException(dir + " is not empty: pick a new --out DIR");
          }
        } catch (IOException e) {
          throw new InvalidInputException("cannot use " + dir + ": " + e.getMessage());
        }
      }
    }

    private static void write(Path file, String text) {
      try {
        Files.createDirectories(file.getParent());
        Files.writeString(file, text);
      } catch (IOException e) {
        throw new InvalidInputException("cannot write " + file + ": " + e.getMessage());
      }
    }
  }
}
