package io.axivon.node.storage;

import io.axivon.common.InvalidInputException;
import io.axivon.node.cli.ExitCodes;
import io.axivon.node.cli.JsonOutput;
import io.axivon.node.cli.Progress;
import io.axivon.sdk.storage.StorageClient;
import io.axivon.sdk.storage.crypto.EncryptionKey;
import io.axivon.sdk.storage.crypto.FileEncryption;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.apache.tuweni.bytes.Bytes32;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(
    name = "download",
    mixinStandardHelpOptions = true,
    description =
        "Fetch a stored file by root, verifying every segment's proof against the root, asking the other nodes when one fails or lies. OUT appears only once complete (written to a temporary file, then moved); an existing OUT is replaced. With --decrypt the file is an encrypted container (upload --encrypt): it is fetched to a temporary file and OUT is its decryption, written only when every chunk authenticates.")
public final class DownloadCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Parameters(index = "0", paramLabel = "ROOT", description = "The file's root (64 hex digits).")
  String root;

  @Parameters(index = "1", paramLabel = "OUT", description = "Where to write the file.")
  Path out;

  @Mixin StorageNodes nodes;

  @Option(names = "--json", description = "Print the result as one JSON document, no progress.")
  boolean json;

  @Option(
      names = "--decrypt",
      description =
          "The root is an encrypted container (upload --encrypt): write its decryption, with the key in --encryption-key, to OUT.")
  boolean decrypt;

  @Option(
      names = "--encryption-key",
      paramLabel = "FILE",
      description = "The key the file was encrypted with (64 hex digits); needs --decrypt.")
  Path encryptionKey;

  /**
   * What a download did, as --json prints it; {@code size}: OUT's; {@code rejected}: node answers
   * not used.
   */
  public record Result(
      String root,
      String file,
      long size,
      double seconds,
      java.util.List<String> rejected,
      boolean decrypted) {}

  @Override
  public Integer call() throws IOException {
    Bytes32 r = StorageNodes.parseRoot(root);
    if (Files.isDirectory(out)) {
      throw new InvalidInputException("OUT is a directory: " + out);
    }
    Path parent = out.toAbsolutePath().getParent();
    if (parent != null && !Files.isDirectory(parent)) {
      throw new InvalidInputException("no such directory: " + parent);
    }
    Optional<EncryptionKey> key = UploadCommand.encryptionKey(decrypt, encryptionKey);
    StorageClient client = nodes.storageClient();
    long started = System.nanoTime();
    StorageClient.DownloadReport report;
    long size;
    if (key.isEmpty()) {
      report = download(client, r, out);
      size = report.size();
    } else {
      // the container stays private to this process; OUT appears only once it decrypts whole
      Path tmpDir = Files.createTempDirectory("axivon-decrypt-");
      Path container = tmpDir.resolve("container.axne");
      try {
        report = download(client, r, container);
        size = new FileEncryption(key.get()).decrypt(container, out).plainSize();
      } finally {
        Files.deleteIfExists(container);
        Files.deleteIfExists(tmpDir);
      }
    }
    double seconds = Math.round((System.nanoTime() - started) / 1e6) / 1000.0;
    Result result =
        new Result(
            r.toHexString(),
            out.toString(),
            size,
            seconds,
            report.rejected().stream()
                .map(x -> x.node() + " segment " + x.segment() + ": " + x.reason())
                .toList(),
            decrypt);
    PrintWriter w = spec.commandLine().getOut();
    if (json) {
      JsonOutput.print(w, result);
    } else {
      w.println(
          "Downloaded "
              + r.toHexString()
              + " to "
              + out
              + ": "
              + size
              + " bytes in "
              + String.format(Locale.ROOT, "%.3f", seconds)
              + " s, every segment verified"
              + (decrypt ? ", every chunk decrypted and authenticated" : ""));
      for (String x : result.rejected()) {
        w.println("  rejected " + x);
      }
      w.flush();
    }
    return ExitCodes.OK;
  }

  private StorageClient.DownloadReport download(StorageClient client, Bytes32 r, Path to)
      throws IOException {
    try (Progress bar = Progress.start("download", "segments", !json)) {
      return client.download(
          r,
          to,
          new StorageClient.Progress() {
            @Override
            public void planned(long segments, long bytes) {
              bar.planned(segments, bytes);
            }

            @Override
            public void transferred(long segments, long bytes) {
              bar.done(segments, bytes);
            }
          });
    }
  }
}
