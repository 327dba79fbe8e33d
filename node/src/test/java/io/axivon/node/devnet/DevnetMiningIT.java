package io.axivon.node.devnet;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.axivon.consensus.execution.genesis.Genesis;
import io.axivon.node.cli.CliResult;
import io.axivon.node.storage.MinerKeyFile;
import io.axivon.storage.mining.MiningService;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * PoRA mining end to end on a devnet in this JVM: a file is uploaded, storage node 0 seals it,
 * finds answers at the devnet's easy target, and the mining module on chain 0 accepts and pays
 * them.
 */
class DevnetMiningIT {
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path dir;

  @Test
  void anUploadedFileIsSealedMinedAndPaid() throws Exception {
    try (DevnetFixture devnet = DevnetFixture.start(dir)) {
      DevnetManifest m = devnet.manifest();
      assertThat(m.chains().get(0).contracts())
          .containsEntry("mining", "0x0000000000000000000000000000000000001003");
      Path keyFile = Devnet.minerKeyFile(devnet.dataDir(), 0);
      var miner = MinerKeyFile.load(keyFile).address();
      assertThat(Genesis.devAccounts()).doesNotContain(miner);
      MiningService service = devnet.devnet().miner().orElseThrow();

      String chainRpc = devnet.chainRpc();
      byte[] data = new byte[300_000];
      new Random(3).nextBytes(data);
      Path file = dir.resolve("mined.bin");
      Files.write(file, data);
      CliResult up =
          CliResult.run(
              "storage",
              "upload",
              file.toString(),
              "--chain-rpc",
              chainRpc,
              "--node",
              devnet.storageRpc(0),
              "--dev-account",
              "0",
              "--json");
      assertThat(up.exitCode()).as(up.err()).isZero();

      // sealing, a new epoch's context over the file, an answer, and a reward released to it
      long deadline = System.nanoTime() + 240_000_000_000L;
      MiningService.Status st = service.status();
      while (st.rewardsWei().signum() == 0 && System.nanoTime() < deadline) {
        Thread.sleep(200); // polling a condition, with a deadline
        st = service.status();
      }
      assertThat(st.rewardsWei().signum()).as(st.toString()).isPositive();
      assertThat(st.answersAccepted()).isPositive();
      assertThat(st.sealedUnits()).isPositive();
      assertThat(st.hashes()).isPositive();

      CliResult status =
          CliResult.run(
              "storage",
              "mining",
              "status",
              "--chain-rpc",
              chainRpc,
              "--miner-key",
              keyFile.toString(),
              "--json");
      assertThat(status.exitCode()).as(status.err()).isZero();
      JsonNode s = JSON.readTree(status.out());
      assertThat(s.at("/miner/account").asText()).isEqualToIgnoringCase(miner.toString());
      assertThat(s.at("/miner/answersAccepted").asLong()).isPositive();
      assertThat(new java.math.BigInteger(s.at("/miner/rewardsWei").asText())).isPositive();
      assertThat(new java.math.BigInteger(s.path("paidWei").asText())).isPositive();
      assertThat(s.at("/context/flowLength").asLong()).isPositive();
    }
  }
}
