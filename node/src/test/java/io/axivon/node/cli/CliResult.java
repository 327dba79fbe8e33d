package io.axivon.node.cli;

import java.io.PrintWriter;
import java.io.StringWriter;

/** One run of the CLI in-process: exit code and what it printed. */
public record CliResult(int exitCode, String out, String err) {
  public static CliResult run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code = Main.run(args, new PrintWriter(out, true), new PrintWriter(err, true));
    return new CliResult(code, out.toString(), err.toString());
  }
}
