package io.axivon.node.cli;

import io.axivon.common.InvalidInputException;
import java.io.PrintWriter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code axivon}: the one CLI of every Axivon service. */
@Command(
    name = "axivon",
    mixinStandardHelpOptions = true,
    versionProvider = VersionProvider.class,
    description = "Axivon: BFT chain cluster, data availability, storage log, KV and compute.",
    subcommands = {CommandLine.HelpCommand.class},
    footer = {
      "",
      "Exit codes: 0 success, 1 the operation failed, 2 bad usage or bad input.",
      "Run 'axivon COMMAND --help' for a command's options."
    })
public final class Main implements Runnable {
  private static final Logger LOG = LoggerFactory.getLogger(Main.class);

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    // `axivon` alone prints the usage, like `git`.
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  public static void main(String[] args) {
    System.exit(run(args, new PrintWriter(System.out, true), new PrintWriter(System.err, true)));
  }

  /** Runs the CLI with the given streams and returns the exit code; what tests call. */
  public static int run(String[] args, PrintWriter out, PrintWriter err) {
    CommandLine cli = commandLine();
    cli.setOut(out);
    cli.setErr(err);
    return cli.execute(args);
  }

  static CommandLine commandLine() {
    CommandLine cli = new CommandLine(new Main());
    Commands.register(cli);
    shareVersion(cli, new VersionProvider());
    cli.setExecutionExceptionHandler(Main::handleFailure);
    cli.setParameterExceptionHandler(Main::handleUsageError);
    return cli;
  }

  /** Every subcommand answers --version like the root command. */
  private static void shareVersion(CommandLine cli, CommandLine.IVersionProvider version) {
    cli.getCommandSpec().versionProvider(version);
    cli.getSubcommands().values().forEach(sub -> shareVersion(sub, version));
  }

  /** Bad usage: one line saying what is wrong and where to look, exit code 2. */
  private static int handleUsageError(CommandLine.ParameterException e, String[] args) {
    CommandLine cli = e.getCommandLine();
    cli.getErr().println("axivon: " + e.getMessage());
    cli.getErr().println("Run '" + cli.getCommandSpec().qualifiedName() + " --help' for usage.");
    return ExitCodes.USAGE;
  }

  /** A failure while running: one line on stderr, the stack trace only in the debug log. */
  private static int handleFailure(
      Exception e, CommandLine cli, CommandLine.ParseResult parseResult) {
    LOG.debug("command failed", e);
    if (e instanceof InvalidInputException) {
      cli.getErr().println("axivon: " + e.getMessage());
      return ExitCodes.USAGE;
    }
    String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    cli.getErr().println("axivon: failed: " + message);
    return ExitCodes.FAILURE;
  }
}
