package io.axivon.node.storage;

import static io.axivon.node.devnet.DevnetFixture.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.axivon.node.cli.CliResult;
import io.axivon.node.devnet.DevnetFixture;
import io.axivon.sdk.storage.crypto.ContainerHeader;
import io.axivon.sdk.storage.crypto.EncryptionKey;
import io.axivon.sdk.storage.crypto.FileEncryption;
import io.axivon.sdk.storage.layout.FileTree;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;
import org.apache.tuweni.bytes.Bytes;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * `storage upload --encrypt` and `download --decrypt` against a devnet in this JVM: the nodes store
 * and serve only the container, the key holder gets the file back, a wrong key gets nothing.
 */
class StorageEncryptionIT {
  @TempDir Path dir;

  private JsonNode upload(Path file, Path key, String chainRpc, String node0, String node1)
      throws Exception {
    return json(
        CliResult.run(
            "storage",
            "upload",
            file.toString(),
            "--chain-rpc",
            chainRpc,
            "--node",
            node0,
            "--node",
            node1,
            "--dev-account",
            "2",
            "--encrypt",
            "--encryption-key",
            key.toString(),
            "--json"));
  }

  @Test
  void encryptedUploadAndDecryptedDownload() throws Exception {
    try (DevnetFixture devnet = DevnetFixture.start(dir)) {
      String chainRpc = devnet.chainRpc();
      String node0 = devnet.storageRpc(0);
      String node1 = devnet.storageRpc(1);
      Path key = dir.resolve("file.key");
      assertThat(CliResult.run("storage", "keygen", key.toString()).exitCode()).isZero();

      // 3 chunks: two whole segments and a partial third
      byte[] data = new byte[600_000];
      new Random(7).nextBytes(data);
      Path file = Files.write(dir.resolve("secret.bin"), data);
      JsonNode up = upload(file, key, chainRpc, node0, node1);
      assertThat(up.path("encrypted").asBoolean()).isTrue();
      assertThat(up.path("size").asLong()).isEqualTo(64 + 600_000 + 3 * 16);
      assertThat(up.path("segments").asLong()).isEqualTo(3);
      String root = up.path("root").asText();
      up.path("nodes").forEach(n -> assertThat(n.path("finalized").asBoolean()).isTrue());

      // what the nodes serve is the container, not the plaintext, and its root is the root
      Path served = dir.resolve("served.axne");
      json(
          CliResult.run("storage", "download", root, served.toString(), "--node", node1, "--json"));
      byte[] container = Files.readAllBytes(served);
      assertThat(FileTree.of(served).root().toHexString()).isEqualTo(root);
      assertThat(Arrays.copyOf(container, 4)).isEqualTo("AXNE".getBytes());
      assertThat(container).hasSize(64 + 600_000 + 48);
      assertThat(Bytes.wrap(container).slice(64, 1000))
          .isNotEqualTo(Bytes.wrap(data).slice(0, 1000));
      assertThat(Bytes.wrap(container).slice(262_144, 1000))
          .isNotEqualTo(Bytes.wrap(data).slice(262_144 - 80, 1000));
      // and chunk 1 is segment 1: its bytes decrypt alone
      assertThat(new FileEncryption(EncryptionKey.load(key)).decryptRange(served, 300_000, 50))
          .isEqualTo(Bytes.wrap(data, 300_000, 50));

      Path out = dir.resolve("back.bin");
      JsonNode down =
          json(
              CliResult.run(
                  "storage",
                  "download",
                  root,
                  out.toString(),
                  "--node",
                  node0,
                  "--decrypt",
                  "--encryption-key",
                  key.toString(),
                  "--json"));
      assertThat(down.path("decrypted").asBoolean()).isTrue();
      assertThat(down.path("size").asLong()).isEqualTo(600_000);
      assertThat(Files.readAllBytes(out)).isEqualTo(data);

      // a wrong key: exit 1 naming the failure, no OUT (and no temporary file) left
      Path wrong = dir.resolve("wrong.key");
      assertThat(CliResult.run("storage", "keygen", wrong.toString()).exitCode()).isZero();
      Path none = dir.resolve("none.bin");
      CliResult bad =
          CliResult.run(
              "storage",
              "download",
              root,
              none.toString(),
              "--node",
              node0,
              "--decrypt",
              "--encryption-key",
              wrong.toString());
      assertThat(bad.exitCode()).as(bad.err()).isEqualTo(1);
      assertThat(bad.err())
          .contains(
              "authentication failed for chunk 0: wrong encryption key, or the container was altered");
      assertThat(none).doesNotExist();
      try (var files = Files.list(dir)) {
        assertThat(files.map(p -> p.getFileName().toString()))
            .noneMatch(n -> n.startsWith(".none.bin"));
      }

      // a plain (unencrypted) file is not a container: exit 1 saying so
      Path plain = Files.write(dir.resolve("plain.bin"), Arrays.copyOf(data, 1000));
      json(
          CliResult.run(
              "storage",
              "upload",
              plain.toString(),
              "--chain-rpc",
              chainRpc,
              "--node",
              node0,
              "--node",
              node1,
              "--dev-account",
              "2",
              "--json"));
      CliResult notContainer =
          CliResult.run(
              "storage",
              "download",
              FileTree.of(plain).root().toHexString(),
              none.toString(),
              "--node",
              node0,
              "--decrypt",
              "--encryption-key",
              key.toString());
      assertThat(notContainer.exitCode()).isEqualTo(1);
      assertThat(notContainer.err()).contains("not an encrypted container");
      assertThat(none).doesNotExist();

      // an empty file, which the storage log refuses in the clear, is stored as an 80-byte
      // container
      Path empty = Files.write(dir.resolve("empty"), new byte[0]);
      JsonNode emptyUp = upload(empty, key, chainRpc, node0, node1);
      assertThat(emptyUp.path("size").asLong())
          .isEqualTo(ContainerHeader.SIZE + ContainerHeader.TAG_SIZE);
      Path emptyBack = dir.resolve("empty.back");
      json(
          CliResult.run(
              "storage",
              "download",
              emptyUp.path("root").asText(),
              emptyBack.toString(),
              "--node",
              node1,
              "--decrypt",
              "--encryption-key",
              key.toString(),
              "--json"));
      assertThat(emptyBack).exists().isEmptyFile();
    }
  }

  /**
   * A folder with --encrypt: every file and the manifest go to the nodes as containers (the root
   * fetched without the key is a container, not a manifest), --decrypt recreates the folder, and a
   * wrong key creates nothing.
   */
  @Test
  void encryptedFolderRoundTrip() throws Exception {
    try (DevnetFixture devnet = DevnetFixture.start(dir)) {
      String node0 = devnet.storageRpc(0);
      String node1 = devnet.storageRpc(1);
      Path key = dir.resolve("folder.key");
      assertThat(CliResult.run("storage", "keygen", key.toString()).exitCode()).isZero();
      Path folder = Files.createDirectories(dir.resolve("docs/sub"));
      byte[] big = new byte[300_000];
      new Random(11).nextBytes(big);
      Files.write(dir.resolve("docs/a.txt"), "alpha".getBytes());
      Files.write(folder.resolve("b.bin"), big);
      Files.write(dir.resolve("docs/empty"), new byte[0]);
      Files.createDirectories(dir.resolve("docs/nothing"));

      JsonNode up = upload(dir.resolve("docs"), key, devnet.chainRpc(), node0, node1);
      assertThat(up.path("encrypted").asBoolean()).isTrue();
      assertThat(up.path("files").asLong()).isEqualTo(2); // stored; the empty one is an entry
      assertThat(up.path("size").asLong()).isEqualTo(5 + 300_000);
      String root = up.path("root").asText();

      // without the key the root is an opaque container: no paths, no sizes
      Path opaque = dir.resolve("opaque.axne");
      json(
          CliResult.run("storage", "download", root, opaque.toString(), "--node", node1, "--json"));
      assertThat(Arrays.copyOf(Files.readAllBytes(opaque), 4)).isEqualTo("AXNE".getBytes());
      assertThat(
              new String(Files.readAllBytes(opaque), java.nio.charset.StandardCharsets.ISO_8859_1))
          .doesNotContain("a.txt")
          .doesNotContain("sub/b.bin");

      Path out = dir.resolve("restored");
      JsonNode down =
          json(
              CliResult.run(
                  "storage",
                  "download",
                  root,
                  out.toString(),
                  "--node",
                  node0,
                  "--decrypt",
                  "--encryption-key",
                  key.toString(),
                  "--json"));
      assertThat(down.path("decrypted").asBoolean()).isTrue();
      assertThat(down.path("files").asLong()).isEqualTo(3);
      assertThat(Files.readString(out.resolve("a.txt"))).isEqualTo("alpha");
      assertThat(Files.readAllBytes(out.resolve("sub/b.bin"))).isEqualTo(big);
      assertThat(out.resolve("empty")).exists().isEmptyFile();
      assertThat(out.resolve("nothing")).isDirectory();

      Path wrong = dir.resolve("wrong-folder.key");
      assertThat(CliResult.run("storage", "keygen", wrong.toString()).exitCode()).isZero();
      Path none = dir.resolve("none");
      CliResult bad =
          CliResult.run(
              "storage",
              "download",
              root,
              none.toString(),
              "--node",
              node0,
              "--decrypt",
              "--encryption-key",
              wrong.toString());
      assertThat(bad.exitCode()).as(bad.err()).isEqualTo(1);
      assertThat(bad.err()).contains("authentication failed for chunk 0");
      assertThat(none).doesNotExist();
    }
  }
}
