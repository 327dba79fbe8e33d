package io.axivon.node.validator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.axivon.common.InvalidInputException;
import io.axivon.common.config.ConfigLoader;
import io.axivon.consensus.rpc.RpcConfig;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ValidatorConfigTest {
  @TempDir Path dir;

  private ValidatorConfig load(String yaml) throws Exception {
    Path file = dir.resolve("config.yaml");
    Files.writeString(file, "genesis: genesis.json\n" + yaml);
    return ConfigLoader.load(ValidatorConfig.class, Optional.of(file), Map.of());
  }

  @Test
  void theJsonRpcLimitsAreConfigurable() throws Exception {
    ValidatorConfig cfg =
        load(
            """
            rpc:
              port: 9545
              max-request-bytes: 65536
              max-batch-size: 10
              max-logs-block-range: 500
              max-logs-results: 200
              gas-cap: 1000000
              suggested-tip-wei: 2000000000
              cors-origin: https://wallet.example
              io-threads: 2
            """);
    RpcConfig rpc = cfg.rpc().config().orElseThrow();
    assertThat(rpc)
        .isEqualTo(
            new RpcConfig(
                "127.0.0.1",
                9545,
                65536,
                10,
                500,
                200,
                1_000_000,
                BigInteger.valueOf(2_000_000_000L),
                "https://wallet.example",
                2));
  }

  @Test
  void unsetLimitsAreTheServersDefaults() throws Exception {
    assertThat(load("").rpc().config()).contains(RpcConfig.defaults());
    assertThat(load("rpc: {enabled: false}").rpc().config()).isEmpty();
  }

  @Test
  void aLimitOutOfRangeNamesItsKey() {
    assertThatThrownBy(() -> load("rpc: {max-batch-size: 0}\n"))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("max-batch-size must be >= 1, got 0");
    assertThatThrownBy(() -> load("rpc: {gas-cap: 100}\n"))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("gas-cap must be >= 21000");
    assertThatThrownBy(() -> load("rpc: {suggested-tip-wei: -1}\n"))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("suggested-tip-wei");
  }
}
