package io.axivon.node.cli;

import io.axivon.common.InvalidInputException;
import java.io.Console;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import picocli.CommandLine.Option;

/**
 * Where a key file's passphrase comes from: a file, an environment variable, or the terminal. Never
 * a command-line argument, which other users could read from the process list.
 */
public final class PassphraseOptions {
  @Option(
      names = "--passphrase-file",
      paramLabel = "FILE",
      description = "Read the passphrase from the first line of FILE.")
  Path file;

  @Option(
      names = "--passphrase-env",
      paramLabel = "VAR",
      description = "Read the passphrase from environment variable VAR.")
  String env;

  /** The passphrase; asks twice on a terminal when {@code confirm} (a new key). */
  public String read(boolean confirm) {
    if (file != null && env != null) {
      throw new InvalidInputException("pass only one of --passphrase-file and --passphrase-env");
    }
    if (file != null) {
      try {
        String content = Files.readString(file, StandardCharsets.UTF_8);
        int newline = content.indexOf('\n');
        String line = newline < 0 ? content : content.substring(0, newline);
        return nonEmpty(line.endsWith("\r") ? line.substring(0, line.length() - 1) : line);
      } catch (NoSuchFileException e) {
        throw new InvalidInputException("passphrase file not found: " + file);
      } catch (IOException e) {
        throw new InvalidInputException(
            "cannot read passphrase file " + file + ": " + e.getMessage());
      }
    }
    if (env != null) {
      String value = System.getenv(env);
      if (value == null) {
        throw new InvalidInputException("environment variable " + env + " is not set");
      }
      return nonEmpty(value);
    }
    Console console = System.console();
    if (console == null) {
      throw new InvalidInputException(
          "no passphrase: pass --passphrase-file FILE or --passphrase-env VAR (no terminal to ask)");
    }
    char[] first = console.readPassword("Passphrase: ");
    if (first == null) {
      throw new InvalidInputException("no passphrase entered");
    }
    if (confirm) {
      char[] second = console.readPassword("Repeat passphrase: ");
      if (second == null || !Arrays.equals(first, second)) {
        throw new InvalidInputException("the two passphrases differ");
      }
    }
    return nonEmpty(new String(first));
  }

  private static String nonEmpty(String passphrase) {
    if (passphrase.isEmpty()) {
      throw new InvalidInputException("the passphrase is empty");
    }
    return passphrase;
  }
}
