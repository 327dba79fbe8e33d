package io.axivon.node.validator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.axivon.common.InvalidInputException;
import io.axivon.common.crypto.bls.BlsSecretKey;
import io.axivon.common.crypto.secp256k1.Address;
import io.axivon.consensus.execution.da.DaConfig;
import io.axivon.consensus.execution.genesis.Genesis;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.apache.tuweni.bytes.Bytes;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GenesisFileDaTest {
  @TempDir Path dir;

  static List<GenesisFile.GenesisValidator> validators() {
    return List.of(
        new GenesisFile.GenesisValidator(
            BlsSecretKey.keyGen(Bytes.wrap(new byte[32])).publicKey(),
            1000,
            Optional.of(Address.fromHex("0x00000000000000000000000000000000000000a1"))));
  }

  static GenesisFile.Contents withDa(Optional<GenesisFile.Da> da) {
    GenesisFile.Contents staked =
        GenesisFile.Contents.evm("da-genesis", 1, validators(), Genesis.devnet(12799))
            .withStaking(GenesisFile.Staking.devnet());
    return da.map(staked::withDa).orElse(staked);
  }

  @Test
  void daSectionRoundTrips() throws Exception {
    Path file = dir.resolve("genesis.json");
    GenesisFile.Da da =
        new GenesisFile.Da(3, 2, BigInteger.valueOf(5), BigInteger.valueOf(1000), 50, 2500);
    GenesisFile.Contents c = withDa(Optional.of(da));
    GenesisFile.write(file, c);
    assertThat(Files.readString(file))
        .contains("\"da\"")
        .contains("\"feePerByteWei\" : \"5\"")
        .contains("\"minDisperserBondWei\" : \"1000\"");
    GenesisFile.Contents back = GenesisFile.read(file);
    assertThat(back).isEqualTo(c);
    assertThat(back.daConfig())
        .contains(new DaConfig(3, 2, BigInteger.valueOf(5), BigInteger.valueOf(1000), 50, 2500));
    assertThat(GenesisFile.Da.devnet().config()).isEqualTo(DaConfig.devnet());
    // without the section, no module
    GenesisFile.write(file, withDa(Optional.empty()));
    assertThat(GenesisFile.read(file).daConfig()).isEmpty();
  }

  @Test
  void badDaSectionsAreRefused() throws Exception {
    Path file = dir.resolve("genesis.json");
    GenesisFile.write(file, withDa(Optional.of(GenesisFile.Da.devnet())));
    Files.writeString(
        file, Files.readString(file).replace("\"quorumSize\" : 4", "\"quorumSize\" : 0"));
    assertThatThrownBy(() -> GenesisFile.read(file))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("quorum size must be in [1, 1024], got 0");
    assertThatThrownBy(
            () ->
                GenesisFile.Contents.evm("x", 1, validators(), Genesis.devnet(12799))
                    .withDa(GenesisFile.Da.devnet()))
        .hasMessageContaining("the DA module weighs operators by stake");
  }
}
