package io.axivon.node.storage;

import io.axivon.common.InvalidInputException;
import io.axivon.common.merkle.Subtree;
import io.axivon.node.cli.ExitCodes;
import io.axivon.node.cli.JsonOutput;
import io.axivon.sdk.storage.crypto.EncryptionKey;
import io.axivon.sdk.storage.layout.FileTree;
import io.axivon.sdk.storage.layout.Submission;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(
    name = "storage",
    mixinStandardHelpOptions = true,
    description =
        "The storage log: store files on storage nodes through the flow on chain 0, fetch them back verified, and compute roots.",
    subcommands = {
      UploadCommand.class,
      DownloadCommand.class,
      StatusCommand.class,
      MiningCommand.class,
      StorageCommand.Root.class,
      StorageCommand.Keygen.class
    })
public final class StorageCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    spec.commandLine().usage(spec.commandLine().getOut());
    return ExitCodes.OK;
  }

  @Command(
      name = "root",
      mixinStandardHelpOptions = true,
      description =
          "Print a file's storage root, computed exactly as 0G's clients do (256-byte sectors, 256 KiB segments, keccak256), and with --json its flow submission.")
  public static final class Root implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Parameters(paramLabel = "FILE", description = "The file.")
    Path file;

    @Option(names = "--json", description = "Print root, size and submission as one JSON document.")
    boolean json;

    @Override
    public Integer call() {
      if (!Files.isRegularFile(file)) {
        throw new InvalidInputException("no such file: " + file);
      }
      FileTree tree;
      try {
        tree = FileTree.of(file);
      } catch (IOException e) {
        throw new InvalidInputException("cannot read " + file + ": " + e.getMessage());
      }
      PrintWriter out = spec.commandLine().getOut();
      if (!json) {
        out.println(tree.root().toHexString());
        out.flush();
        return ExitCodes.OK;
      }
      Submission s = tree.submission();
      List<Map<String, Object>> nodes = new ArrayList<>();
      for (Subtree n : s.nodes()) {
        Map<String, Object> node = new LinkedHashMap<>();
        node.put("root", n.root().toHexString());
        node.put("height", n.height());
        nodes.add(node);
      }
      Map<String, Object> doc = new LinkedHashMap<>();
      doc.put("root", tree.root().toHexString());
      doc.put("size", tree.layout().size());
      doc.put("segments", tree.layout().segments());
      Map<String, Object> submission = new LinkedHashMap<>();
      submission.put("length", s.length());
      submission.put("tags", s.tags().toHexString());
      submission.put("nodes", nodes);
      doc.put("submission", submission);
      JsonOutput.print(out, doc);
      return ExitCodes.OK;
    }
  }

  @Command(
      name = "keygen",
      mixinStandardHelpOptions = true,
      description =
          "Write a new random 256-bit encryption key for upload --encrypt / download --decrypt to OUT (64 hex digits, owner-only). An existing OUT is never replaced. Keep it: without it the files encrypted with it cannot be read.")
  public static final class Keygen implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Parameters(paramLabel = "OUT", description = "The new key file.")
    Path out;

    @Override
    public Integer call() {
      if (Files.isDirectory(out)) {
        throw new InvalidInputException("OUT is a directory: " + out);
      }
      EncryptionKey.generate(new SecureRandom()).writeNew(out);
      PrintWriter w = spec.commandLine().getOut();
      w.println(
          "Wrote a new encryption key to "
              + out
              + " (owner-only). Keep a copy: files encrypted with it cannot be read without it.");
      w.flush();
      return ExitCodes.OK;
    }
  }
}
