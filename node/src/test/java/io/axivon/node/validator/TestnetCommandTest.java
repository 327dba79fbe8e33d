package io.axivon.node.validator;

import static org.assertj.core.api.Assertions.assertThat;

import io.axivon.common.config.ConfigLoader;
import io.axivon.node.cli.CliResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TestnetCommandTest {
  @TempDir Path dir;

  @Test
  void initWritesGenesisKeysAndConfigsThatLoad() {
    Path out = dir.resolve("net");
    CliResult r =
        CliResult.run("testnet", "init", "--validators", "3", "--out", out.toString(), "--json");
    assertThat(r.exitCode()).as(r.err()).isZero();
    assertThat(r.out()).contains("\"chainId\"").contains("config.yaml");
    GenesisFile.Contents contents = GenesisFile.read(out.resolve("genesis.json"));
    var g = contents.validatorSet();
    assertThat(g.size()).isEqualTo(3);
    assertThat(contents.evm()).isPresent();
    assertThat(contents.evm().get().chainId()).isEqualTo(12799);
    assertThat(contents.feeAddresses()).hasSize(3);
    assertThat(contents.stakingConfig().orElseThrow().genesisValidatorSet()).isEqualTo(g);
    // chain 0 runs the storage flow with the devnet parameters
    assertThat(contents.flowConfig())
        .contains(io.axivon.consensus.execution.flow.FlowConfig.devnet());
    // ... and the compute market's serving ledger, its EIP-712 domain on the EVM chain id
    assertThat(contents.servingConfig())
        .contains(io.axivon.consensus.execution.serving.ServingConfig.devnet(12799));
    // ... and the DA registry, so the deploy guide's DA nodes and disperser have a module to use
    assertThat(contents.daConfig()).contains(io.axivon.consensus.execution.da.DaConfig.devnet());
    for (int i = 0; i < 3; i++) {
      Path home = out.resolve("node-" + i);
      var key = ValidatorKeyFile.load(home.resolve("validator.key"));
      assertThat(g.indexOf(key.publicKey())).isNotNegative();
      assertThat(contents.feeAddresses().get(key.publicKey()))
          .isEqualTo(ValidatorKeyFile.loadFeeKey(home.resolve("fee.key")).address());
      ValidatorConfig cfg =
          ConfigLoader.load(
              ValidatorConfig.class, Optional.of(home.resolve("config.yaml")), Map.of());
      assertThat(cfg.p2p().port()).isEqualTo(26656 + i);
      assertThat(cfg.p2p().peers()).hasSize(2);
      assertThat(home.resolve(cfg.genesis()).normalize())
          .isEqualTo(out.resolve("genesis.json").normalize());
    }
  }

  @Test
  void initWithTwoChainsListsTheSecondGenesisInEveryConfig() {
    Path out = dir.resolve("net2");
    CliResult r =
        CliResult.run(
            "testnet", "init", "--validators", "2", "--chains", "2", "--out", out.toString());
    assertThat(r.exitCode()).as(r.err()).isZero();
    GenesisFile.Contents second = GenesisFile.read(out.resolve("genesis-1.json"));
    assertThat(second.chainId()).isEqualTo("axivon-testnet-1");
    assertThat(second.evm().orElseThrow().chainId()).isEqualTo(12800);
    ValidatorConfig cfg =
        ConfigLoader.load(
            ValidatorConfig.class,
            Optional.of(out.resolve("node-1").resolve("config.yaml")),
            Map.of());
    assertThat(cfg.chains()).containsExactly(Path.of("../genesis-1.json"));
  }

  @Test
  void refusesANonEmptyDirAndBadCounts() throws Exception {
    Files.writeString(dir.resolve("something"), "x");
    CliResult r = CliResult.run("testnet", "init", "--out", dir.toString());
    assertThat(r.exitCode()).isEqualTo(2);
    assertThat(r.err()).contains("is not empty");

    CliResult zero =
        CliResult.run("testnet", "init", "--validators", "0", "--out", dir.resolve("x").toString());
    assertThat(zero.exitCode()).isEqualTo(2);
    assertThat(zero.err()).contains("--validators must be 1..100");
    assertThat(dir.resolve("x")).doesNotExist();
  }

  @Test
  void validatorWithoutGenesisOrWithABadKeyIsAnInputError() throws Exception {
    CliResult noGenesis = CliResult.run("validator", "--data-dir", dir.resolve("d").toString());
    assertThat(noGenesis.exitCode()).isEqualTo(2);
    assertThat(noGenesis.err()).contains("genesis");

    Path out = dir.resolve("net");
    assertThat(
            CliResult.run("testnet", "init", "--validators", "1", "--out", out.toString())
                .exitCode())
        .isZero();
    Files.writeString(out.resolve("node-0").resolve("bad.key"), "not hex");
    CliResult badKey =
        CliResult.run(
            "validator",
            "--config",
            out.resolve("node-0").resolve("config.yaml").toString(),
            "--validator-key",
            "bad.key");
    assertThat(badKey.exitCode()).isEqualTo(2);
    assertThat(badKey.err()).contains("validator key").contains("64 hex digits");
  }
}
