package io.axivon.node.devnet;

import static io.axivon.node.devnet.DevnetFixture.FAST;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.axivon.common.InvalidInputException;
import io.axivon.node.validator.GenesisFile;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code axivon devnet --fresh}: new chains in the same data dir, and never someone else's files.
 */
class DevnetFreshIT {
  @TempDir Path dir;

  private Devnet.Options options(Path data) {
    return Devnet.Options.onFreePorts(data, 1, 1, FAST);
  }

  @Test
  void freshStartsNewChainsWhereADevnetWas() throws Exception {
    Path data = dir.resolve("devnet");
    long first;
    try (Devnet d = Devnet.start(options(data))) {
      first = GenesisFile.read(data.resolve("genesis.json")).genesisTimeMillis();
    }
    Path stray = data.resolve("storage-0").resolve("left-over");
    Files.writeString(stray, "x");
    try (Devnet d = Devnet.start(options(data), true)) {
      assertThat(GenesisFile.read(data.resolve("genesis.json")).genesisTimeMillis())
          .isNotEqualTo(first);
      assertThat(stray).doesNotExist();
    }
    // without --fresh, the same chains again
    long second = GenesisFile.read(data.resolve("genesis.json")).genesisTimeMillis();
    try (Devnet d = Devnet.start(options(data))) {
      assertThat(GenesisFile.read(data.resolve("genesis.json")).genesisTimeMillis())
          .isEqualTo(second);
    }
  }

  @Test
  void freshRefusesADirectoryThatHoldsNoDevnet() throws Exception {
    Path data = dir.resolve("mine");
    Files.createDirectories(data);
    Path precious = data.resolve("thesis.tex");
    Files.writeString(precious, "years of work");
    assertThatThrownBy(() -> Devnet.start(options(data), true))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("holds files but no devnet");
    assertThat(precious).hasContent("years of work");
  }
}
