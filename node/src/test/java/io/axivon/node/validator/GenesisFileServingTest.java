package io.axivon.node.validator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.axivon.common.InvalidInputException;
import io.axivon.consensus.execution.genesis.Genesis;
import io.axivon.consensus.execution.serving.ServingConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.apache.tuweni.bytes.Bytes32;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The genesis file's {@code serving} section (the compute market's ledger on chain 0). */
class GenesisFileServingTest {
  @TempDir Path dir;

  private static GenesisFile.Contents withServing(Optional<GenesisFile.Serving> serving) {
    GenesisFile.Contents plain =
        GenesisFile.Contents.evm(
            "serving-genesis", 1, GenesisFileFlowTest.validators(), Genesis.devnet(12799));
    return serving.map(plain::withServing).orElse(plain);
  }

  @Test
  void servingSectionRoundTripsWithTheEvmChainIdAsDomain() {
    Path file = dir.resolve("genesis.json");
    GenesisFile.Contents c = withServing(Optional.of(new GenesisFile.Serving(5, 64)));
    GenesisFile.write(file, c);
    GenesisFile.Contents back = GenesisFile.read(file);
    assertThat(back).isEqualTo(c);
    assertThat(back.servingConfig()).contains(new ServingConfig(12799, 5, 64));
    assertThat(GenesisFile.Serving.devnet().config(12700)).isEqualTo(ServingConfig.devnet(12700));
  }

  @Test
  void absentServingSectionMeansNoModuleAndIsNotWritten() throws Exception {
    Path file = dir.resolve("genesis.json");
    GenesisFile.write(file, withServing(Optional.empty()));
    assertThat(Files.readString(file)).doesNotContain("\"serving\"");
    assertThat(GenesisFile.read(file).servingConfig()).isEmpty();
  }

  @Test
  void badServingSectionsAreRefused() throws Exception {
    Path file = dir.resolve("genesis.json");
    GenesisFile.write(file, withServing(Optional.of(GenesisFile.Serving.devnet())));
    Files.writeString(
        file, Files.readString(file).replace("\"maxBatch\" : 256", "\"maxBatch\" : 0"));
    assertThatThrownBy(() -> GenesisFile.read(file))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("maxBatch must be in [1, 4096]");
    assertThatThrownBy(
            () ->
                GenesisFile.Contents.appHash("x", 1, GenesisFileFlowTest.validators(), Bytes32.ZERO)
                    .withServing(GenesisFile.Serving.devnet()))
        .hasMessageContaining("the serving module runs on the EVM");
  }
}
