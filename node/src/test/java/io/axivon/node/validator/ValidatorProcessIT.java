package io.axivon.node.validator;

import static org.assertj.core.api.Assertions.assertThat;

import io.axivon.consensus.execution.EvmChain;
import io.axivon.consensus.node.ConsensusGenesis;
import io.axivon.consensus.store.BlockStore;
import io.axivon.consensus.store.StoredBlock;
import io.axivon.node.cli.CliResult;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Four validator processes from {@code axivon testnet init} on loopback. One is killed with SIGKILL
 * mid-run; the other three keep finalizing; the killed one restarts from its data dir, catches up
 * and signs again, and nobody ever sees an equivocation.
 */
class ValidatorProcessIT {
  private static final Pattern HEIGHT =
      Pattern.compile("axivon_consensus_height\\{chain=\"axivon-testnet\",} ([0-9.E]+)");
  private static final Pattern EVIDENCE =
      Pattern.compile("axivon_consensus_evidence_total\\{chain=\"axivon-testnet\",} ([0-9.E]+)");

  @TempDir Path dir;

  private final Process[] processes = new Process[4];
  private final Path[] stdouts = new Path[4];
  private final Path[] stderrs = new Path[4];
  private int p2pBase;
  private int metricsBase;

  @AfterEach
  void killAll() {
    for (Process p : processes) {
      if (p != null) {
        p.destroyForcibly();
      }
    }
  }

  /** A base port with 4 free ports for P2P, 4 for metrics and 4 for JSON-RPC after it. */
  private static int freeBase(Random random) throws IOException {
    for (int attempt = 0; attempt < 100; attempt++) {
      // below Linux's ephemeral range (32768+): while validator 3 is down, an outgoing connection
      // must not be able to take one of its ports and make its restart fail to bind
      int base = 10_000 + random.nextInt(20_000);
      if (allFree(base, 12)) {
        return base;
      }
    }
    throw new IOException("no 8 consecutive free ports found");
  }

  private static boolean allFree(int base, int n) {
    for (int p = base; p < base + n; p++) {
      try (ServerSocket s = new ServerSocket(p, 1, InetAddress.getLoopbackAddress())) {
        s.setReuseAddress(true);
      } catch (IOException e) {
        return false;
      }
    }
    return true;
  }

  private Process start(int i) throws IOException {
    Path jar = Path.of("target", "axivon.jar").toAbsolutePath();
    Path java = Path.of(System.getProperty("java.home"), "bin", "java");
    Path home = dir.resolve("net").resolve("node-" + i);
    long started = System.nanoTime();
    stdouts[i] = home.resolve("stdout-" + started + ".txt");
    stderrs[i] = home.resolve("stderr-" + started + ".txt");
    return new ProcessBuilder(
            List.of(
                java.toString(),
                "-jar",
                jar.toString(),
                "validator",
                "--config",
                home.resolve("config.yaml").toString()))
        .redirectOutput(stdouts[i].toFile())
        .redirectError(stderrs[i].toFile())
        .start();
  }

  private String metrics(int i) {
    try (HttpClient client = HttpClient.newHttpClient()) {
      return client
          .send(
              HttpRequest.newBuilder(
                      URI.create("http://127.0.0.1:" + (metricsBase + i) + "/metrics"))
                  .timeout(Duration.ofSeconds(2))
                  .build(),
              HttpResponse.BodyHandlers.ofString())
          .body();
    } catch (IOException e) {
      return "";
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return "";
    }
  }

  private long value(Pattern p, int i) {
    Matcher m = p.matcher(metrics(i));
    return m.find() ? (long) Double.parseDouble(m.group(1)) : -1;
  }

  /** The height validator i is deciding, or -1 while it does not answer. */
  private long height(int i) {
    return value(HEIGHT, i);
  }

  private void await(String what, BooleanSupplier condition) {
    // generous: four JVMs start and sync on two shared cores; a passing run takes seconds here
    long deadline = System.nanoTime() + Duration.ofSeconds(240).toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("timed out waiting for: " + what + "\n" + diagnostics());
      }
      for (int i = 0; i < processes.length; i++) {
        if (processes[i] != null && !processes[i].isAlive() && processes[i].exitValue() != 137) {
          throw new AssertionError(
              "validator " + i + " exited with " + processes[i].exitValue() + "\n" + diagnostics());
        }
      }
      try {
        Thread.sleep(100); // polling a condition, not waiting for luck
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError(e);
      }
    }
  }

  @Test
  void killedValidatorRestartsCatchesUpAndSignsWithoutEquivocating() throws Exception {
    Random random = new Random();
    int base = freeBase(random);
    p2pBase = base;
    metricsBase = base + 4;
    Path net = dir.resolve("net");
    CliResult init =
        CliResult.run(
            "testnet",
            "init",
            "--validators",
            "4",
            "--out",
            net.toString(),
            "--p2p-port",
            Integer.toString(p2pBase),
            "--metrics-port",
            Integer.toString(metricsBase),
            "--rpc-port",
            Integer.toString(base + 8));
    assertThat(init.exitCode()).as(init.err()).isZero();

    for (int i = 0; i < 4; i++) {
      processes[i] = start(i);
    }
    await("all four at height 4", () -> allAtLeast(4, 0, 1, 2, 3));

    processes[3].destroyForcibly(); // SIGKILL
    assertThat(processes[3].waitFor(30, TimeUnit.SECONDS)).isTrue();
    long atKill = height(0);
    await("three keep finalizing", () -> allAtLeast(atKill + 3, 0, 1, 2));

    processes[3] = start(3);
    long restartedAt = height(0);
    await("the restarted validator catches up", () -> height(3) >= restartedAt);
    long caughtUp = height(0);
    // Two proposer rotations: the restarted validator proposes and precommits again.
    await("and the chain goes on with it", () -> allAtLeast(caughtUp + 8, 0, 1, 2, 3));

    for (int i = 0; i < 4; i++) {
      assertThat(value(EVIDENCE, i)).as("evidence seen by validator " + i).isLessThanOrEqualTo(0);
    }
    for (Process p : processes) {
      p.destroy(); // SIGTERM: a clean stop releases the stores
    }
    for (Process p : processes) {
      assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
    }

    GenesisFile.Contents contents = GenesisFile.read(net.resolve("genesis.json"));
    ConsensusGenesis genesis;
    try (EvmChain evm =
        EvmChain.open(net.resolve("node-0").resolve("data").resolve("evm"), contents.evm().get())) {
      genesis = contents.consensus(evm.index().block(0).orElseThrow().stateRoot());
    }
    var key3 = ValidatorKeyFile.load(net.resolve("node-3").resolve("validator.key")).publicKey();
    List<Long> signedBy3AfterRestart = new ArrayList<>();
    try (BlockStore store =
        BlockStore.open(
            net.resolve("node-0").resolve("data").resolve("blocks"),
            genesis.chainId(),
            genesis.hash())) {
      for (long h = restartedAt; h <= store.height(); h++) {
        StoredBlock b = store.get(h).orElseThrow();
        int index = b.validators().indexOf(key3);
        if (b.commit().signed(index) || b.block().header().proposerIndex() == index) {
          signedBy3AfterRestart.add(h);
        }
      }
    }
    assertThat(signedBy3AfterRestart)
        .as("blocks proposed or commits signed by the restarted validator")
        .isNotEmpty();
  }

  /** Each validator's state and the tail of its output, so a failure says what went wrong. */
  private String diagnostics() {
    StringBuilder out = new StringBuilder();
    for (int i = 0; i < processes.length; i++) {
      Process p = processes[i];
      out.append("validator ")
          .append(i)
          .append(p == null ? ": not started" : p.isAlive() ? ": alive" : ": exited")
          .append(", height ")
          .append(height(i))
          .append('\n');
      for (Path log : new Path[] {stdouts[i], stderrs[i]}) {
        if (log != null) {
          out.append("  ").append(log.getFileName()).append(":\n").append(tail(log, 40));
        }
      }
    }
    return out.toString();
  }

  private static String tail(Path file, int lines) {
    try {
      List<String> all = Files.readAllLines(file);
      StringBuilder out = new StringBuilder();
      for (String line : all.subList(Math.max(0, all.size() - lines), all.size())) {
        out.append("    ").append(line).append('\n');
      }
      return out.toString();
    } catch (IOException e) {
      return "    (unreadable: " + e.getMessage() + ")\n";
    }
  }

  private boolean allAtLeast(long h, int... validators) {
    for (int i : validators) {
      if (height(i) < h) {
        return false;
      }
    }
    return true;
  }
}
