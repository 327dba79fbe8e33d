package io.axivon.node.storage;

import io.axivon.common.InvalidInputException;
import io.axivon.node.cli.ExitCodes;
import io.axivon.node.cli.JsonOutput;
import io.axivon.node.cli.Progress;
import io.axivon.sdk.storage.StorageClient;
import io.axivon.sdk.storage.crypto.EncryptionKey;
import io.axivon.sdk.storage.crypto.FileEncryption;
import io.axivon.sdk.storage.manifest.FolderManifest;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
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
    description = {
      "Fetch a stored file by root, verifying every segment's proof against the root, asking the other nodes when one fails or lies. OUT appears only once complete (written to a temporary file, then moved); an existing OUT is replaced. With --decrypt the file is an encrypted container (upload --encrypt): it is fetched to a temporary file and OUT is its decryption, written only when every chunk authenticates; an encrypted folder (upload --encrypt DIR) is recreated the same way, every file decrypted and authenticated.",
      "When ROOT is a folder's manifest (upload DIR; it starts with the bytes AXVDIR 0 1), the folder is recreated under OUT (created if needed; files already there with the same names are replaced): every file is fetched and verified against its root and size, and written atomically; empty files and empty directories are created; a path that would leave OUT (also through a symbolic link already in OUT) is refused. --raw writes the manifest itself to OUT instead."
    })
public final class DownloadCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Parameters(index = "0", paramLabel = "ROOT", description = "The file's root (64 hex digits).")
  String root;

  @Parameters(
      index = "1",
      paramLabel = "OUT",
      description = "Where to write the file, or the folder to recreate a stored folder under.")
  Path out;

  @Mixin StorageNodes nodes;

  @Option(names = "--json", description = "Print the result as one JSON document, no progress.")
  boolean json;

  @Option(
      names = "--raw",
      description =
          "Write the stored bytes to OUT as they are, even when they are a folder manifest.")
  boolean raw;

  /** A manifest larger than this is refused rather than read into memory. */
  static final long MAX_MANIFEST_BYTES = 64L << 20;

  /**
   * What a folder download did, as --json prints it; {@code size}: the files' bytes; {@code
   * rejected}: node answers not used.
   */
  public record FolderResult(
      String root,
      String folder,
      long files,
      long size,
      double seconds,
      List<UploadCommand.ManifestEntry> entries,
      List<String> rejected,
      boolean decrypted) {}

  @Option(
      names = "--decrypt",
      description =
          "The root is an encrypted container (upload --encrypt): write its decryption, with the key in --encryption-key, to OUT; an encrypted folder is recreated under OUT.")
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
    if (raw && Files.isDirectory(out)) { // only a folder can go to a directory
      throw new InvalidInputException("OUT is a directory: " + out);
    }
    Path parent = out.toAbsolutePath().normalize().getParent();
    if (parent == null || !Files.isDirectory(parent)) {
      throw new InvalidInputException("no such directory: " + parent);
    }
    Optional<EncryptionKey> key = UploadCommand.encryptionKey(decrypt, encryptionKey);
    StorageClient client = nodes.storageClient();
    long started = System.nanoTime();
    StorageClient.DownloadReport report;
    long size;
    // fetched (and decrypted) beside OUT, then either moved onto it or read as a folder's manifest
    Path staging = Files.createTempFile(parent, "." + out.getFileName() + ".", ".download");
    try {
      report = fetch(client, r, staging, key);
      if (!raw && isManifest(staging)) {
        if (Files.exists(out) && !Files.isDirectory(out)) {
          throw new InvalidInputException(
              "ROOT is a folder, and OUT is a file: " + out + " (pass --raw for the manifest)");
        }
        byte[] bytes = Files.readAllBytes(staging);
        Files.delete(staging);
        return restoreFolder(client, r, FolderManifest.decode(bytes), report, started, key);
      }
      if (Files.isDirectory(out)) {
        throw new InvalidInputException(
            "OUT is a directory, and ROOT is a file, not a folder manifest: " + out);
      }
      size = Files.size(staging);
      Files.move(staging, out, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } finally {
      Files.deleteIfExists(staging);
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

  private static boolean isManifest(Path file) throws IOException {
    long size = Files.size(file);
    if (size < FolderManifest.MAGIC.length) {
      return false;
    }
    byte[] prefix = new byte[FolderManifest.MAGIC.length];
    try (InputStream in = Files.newInputStream(file)) {
      in.readNBytes(prefix, 0, prefix.length);
    }
    if (FolderManifest.hasMagic(prefix) && size > MAX_MANIFEST_BYTES) {
      throw new InvalidInputException(
          "ROOT looks like a folder manifest of "
              + size
              + " bytes, more than the "
              + MAX_MANIFEST_BYTES
              + " read: pass --raw to write it as a file");
    }
    return FolderManifest.hasMagic(prefix);
  }

  /**
   * Recreates the folder of {@code manifest} under {@link #out}: each file fetched and verified
   * against its root, checked against its size and moved into place whole.
   */
  private Integer restoreFolder(
      StorageClient client,
      Bytes32 r,
      FolderManifest manifest,
      StorageClient.DownloadReport manifestReport,
      long started,
      Optional<EncryptionKey> key)
      throws IOException {
    Path base = out.toAbsolutePath().normalize();
    Files.createDirectories(base);
    Path realBase = base.toRealPath();
    List<String> rejected = new ArrayList<>(describe(manifestReport));
    long files = 0;
    long size = 0;
    for (FolderManifest.Entry e : manifest.entries()) {
      Path target = base.resolve(e.path()).normalize();
      if (!target.startsWith(base) || target.equals(base)) { // the manifest codec forbids it too
        throw new InvalidInputException("manifest path " + e.path() + " leaves " + out);
      }
      Path dir = directories(base, target.getParent(), e.path());
      if (!dir.toRealPath().startsWith(realBase) || Files.isSymbolicLink(target)) {
        throw new InvalidInputException(
            "manifest path " + e.path() + " leads out of " + out + " through a symbolic link");
      }
      switch (e.kind()) {
        case DIRECTORY -> directories(base, target, e.path());
        case EMPTY_FILE -> {
          Path tmp = Files.createTempFile(dir, "." + target.getFileName() + ".", ".part");
          try {
            Files.move(
                tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
          } finally {
            Files.deleteIfExists(tmp);
          }
          files++;
        }
        case FILE -> {
          Path tmp = Files.createTempFile(dir, "." + target.getFileName() + ".", ".download");
          try {
            StorageClient.DownloadReport rep = fetch(client, e.root(), tmp, key);
            long got = Files.size(tmp);
            if (got != e.size()) {
              throw new InvalidInputException(
                  (key.isPresent() ? "decrypted file " : "stored file ")
                      + e.root()
                      + " has "
                      + got
                      + " bytes, the manifest says "
                      + e.size()
                      + " for "
                      + e.path());
            }
            rejected.addAll(describe(rep));
            Files.move(
                tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
          } finally {
            Files.deleteIfExists(tmp);
          }
          files++;
          size += e.size();
        }
      }
    }
    double seconds = Math.round((System.nanoTime() - started) / 1e6) / 1000.0;
    FolderResult result =
        new FolderResult(
            r.toHexString(),
            out.toString(),
            files,
            size,
            seconds,
            manifest.entries().stream().map(UploadCommand.ManifestEntry::of).toList(),
            rejected,
            key.isPresent());
    PrintWriter w = spec.commandLine().getOut();
    if (json) {
      JsonOutput.print(w, result);
    } else {
      w.println(
          "Downloaded folder "
              + r.toHexString()
              + " to "
              + out
              + ": "
              + files
              + " files, "
              + size
              + " bytes in "
              + String.format(Locale.ROOT, "%.3f", seconds)
              + " s, every segment verified"
              + (key.isPresent() ? ", every chunk decrypted and authenticated" : ""));
      for (String x : rejected) {
        w.println("  rejected " + x);
      }
      w.flush();
    }
    return ExitCodes.OK;
  }

  /**
   * Creates {@code dir} (under {@code base}) one level at a time, refusing a symbolic link or a
   * file on the way, so nothing is ever created outside {@code base}.
   */
  private Path directories(Path base, Path dir, String entry) throws IOException {
    Path p = base;
    for (Path name : base.relativize(dir)) {
      p = p.resolve(name);
      if (Files.isSymbolicLink(p)) {
        throw new InvalidInputException(
            "manifest path " + entry + " leads out of " + out + " through a symbolic link: " + p);
      }
      if (!Files.exists(p)) {
        Files.createDirectory(p);
      } else if (!Files.isDirectory(p)) {
        throw new InvalidInputException(
            "manifest path " + entry + " needs a directory where " + p + " is a file");
      }
    }
    return dir;
  }

  private static List<String> describe(StorageClient.DownloadReport report) {
    return report.rejected().stream()
        .map(x -> x.node() + " segment " + x.segment() + ": " + x.reason())
        .toList();
  }

  /**
   * Fetches {@code r} into {@code to}; with a key, {@code r} is an encrypted container, fetched
   * into a private temporary directory, and {@code to} receives its decryption, written only when
   * every chunk authenticates.
   */
  private StorageClient.DownloadReport fetch(
      StorageClient client, Bytes32 r, Path to, Optional<EncryptionKey> key) throws IOException {
    if (key.isEmpty()) {
      return download(client, r, to);
    }
    Path tmpDir = Files.createTempDirectory("axivon-decrypt-");
    Path container = tmpDir.resolve("container.axne");
    try {
      StorageClient.DownloadReport report = download(client, r, container);
      new FileEncryption(key.get()).decrypt(container, to);
      return report;
    } finally {
      Files.deleteIfExists(container);
      Files.deleteIfExists(tmpDir);
    }
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
