package io.axivon.node.cli;

import picocli.CommandLine;

/** Where every subcommand of {@code axivon} is listed, in the order --help shows them. */
final class Commands {
  private Commands() {}

  static void register(CommandLine cli) {
    // Subcommands are added here as the layers land.
  }
}
