package io.axivon.node.validator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.axivon.common.InvalidInputException;
import io.axivon.consensus.execution.genesis.Genesis;
import io.axivon.consensus.execution.mining.MiningConfig;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The genesis file's {@code mining} section (specs/pora.md section 12). */
class GenesisFileMiningTest {
  @TempDir Path dir;

  private static GenesisFile.Contents contents(Optional<GenesisFile.Flow> flow) {
    GenesisFile.Contents plain =
        GenesisFile.Contents.evm(
            "mining-genesis", 1, GenesisFileFlowTest.validators(), Genesis.devnet(12799));
    return flow.map(plain::withFlow).orElse(plain).withMining(GenesisFile.Mining.devnet());
  }

  @Test
  void miningSectionRoundTrips() throws Exception {
    Path file = dir.resolve("genesis.json");
    GenesisFile.Contents c = contents(Optional.of(GenesisFile.Flow.devnet()));
    GenesisFile.write(file, c);
    assertThat(Files.readString(file))
        .contains("\"mining\"")
        .contains("\"initialTarget\" : \"0x1" + "0".repeat(61) + "\"")
        .contains("\"targetAnswersPerEpoch\" : 4")
        .contains("\"releasePerEpochPpm\" : 10000");
    GenesisFile.Contents back = GenesisFile.read(file);
    assertThat(back).isEqualTo(c);
    assertThat(back.miningConfig()).contains(MiningConfig.devnet());
  }

  @Test
  void badMiningSectionsAreRefused() throws Exception {
    assertThatThrownBy(() -> contents(Optional.empty()))
        .hasMessageContaining("mining pays from the flow's fees: add a flow section");
    Path file = dir.resolve("genesis.json");
    GenesisFile.write(file, contents(Optional.of(GenesisFile.Flow.devnet())));
    Files.writeString(
        file,
        Files.readString(file)
            .replace("\"releasePerEpochPpm\" : 10000", "\"releasePerEpochPpm\" : 0"));
    assertThatThrownBy(() -> GenesisFile.read(file))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("releasePerEpochPpm must be in [1, 1000000]");
    assertThat(new MiningConfig(BigInteger.TWO, 1, 1).initialTarget()).isEqualTo(BigInteger.TWO);
  }
}
