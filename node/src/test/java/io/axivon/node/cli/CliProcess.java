package io.axivon.node.cli;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The packaged CLI ({@code target/axivon.jar}) as a separate OS process, for tests that kill it:
 * started with the test's own java, stderr to a file, and the one JSON document a {@code --json}
 * command prints on start read from stdout.
 */
public final class CliProcess {
  private CliProcess() {}

  /** The packaged jar; skips the test when it is not built (surefire runs before package). */
  public static Path jar() {
    Path jar = Path.of("target", "axivon.jar").toAbsolutePath();
    assumeTrue(Files.exists(jar), "needs target/axivon.jar: runs under failsafe, after package");
    return jar;
  }

  /** Starts {@code java -jar axivon.jar ARGS}, stderr appended to {@code stderr}. */
  public static Process start(Path stderr, String... args) throws IOException {
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.add("-jar");
    cmd.add(jar().toString());
    cmd.addAll(List.of(args));
    return new ProcessBuilder(cmd)
        .redirectError(ProcessBuilder.Redirect.appendTo(stderr.toFile()))
        .start();
  }

  /**
   * Reads the JSON document a {@code --json} command prints when it is up (its last line is a lone
   * closing brace); fails if the process ends first.
   */
  public static JsonNode readDocument(Process p) throws IOException {
    StringBuilder json = new StringBuilder();
    // not closed: closing the reader would close the process's stdout while it still runs
    BufferedReader out =
        new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
    String line;
    while ((line = out.readLine()) != null) {
      json.append(line).append('\n');
      if (line.equals("}")) {
        return new ObjectMapper().readTree(json.toString());
      }
    }
    throw new IOException("process ended before printing its JSON document: " + json);
  }
}
