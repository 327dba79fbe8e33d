package io.axivon.node.storage;

import static io.axivon.node.devnet.DevnetFixture.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.axivon.node.cli.CliResult;
import io.axivon.node.devnet.DevnetFixture;
import io.axivon.sdk.storage.layout.FileTree;
import io.axivon.sdk.storage.manifest.FolderManifest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code storage upload DIR} and {@code storage download ROOT OUT} of a folder against a devnet in
 * this JVM: files, a duplicate, an empty file, empty (and nested empty) directories and a symbolic
 * link (skipped) go up as files plus a manifest, and come back as the same tree.
 */
class StorageFolderIT {
  @TempDir Path dir;

  private static byte[] random(int size, long seed) {
    byte[] b = new byte[size];
    new Random(seed).nextBytes(b);
    return b;
  }

  @Test
  void folderRoundtripThroughAManifest() throws Exception {
    Path src = Files.createDirectories(dir.resolve("src"));
    Files.createDirectories(src.resolve("a/b"));
    Files.write(src.resolve("a/one.bin"), random(300_000, 1));
    Files.write(src.resolve("a/b/two.txt"), random(1000, 2));
    Files.write(src.resolve("copy.txt"), random(1000, 2)); // same bytes, same root
    Files.write(src.resolve("empty.txt"), new byte[0]);
    Files.createDirectories(src.resolve("emptydir"));
    Files.createDirectories(src.resolve("nested/empty/deeper"));
    Files.createSymbolicLink(src.resolve("link"), src.resolve("a/one.bin"));

    try (DevnetFixture devnet = DevnetFixture.start(dir)) {
      String chainRpc = devnet.chainRpc();
      String node0 = devnet.storageRpc(0);
      String node1 = devnet.storageRpc(1);
      List<String> upload =
          List.of(
              "storage",
              "upload",
              src.toString(),
              "--chain-rpc",
              chainRpc,
              "--node",
              node0,
              "--node",
              node1,
              "--dev-account",
              "4",
              "--json");
      JsonNode up = json(CliResult.run(upload.toArray(String[]::new)));
      assertThat(up.path("files").asLong()).isEqualTo(3);
      assertThat(up.path("size").asLong()).isEqualTo(302_000);
      assertThat(up.path("skipped")).extracting(JsonNode::asText).containsExactly("link");
      List<String> lines = new ArrayList<>();
      up.path("entries")
          .forEach(
              e ->
                  lines.add(
                      e.path("path").asText()
                          + " "
                          + e.path("kind").asText()
                          + " "
                          + e.path("size").asLong()
                          + " "
                          + (e.path("root").isNull() ? "-" : e.path("root").asText())));
      String one = FileTree.of(src.resolve("a/one.bin")).root().toHexString();
      String two = FileTree.of(src.resolve("a/b/two.txt")).root().toHexString();
      assertThat(lines)
          .containsExactly(
              "a/b/two.txt file 1000 " + two,
              "a/one.bin file 300000 " + one,
              "copy.txt file 1000 " + two,
              "empty.txt empty-file 0 -",
              "emptydir directory 0 -",
              "nested/empty/deeper directory 0 -");
      String root = up.path("root").asText();
      up.path("nodes").forEach(n -> assertThat(n.path("finalized").asBoolean()).isTrue());

      // the same folder again: every file and the manifest are known and stored, nothing is sent
      JsonNode again = json(CliResult.run(upload.toArray(String[]::new)));
      assertThat(again.path("root").asText()).isEqualTo(root);
      assertThat(again.path("segmentsSent").asLong()).isZero();

      // back from storage-1 alone, under a new folder
      Path out = dir.resolve("out");
      JsonNode down =
          json(
              CliResult.run(
                  "storage", "download", root, out.toString(), "--node", node1, "--json"));
      assertThat(down.path("files").asLong()).isEqualTo(4); // three stored, one empty
      assertThat(down.path("entries")).hasSize(6);
      for (String f : List.of("a/one.bin", "a/b/two.txt", "copy.txt", "empty.txt")) {
        assertThat(Files.readAllBytes(out.resolve(f)))
            .as(f)
            .isEqualTo(Files.readAllBytes(src.resolve(f)));
      }
      assertThat(out.resolve("emptydir")).isEmptyDirectory();
      assertThat(out.resolve("nested/empty/deeper")).isEmptyDirectory();
      assertThat(out.resolve("link")).doesNotExist();
      try (var walk = Files.walk(out)) {
        assertThat(walk.map(p -> p.getFileName().toString()))
            .noneMatch(n -> n.endsWith(".part") || n.endsWith(".download"));
      }

      // --raw: the manifest itself, in its documented form
      Path rawOut = dir.resolve("manifest.bin");
      json(
          CliResult.run(
              "storage", "download", root, rawOut.toString(), "--node", node0, "--raw", "--json"));
      FolderManifest manifest = FolderManifest.decode(Files.readAllBytes(rawOut));
      assertThat(manifest.entries()).hasSize(6);
      assertThat(manifest.entries().get(0).path()).isEqualTo("a/b/two.txt");

      // a symbolic link already in OUT that would lead a file out of it is refused
      Path elsewhere = Files.createDirectories(dir.resolve("elsewhere"));
      Path trap = Files.createDirectories(dir.resolve("trap"));
      Files.createSymbolicLink(trap.resolve("a"), elsewhere);
      CliResult refused =
          CliResult.run("storage", "download", root, trap.toString(), "--node", node0);
      assertThat(refused.exitCode()).isNotZero();
      assertThat(refused.err()).contains("through a symbolic link");
      try (var listing = Files.list(elsewhere)) {
        assertThat(listing).isEmpty();
      }
      // a plain file's root to an existing directory: refused, nothing written there
      CliResult notFolder =
          CliResult.run("storage", "download", one, out.toString(), "--node", node0);
      assertThat(notFolder.exitCode()).isNotZero();
      assertThat(notFolder.err()).contains("not a folder manifest");
    }
  }
}
