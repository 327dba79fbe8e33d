package io.axivon.node.validator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.axivon.common.InvalidInputException;
import io.axivon.common.crypto.bls.BlsSecretKey;
import io.axivon.consensus.execution.flow.FlowConfig;
import io.axivon.consensus.execution.genesis.Genesis;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.apache.tuweni.bytes.Bytes;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The genesis file's {@code flow} section. */
class GenesisFileFlowTest {
  @TempDir Path dir;

  static List<GenesisFile.GenesisValidator> validators() {
    return List.of(
        new GenesisFile.GenesisValidator(
            BlsSecretKey.keyGen(Bytes.wrap(new byte[32])).publicKey(), 10, Optional.empty()));
  }

  @Test
  void flowSectionRoundTrips() throws Exception {
    Path file = dir.resolve("genesis.json");
    GenesisFile.Contents c =
        GenesisFile.Contents.evm("flow-genesis", 1, validators(), Genesis.devnet(12799))
            .withFlow(new GenesisFile.Flow(BigInteger.valueOf(7), 30));
    GenesisFile.write(file, c);
    assertThat(Files.readString(file))
        .contains("\"flow\"")
        .contains("\"pricePerSectorWei\" : \"7\"")
        .contains("\"epochBlocks\" : 30");
    GenesisFile.Contents back = GenesisFile.read(file);
    assertThat(back).isEqualTo(c);
    assertThat(back.flowConfig()).contains(new FlowConfig(BigInteger.valueOf(7), 30));
    assertThat(GenesisFile.Flow.devnet().config()).isEqualTo(FlowConfig.devnet());
  }

  @Test
  void badFlowSectionsAreRefused() throws Exception {
    Path file = dir.resolve("genesis.json");
    GenesisFile.write(
        file,
        GenesisFile.Contents.evm("flow-genesis", 1, validators(), Genesis.devnet(12799))
            .withFlow(GenesisFile.Flow.devnet()));
    Files.writeString(
        file, Files.readString(file).replace("\"epochBlocks\" : 20", "\"epochBlocks\" : 0"));
    assertThatThrownBy(() -> GenesisFile.read(file))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("epochBlocks must be >= 1");
    assertThatThrownBy(
            () ->
                GenesisFile.Contents.appHash(
                        "x", 1, validators(), org.apache.tuweni.bytes.Bytes32.ZERO)
                    .withFlow(GenesisFile.Flow.devnet()))
        .hasMessageContaining("the flow runs on the EVM");
  }
}
