package io.axivon.node.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

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
  void everyCommandAndSubcommandHasHelpAndVersion() {
    List<List<String>> paths = new ArrayList<>();
    collect(Main.commandLine(), new ArrayList<>(), paths);
    assertThat(paths).hasSizeGreaterThan(3);
    for (List<String> path : paths) {
      for (String flag : new String[] {"--help", "--version"}) {
        List<String> args = new ArrayList<>(path);
        args.add(flag);
        CliResult r = CliResult.run(args.toArray(String[]::new));
        assertThat(r.exitCode()).as(String.join(" ", args)).isZero();
        assertThat(r.out()).as(String.join(" ", args)).isNotBlank();
      }
    }
  }

  private static void collect(CommandLine cli, List<String> path, List<List<String>> out) {
    out.add(List.copyOf(path));
    cli.getSubcommands()
        .forEach(
            (name, sub) -> {
              if (!name.equals("help")) {
                List<String> deeper = new ArrayList<>(path);
                deeper.add(name);
                collect(sub, deeper, out);
              }
            });
  }

  @Test
  void unknownCommandIsUsageError() {
    CliResult r = CliResult.run("frobnicate");
    assertThat(r.exitCode()).isEqualTo(ExitCodes.USAGE);
    assertThat(r.err()).contains("frobnicate");
  }
}
