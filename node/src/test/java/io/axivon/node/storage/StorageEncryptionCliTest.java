package io.axivon.node.storage;

import static org.assertj.core.api.Assertions.assertThat;

import io.axivon.node.cli.CliResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * `storage keygen`, and what `upload --encrypt` / `download --decrypt` refuse before talking to
 * anyone (exit 2, one line). The encrypted transfers are in StorageEncryptionIT.
 */
class StorageEncryptionCliTest {
  private static final String ROOT =
      "0xf80a45157785ee33461c8c86be630d4920e87b6c103990e0ce41dcea69e3b571";
  private static final String NODE = "http://127.0.0.1:5678/";
  private static final String CHAIN = "http://127.0.0.1:8545/";

  @TempDir Path dir;

  private static void assertUsage(CliResult r, String message) {
    assertThat(r.exitCode()).as(r.err()).isEqualTo(2);
    assertThat(r.err()).contains(message);
    assertThat(r.out()).isEmpty();
  }

  private CliResult upload(String... extra) throws Exception {
    Path f = Files.write(dir.resolve("f"), new byte[] {1, 2, 3});
    String[] base = {
      "storage", "upload", f.toString(), "--chain-rpc", CHAIN, "--node", NODE, "--dev-account", "0"
    };
    String[] args = new String[base.length + extra.length];
    System.arraycopy(base, 0, args, 0, base.length);
    System.arraycopy(extra, 0, args, base.length, extra.length);
    return CliResult.run(args);
  }

  @Test
  void keygenWritesAnOwnerOnlyKeyAndNeverReplacesOne() throws Exception {
    Path key = dir.resolve("keys").resolve("file.key");
    CliResult r = CliResult.run("storage", "keygen", key.toString());
    assertThat(r.exitCode()).as(r.err()).isZero();
    assertThat(r.out()).contains("Wrote a new encryption key to " + key);
    String text = Files.readString(key);
    assertThat(text).matches("0x[0-9a-f]{64}\n");
    assertThat(r.out()).doesNotContain(text.substring(2, 66));
    assertThat(Files.getPosixFilePermissions(key))
        .isEqualTo(PosixFilePermissions.fromString("rw-------"));
    assertUsage(CliResult.run("storage", "keygen", key.toString()), "already exists");
    assertThat(Files.readString(key)).isEqualTo(text);
    assertUsage(CliResult.run("storage", "keygen", dir.toString()), "OUT is a directory");
    Path other = dir.resolve("other.key");
    assertThat(CliResult.run("storage", "keygen", other.toString()).exitCode()).isZero();
    assertThat(Files.readString(other)).isNotEqualTo(text);
  }

  @Test
  void uploadRefusesBadEncryptionOptions() throws Exception {
    assertUsage(upload("--encrypt"), "--encrypt and --decrypt need the key: --encryption-key FILE");
    Path key = dir.resolve("k");
    assertUsage(
        upload("--encryption-key", key.toString()),
        "--encryption-key is used only with --encrypt (upload) or --decrypt (download)");
    assertUsage(
        upload("--encrypt", "--encryption-key", key.toString()),
        "no such encryption key file: " + key);
    Files.writeString(key, "0x" + "ab".repeat(31) + "\n");
    assertUsage(
        upload("--encrypt", "--encryption-key", key.toString()),
        "an encryption key is 64 hex digits (32 bytes), got 62 characters");
    Files.writeString(key, "0x" + "xy".repeat(32));
    assertUsage(upload("--encrypt", "--encryption-key", key.toString()), "not hex");
  }

  @Test
  void downloadRefusesBadDecryptionOptions() throws Exception {
    String out = dir.resolve("out").toString();
    assertUsage(
        CliResult.run("storage", "download", ROOT, out, "--node", NODE, "--decrypt"),
        "--encryption-key FILE");
    Path key = dir.resolve("k");
    assertUsage(
        CliResult.run(
            "storage", "download", ROOT, out, "--node", NODE, "--encryption-key", key.toString()),
        "--encryption-key is used only with");
    assertUsage(
        CliResult.run(
            "storage",
            "download",
            ROOT,
            out,
            "--node",
            NODE,
            "--decrypt",
            "--encryption-key",
            key.toString()),
        "no such encryption key file: " + key);
    assertThat(dir.resolve("out")).doesNotExist();
  }
}
