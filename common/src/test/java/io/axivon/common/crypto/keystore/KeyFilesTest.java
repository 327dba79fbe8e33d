package io.axivon.common.crypto.keystore;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.axivon.common.InvalidInputException;
import io.axivon.common.crypto.bls.BlsSecretKey;
import io.axivon.common.crypto.secp256k1.Secp256k1PrivateKey;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KeyFilesTest {
  private final KeyFiles keyFiles =
      new KeyFiles(new KdfParams.Pbkdf2(1000, 32), new SecureRandom());

  @TempDir Path dir;

  @Test
  void secp256k1KeyRoundTripsThroughAFile() {
    Secp256k1PrivateKey key = Secp256k1PrivateKey.generate(new SecureRandom());
    Path file = dir.resolve("keys/operator.json");
    keyFiles.writeSecp256k1(file, key, "correct horse");
    assertThat(keyFiles.readSecp256k1(file, "correct horse")).isEqualTo(key);
    assertThatThrownBy(() -> keyFiles.readSecp256k1(file, "wrong horse"))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageStartingWith("wrong passphrase");
  }

  @Test
  void blsKeyRoundTripsThroughAFile() {
    BlsSecretKey key = BlsSecretKey.generate(new SecureRandom());
    Path file = dir.resolve("validator.json");
    keyFiles.writeBls(file, key, "pw", "m/12381/3600/0/0/0");
    assertThat(keyFiles.readBls(file, "pw")).isEqualTo(key);
    assertThatThrownBy(() -> keyFiles.readSecp256k1(file, "pw"))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("version 4 is an EIP-2335 BLS keystore");
  }

  @Test
  void neverOverwritesAnExistingFile() throws IOException {
    Path file = dir.resolve("key.json");
    Files.writeString(file, "precious");
    Secp256k1PrivateKey key = Secp256k1PrivateKey.generate(new SecureRandom());
    assertThatThrownBy(() -> keyFiles.writeSecp256k1(file, key, "pw"))
        .isInstanceOf(InvalidInputException.class)
        .hasMessage(
            "key file already exists, refusing to overwrite it: "
                + file
                + " (move it away or choose another name)");
    assertThat(Files.readString(file)).isEqualTo("precious");

    Path written = dir.resolve("second.json");
    keyFiles.writeSecp256k1(written, key, "pw");
    String first = Files.readString(written);
    assertThatThrownBy(() -> keyFiles.writeSecp256k1(written, key, "other"))
        .isInstanceOf(InvalidInputException.class);
    assertThat(Files.readString(written)).isEqualTo(first);
  }

  @Test
  void publishingRefusesAFileThatAppearedAfterTheCheck() throws IOException {
    // the final step itself is no-clobber, not only the early existence check
    Path file = dir.resolve("raced.json");
    Files.writeString(file, "someone else's");
    assertThatThrownBy(() -> KeyFiles.writeNew(file, "{}"))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageStartingWith("key file already exists");
    assertThat(Files.readString(file)).isEqualTo("someone else's");
    assertNoTempFiles();
  }

  @Test
  void filesAreOwnerOnlyAndNoTempFilesRemain() throws IOException {
    Path file = dir.resolve("owner-only.json");
    keyFiles.writeBls(file, BlsSecretKey.generate(new SecureRandom()), "pw", "");
    if (FileSystems.getDefault().supportedFileAttributeViews().contains("posix")) {
      assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file)))
          .isEqualTo("rw-------");
    }
    assertNoTempFiles();
  }

  @Test
  void readingReportsMissingAndForeignFilesPrecisely() throws IOException {
    Path missing = dir.resolve("missing.json");
    assertThatThrownBy(() -> keyFiles.readBls(missing, "pw"))
        .isInstanceOf(InvalidInputException.class)
        .hasMessage("key file not found: " + missing);
    Path text = dir.resolve("notes.txt");
    Files.writeString(text, "hello");
    assertThatThrownBy(() -> keyFiles.readBls(text, "pw"))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageStartingWith("not a key file: invalid JSON");
    Path binary = dir.resolve("binary");
    Files.write(binary, new byte[] {(byte) 0xff, (byte) 0xfe, 0});
    assertThatThrownBy(() -> keyFiles.readSecp256k1(binary, "pw"))
        .isInstanceOf(InvalidInputException.class)
        .hasMessage("not a key file: " + binary + " is not UTF-8 text");
    Path huge = dir.resolve("huge.json");
    Files.write(huge, new byte[(int) KeyFiles.MAX_FILE_SIZE + 1]);
    assertThatThrownBy(() -> keyFiles.readSecp256k1(huge, "pw"))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("larger than any key file");
    assertThatThrownBy(() -> keyFiles.readSecp256k1(dir, "pw"))
        .isInstanceOf(InvalidInputException.class)
        .hasMessage("not a key file: " + dir + " is a directory");
    Path other = dir.resolve("other.json");
    Files.writeString(other, "{\"version\": 7}", StandardCharsets.UTF_8);
    assertThatThrownBy(() -> keyFiles.readBls(other, "pw"))
        .isInstanceOf(InvalidInputException.class)
        .hasMessage("unsupported keystore version 7 (expected 4, EIP-2335)");
  }

  private void assertNoTempFiles() throws IOException {
    try (Stream<Path> files = Files.list(dir)) {
      assertThat(files.map(p -> p.getFileName().toString())).noneMatch(n -> n.endsWith(".tmp"));
    }
  }
}
