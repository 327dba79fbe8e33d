package io.axivon.node.export;

import static org.assertj.core.api.Assertions.assertThat;

import io.axivon.node.cli.CliResult;
import io.axivon.node.testing.RefusingPort;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code axivon export}'s answers to bad input, none of which needs a chain. */
class ExportCommandTest {
  @TempDir Path dir;

  @Test
  void helpListsTheOptionsAndFiles() {
    CliResult r = CliResult.run("export", "--help");
    assertThat(r.exitCode()).isZero();
    assertThat(r.out())
        .contains("--chain", "--from", "--to", "--out", "--rpc", "--json", "--batch-rows")
        .contains("blocks.arrow", "storage_submissions.arrow");
  }

  @Test
  void fromAfterToIsBadUsage() {
    CliResult r = CliResult.run("export", "--from", "5", "--to", "2", "--out", dir.toString());
    assertThat(r.exitCode()).isEqualTo(2);
    assertThat(r.err()).contains("--from 5 is after --to 2");
  }

  @Test
  void badNumbersAndMissingOutAreBadUsage() {
    assertThat(CliResult.run("export", "--from", "-1", "--out", dir.toString()).err())
        .contains("--from must be >= 0");
    assertThat(CliResult.run("export", "--batch-rows", "0", "--out", dir.toString()).exitCode())
        .isEqualTo(2);
    assertThat(CliResult.run("export", "--chain", "-1", "--out", dir.toString()).exitCode())
        .isEqualTo(2);
    assertThat(CliResult.run("export", "--rpc", "ftp://x/", "--out", dir.toString()).err())
        .contains("not an http(s) URL");
    CliResult noOut = CliResult.run("export");
    assertThat(noOut.exitCode()).isEqualTo(2);
    assertThat(noOut.err()).contains("--out");
  }

  @Test
  void unreachableRpcFailsWithoutLeavingFiles() throws Exception {
    Path out = dir.resolve("out");
    CliResult r;
    try (RefusingPort down = new RefusingPort()) {
      r = CliResult.run("export", "--rpc", down.url() + "/", "--out", out.toString());
    }
    assertThat(r.exitCode()).isEqualTo(1);
    assertThat(r.err()).contains("cannot connect");
    try (var files = Files.list(out)) {
      assertThat(files).isEmpty();
    }
  }

  @Test
  void outThatIsAFileFails() throws Exception {
    Path file = Files.writeString(dir.resolve("f"), "x");
    CliResult r = CliResult.run("export", "--out", file.toString());
    assertThat(r.exitCode()).isEqualTo(1);
    assertThat(r.err()).contains("is not a directory");
  }

  @Test
  void defaultRpcIsTheDevnetPortPlusTheChain() {
    assertThat(ExportCommand.defaultRpc(0)).isEqualTo("http://127.0.0.1:8545/");
    assertThat(ExportCommand.defaultRpc(2)).isEqualTo("http://127.0.0.1:8547/");
  }
}
