package io.axivon.node.storage;

import static org.assertj.core.api.Assertions.assertThat;

import io.axivon.node.cli.CliResult;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** `axivon storage root` against vectors of ../shared/testvectors/storage-roots.json (0G's SDK). */
class StorageCommandTest {
  @TempDir Path dir;

  /** The vectors' generator: SHA-256(seed || u64be(i)) blocks, cut to size (see gen.py). */
  private static byte[] generate(String seed, int size) throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream(size + 32);
    for (long i = 0; out.size() < size; i++) {
      MessageDigest sha = MessageDigest.getInstance("SHA-256");
      sha.update(seed.getBytes(StandardCharsets.US_ASCII));
      sha.update(ByteBuffer.allocate(8).putLong(i).array());
      out.write(sha.digest());
    }
    byte[] all = out.toByteArray();
    return java.util.Arrays.copyOf(all, size);
  }

  @Test
  void printsTheRootsZerosSdkComputes() throws Exception {
    Path file = dir.resolve("f");
    Files.write(file, generate("axivon-zg-460790", 460790));
    CliResult r = CliResult.run("storage", "root", file.toString());
    assertThat(r.exitCode()).as(r.err()).isZero();
    assertThat(r.out().strip())
        .isEqualTo("0xf80a45157785ee33461c8c86be630d4920e87b6c103990e0ce41dcea69e3b571");

    Path small = dir.resolve("s");
    Files.write(small, generate("axivon-zg-700", 700));
    CliResult json = CliResult.run("storage", "root", small.toString(), "--json");
    assertThat(json.exitCode()).isZero();
    assertThat(json.out())
        .contains("0xc53903add2edecfebe6ef31149ae1c2150505f2ce604b1f71d84667f2b9996bb")
        .contains("0xdc531a031e6d50ae30efc7ee78056c9c49e1b121794a16e64e1de182e6a4abde")
        .contains("\"length\" : 700");
  }

  @Test
  void emptyOrMissingFilesAreInputErrors() throws Exception {
    Path empty = dir.resolve("empty");
    Files.write(empty, new byte[0]);
    CliResult r = CliResult.run("storage", "root", empty.toString());
    assertThat(r.exitCode()).isEqualTo(2);
    assertThat(r.err()).contains("empty");
    CliResult missing = CliResult.run("storage", "root", dir.resolve("nope").toString());
    assertThat(missing.exitCode()).isEqualTo(2);
    assertThat(missing.err()).contains("no such file");
  }
}
