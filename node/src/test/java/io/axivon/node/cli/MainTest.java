package io.axivon.node.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class MainTest {
  @Test
  void versionNamesTheProjectVersion() {
    CliResult r = CliResult.run("--version");
    assertThat(r.exitCode()).isZero();
    assertThat(r.out()).startsWith("axivon ").doesNotContain("${");
  }

  @Test
  void helpListsExitCodes() {
    CliResult r = CliResult.run("--help");
    assertThat(r.exitCode()).isZero();
    assertThat(r.out()).contains("Usage: axivon").contains("Exit codes");
  }

  @Test
  void unknownOptionIsUsageErrorInOneLineWithoutStackTrace() {
    CliResult r = CliResult.run("--frobnicate");
    assertThat(r.exitCode()).isEqualTo(ExitCodes.USAGE);
    assertThat(r.err()).contains("Unknown option: '--frobnicate'").doesNotContain("\tat ");
  }

  @Test
  void unknownCommandIsUsageError() {
    CliResult r = CliResult.run("frobnicate");
    assertThat(r.exitCode()).isEqualTo(ExitCodes.USAGE);
    assertThat(r.err()).contains("frobnicate");
  }
}
