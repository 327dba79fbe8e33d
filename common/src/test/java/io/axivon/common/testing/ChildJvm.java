package io.axivon.common.testing;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A child JVM for crash tests: it runs a main class of the test class path, reports its progress as
 * lines on standard output, and is killed with SIGKILL at a point the test chooses. Its standard
 * error goes to a file that every failure quotes, so a child that died early says why.
 */
public final class ChildJvm implements AutoCloseable {
  private static final long WAIT_SECONDS = 60;

  private final Process process;
  private final BufferedReader out;
  private final Path stderr;

  private ChildJvm(Process process, Path stderr) {
    this.process = process;
    this.stderr = stderr;
    this.out =
        new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
  }

  /**
   * Starts {@code main} with {@code args} on this JVM's class path: a small heap, the serial
   * collector and C1 only (a crash test's child does little work, and starts fast that way), and
   * the same module openings the tests run with.
   *
   * @param stderr where the child's standard error goes (replaced)
   */
  public static ChildJvm start(Path stderr, Class<?> main, String... args) throws IOException {
    List<String> command =
        new ArrayList<>(
            List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m",
                "-XX:+UseSerialGC",
                "-XX:TieredStopAtLevel=1",
                "--add-opens",
                "java.base/java.nio=ALL-UNNAMED",
                "--add-opens",
                "java.base/sun.nio.ch=ALL-UNNAMED",
                "--enable-native-access=ALL-UNNAMED",
                "-cp",
                System.getProperty("java.class.path"),
                main.getName()));
    command.addAll(List.of(args));
    return new ChildJvm(new ProcessBuilder(command).redirectError(stderr.toFile()).start(), stderr);
  }

  /**
   * The child's next line of output.
   *
   * @throws AssertionError when the child's output ended (it exited or closed it), quoting its exit
   *     code and standard error
   */
  public String readLine() throws IOException, InterruptedException {
    String line = out.readLine();
    if (line == null) {
      process.waitFor(WAIT_SECONDS, TimeUnit.SECONDS);
      throw new AssertionError(
          "the child's output ended: "
              + (process.isAlive() ? "still running" : "exit code " + process.exitValue())
              + ", stderr:\n"
              + Files.readString(stderr));
    }
    return line;
  }

  /** The child's next line that matches {@code regex}, skipping any other (log lines). */
  public String readLineMatching(String regex) throws IOException, InterruptedException {
    for (String line = readLine(); ; line = readLine()) {
      if (line.matches(regex)) {
        return line;
      }
    }
  }

  /**
   * SIGKILL: no shutdown hooks, no close; returns once the child is gone.
   *
   * @throws AssertionError when it is still there after a minute
   */
  public void kill() throws InterruptedException {
    process.destroyForcibly();
    if (!process.waitFor(WAIT_SECONDS, TimeUnit.SECONDS)) {
      throw new AssertionError("the child survived SIGKILL for " + WAIT_SECONDS + " s");
    }
  }

  /** The child's process id. */
  public long pid() {
    return process.pid();
  }

  /** Kills the child if it still runs (a test that failed half-way leaves no process behind). */
  @Override
  public void close() throws IOException {
    process.destroyForcibly();
    out.close();
  }
}
