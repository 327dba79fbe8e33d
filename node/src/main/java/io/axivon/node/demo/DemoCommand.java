package io.axivon.node.demo;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.axivon.common.InvalidInputException;
import io.axivon.node.cli.ExitCodes;
import io.axivon.node.cli.JsonOutput;
import io.axivon.node.devnet.Devnet;
import io.axivon.node.devnet.DevnetCommand;
import io.axivon.node.devnet.DevnetManifest;
import io.axivon.sdk.eth.EthClient;
import io.axivon.sdk.rpc.JsonRpcClient;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.apache.commons.io.FileUtils;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(
    name = "demo",
    mixinStandardHelpOptions = true,
    description = {
      "A scripted tour of the whole stack against a running devnet (the one whose manifest is DIR/devnet.json), or one it starts in DIR with the devnet's default ports and stops at the end.",
      "It plays each user in turn: the cluster finalizing every chain under one validator set; a dApp uploading a file to the storage log, downloading it, and writing and reading a KV key; storage node 0's miner being paid for a PoRA answer; a user funding the compute ledger, paying the provider's service through the gateway and seeing it settled, and an MCP client calling the service.",
      "Each step prints the command a user would type, its result and its time. The first failing step stops the tour with exit code 1."
    })
public final class DemoCommand implements Callable<Integer> {
  private static final Map<String, String> USERS =
      Map.of(
          "cluster", "The cluster: parallel chains, one stake",
          "rollup", "A rollup team: blobs in data availability",
          "dapp", "A dApp developer: files in the log, state in KV",
          "miner", "A storage miner: paid for keeping the data",
          "compute", "A GPU provider and its users: the compute market");

  @Spec CommandSpec spec;

  @Option(
      names = "--data-dir",
      paramLabel = "DIR",
      defaultValue = "./devnet-data",
      description = "The devnet's data dir (default: ${DEFAULT-VALUE}).")
  Path dataDir;

  @Option(
      names = "--no-start",
      description = "Fail when no devnet is running in DIR instead of starting one.")
  boolean noStart;

  @Option(
      names = "--wait",
      paramLabel = "SECONDS",
      defaultValue = "180",
      description =
          "How long a step may wait for the chains (a settlement, a mining reward) (default: ${DEFAULT-VALUE}).")
  int waitSeconds;

  @Option(names = "--json", description = "Print the steps as one JSON document at the end.")
  boolean json;

  /** What --json prints. */
  public record Report(
      boolean passed, String devnet, List<Walkthrough.Step> steps, Map<String, String> created) {}

  @Override
  public Integer call() throws IOException {
    if (waitSeconds < 1) {
      throw new InvalidInputException("--wait must be at least 1 second, got " + waitSeconds);
    }
    PrintWriter out = spec.commandLine().getOut();
    Path dir = dataDir.toAbsolutePath().normalize();
    Optional<DevnetManifest> running = runningDevnet(dir);
    Devnet started = null;
    DevnetManifest manifest;
    if (running.isPresent()) {
      manifest = running.get();
    } else if (noStart) {
      throw new IllegalStateException(
          "no devnet is running in "
              + dir
              + ": start one with 'axivon devnet --data-dir "
              + dataDir
              + "', or drop --no-start");
    } else {
      if (!json) {
        out.println("No devnet is running in " + dir + ": starting one for the demo ...");
        out.flush();
      }
      started = Devnet.start(DevnetCommand.defaults(dir));
      manifest = started.manifest();
    }
    Path work = Files.createTempDirectory("axivon-demo");
    try {
      if (!json) {
        out.println(
            "Axivon demo on the devnet in "
                + manifest.dataDir()
                + " (chain 0 JSON-RPC "
                + manifest.chains().get(0).rpc()
                + ", explorer "
                + manifest.explorer()
                + ")");
      }
      Walkthrough tour =
          new Walkthrough(
              manifest, work, Duration.ofSeconds(waitSeconds), json ? quiet() : new Printer(out));
      List<Walkthrough.Step> steps = tour.run();
      boolean passed = Walkthrough.passed(steps);
      if (json) {
        JsonOutput.print(out, new Report(passed, manifest.dataDir(), steps, tour.created()));
      } else {
        long total = steps.stream().mapToLong(Walkthrough.Step::millis).sum();
        out.println();
        out.println(
            passed
                ? "All "
                    + steps.size()
                    + " steps passed in "
                    + seconds(total)
                    + ". Open "
                    + manifest.explorer()
                    + " to see them on the explorer."
                : "The demo FAILED at step "
                    + steps.size()
                    + ": "
                    + steps.get(steps.size() - 1).result());
      }
      out.flush();
      return passed ? ExitCodes.OK : ExitCodes.FAILURE;
    } finally {
      deleteTree(work);
      if (started != null) {
        started.close();
      }
    }
  }

  /** The devnet whose manifest is in {@code dir}, if its chain 0 answers. */
  static Optional<DevnetManifest> runningDevnet(Path dir) {
    Path file = dir.resolve("devnet.json");
    if (!Files.isRegularFile(file)) {
      return Optional.empty();
    }
    DevnetManifest m;
    try {
      m = new ObjectMapper().readValue(file.toFile(), DevnetManifest.class);
    } catch (IOException e) {
      throw new InvalidInputException("cannot read " + file + ": " + e.getMessage());
    }
    if (m.chains().isEmpty()) {
      return Optional.empty();
    }
    try {
      new EthClient(new JsonRpcClient(URI.create(m.chains().get(0).rpc()), Duration.ofSeconds(3)))
          .blockNumber();
      return Optional.of(m);
    } catch (RuntimeException e) {
      return Optional.empty(); // a manifest left by a devnet that has stopped
    }
  }

  private static Walkthrough.Listener quiet() {
    return new Walkthrough.Listener() {
      @Override
      public void started(String user, String title, String command) {}

      @Override
      public void finished(Walkthrough.Step step) {}
    };
  }

  /** Prints each step as it starts and ends, a heading whenever the user changes. */
  private static final class Printer implements Walkthrough.Listener {
    private final PrintWriter out;
    private String user = "";

    Printer(PrintWriter out) {
      this.out = out;
    }

    @Override
    public void started(String who, String title, String command) {
      if (!who.equals(user)) {
        user = who;
        out.println();
        out.println(USERS.getOrDefault(who, who));
      }
      out.println("  · " + title);
      if (!command.isEmpty()) {
        out.println("    $ " + command);
      }
      out.flush();
    }

    @Override
    public void finished(Walkthrough.Step step) {
      out.println(
          "    "
              + (step.ok() ? "ok    " : "FAILED ")
              + step.result()
              + "  ("
              + seconds(step.millis())
              + ")");
      out.flush();
    }
  }

  private static String seconds(long millis) {
    return String.format(java.util.Locale.ROOT, "%.1f s", millis / 1000.0);
  }

  private static void deleteTree(Path dir) {
    FileUtils.deleteQuietly(dir.toFile()); // a temporary directory left behind is harmless
  }
}
