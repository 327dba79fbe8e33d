package io.axivon.node.da;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.axivon.common.InvalidInputException;
import io.axivon.node.cli.CliResult;
import io.axivon.node.cli.ExitCodes;
import io.axivon.node.testing.RefusingPort;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.tuweni.bytes.Bytes32;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code axivon da …} on bad input and without an API: one clear line and a non-zero exit. */
class DaCommandTest {
  @TempDir Path dir;
  private RefusingPort deadApi;

  @BeforeEach
  void openPort() throws IOException {
    deadApi = new RefusingPort();
  }

  @AfterEach
  void closePort() throws IOException {
    deadApi.close();
  }

  @Test
  void everyCommandHasHelp() {
    for (String[] cmd :
        new String[][] {
          {"da", "--help"},
          {"da", "put", "--help"},
          {"da", "get", "--help"},
          {"da", "status", "--help"},
          {"da", "sample", "--help"},
          {"da-node", "--help"},
          {"disperser", "--help"}
        }) {
      CliResult r = CliResult.run(cmd);
      assertThat(r.exitCode()).as(String.join(" ", cmd)).isZero();
      assertThat(r.out()).contains("Usage:");
    }
  }

  @Test
  void aMissingFileIsNamed() throws IOException {
    CliResult r =
        CliResult.run("da", "put", dir.resolve("nope.bin").toString(), "--api", deadApi.url());
    assertThat(r.exitCode()).isEqualTo(ExitCodes.USAGE);
    assertThat(r.err()).contains("no such file").contains("nope.bin");
  }

  @Test
  void badKeysAreRefusedBeforeAnyRequest() throws IOException {
    String api = deadApi.url();
    for (String key : new String[] {"0x12zz", "1234", "0x123", "0x" + "ab".repeat(31)}) {
      CliResult r = CliResult.run("da", "status", key, "--api", api);
      assertThat(r.exitCode()).as(key).isEqualTo(ExitCodes.USAGE);
      assertThat(r.err()).as(key).contains("blob key");
    }
    CliResult get = CliResult.run("da", "get", "0xnothex", "--out", "x", "--api", api);
    assertThat(get.exitCode()).isEqualTo(ExitCodes.USAGE);
  }

  @Test
  void anApiThatIsDownIsSaidSo() throws IOException {
    Path file = dir.resolve("blob.bin");
    Files.write(file, new byte[] {1, 2, 3});
    String api = deadApi.url();
    CliResult put = CliResult.run("da", "put", file.toString(), "--api", api);
    assertThat(put.exitCode()).isEqualTo(ExitCodes.FAILURE);
    assertThat(put.err()).contains("cannot reach the DA blob API at " + api);
    CliResult status = CliResult.run("da", "status", "0x" + "00".repeat(32), "--api", api);
    assertThat(status.exitCode()).isEqualTo(ExitCodes.FAILURE);
    assertThat(status.err()).contains("cannot reach");
  }

  @Test
  void aBadApiUrlIsRefused() {
    CliResult r = CliResult.run("da", "status", "0x" + "00".repeat(32), "--api", "ftp://x");
    assertThat(r.exitCode()).isEqualTo(ExitCodes.USAGE);
    assertThat(r.err()).contains("--api");
  }

  @Test
  void keysAndCommitmentsNameTheSameBlob() {
    Bytes32 key = Bytes32.fromHexString("0x" + "5a".repeat(32));
    assertThat(DaApiClient.parseKey(key.toHexString())).isEqualTo(key);
    assertThat(DaApiClient.parseKey(DaCommand.commitment(key))).isEqualTo(key);
    assertThat(DaApiClient.parseKey("0x00" + "5a".repeat(32))).isEqualTo(key);
    assertThatThrownBy(() -> DaApiClient.parseKey("0x0142" + "5a".repeat(32)))
        .isInstanceOf(InvalidInputException.class);
  }

  @Test
  void standaloneProcessesRefuseToStartWithoutTheirKey() {
    CliResult node =
        CliResult.run("da-node", "--data-dir", dir.resolve("n").toString(), "--port", "0");
    assertThat(node.exitCode()).isEqualTo(ExitCodes.USAGE);
    assertThat(node.err()).contains("operator-key");
    CliResult disperser =
        CliResult.run("disperser", "--data-dir", dir.resolve("d").toString(), "--api-port", "0");
    assertThat(disperser.exitCode()).isEqualTo(ExitCodes.USAGE);
    assertThat(disperser.err()).contains("key");
  }
}
