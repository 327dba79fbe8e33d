package io.axivon.node.storage;

import io.axivon.common.InvalidInputException;
import io.axivon.node.cli.ExitCodes;
import io.axivon.node.cli.JsonOutput;
import io.axivon.node.cli.Progress;
import io.axivon.sdk.storage.StorageClient;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
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
        "Fetch a stored file by root, verifying every segment's proof against the root, asking the other nodes when one fails or lies. OUT appears only once complete (written to a temporary file, then moved); an existing OUT is replaced.")
public final class DownloadCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Parameters(index = "0", paramLabel = "ROOT", description = "The file's root (64 hex digits).")
  String root;

  @Parameters(index = "1", paramLabel = "OUT", description = "Where to write the file.")
  Path out;

  @Mixin StorageNodes nodes;

  @Option(names = "--json", description = "Print the result as one JSON document, no progress.")
  boolean json;

  /** What a download did, as --json prints it; {@code rejected}: node answers not used. */
  public record Result(
      String root, String file, long size, double seconds, java.util.List<String> rejected) {}

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
    StorageClient client = nodes.storageClient();
    long started = System.nanoTime();
    StorageClient.DownloadReport report;
    try (Progress bar = Progress.start("download", "segments", !json)) {
      report =
          client.download(
              r,
              out,
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
    double seconds = Math.round((System.nanoTime() - started) / 1e6) / 1000.0;
    Result result =
        new Result(
            r.toHexString(),
            out.toString(),
            report.size(),
            seconds,
            report.rejected().stream()
                .map(x -> x.node() + " segment " + x.segment() + ": " + x.reason())
                .toList());
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
              + report.size()
              + " bytes in "
              + String.format(Locale.ROOT, "%.3f", seconds)
              + " s, every segment verified");
      for (String x : result.rejected()) {
        w.println("  rejected " + x);
      }
      w.flush();
    }
    return ExitCodes.OK;
  }
}
