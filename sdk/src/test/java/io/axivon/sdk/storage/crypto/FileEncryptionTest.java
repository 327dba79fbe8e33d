package io.axivon.sdk.storage.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.axivon.common.InvalidInputException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Random;
import org.apache.tuweni.bytes.Bytes;
import org.apache.tuweni.bytes.Bytes32;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The container's layout against storage segments, edge sizes, key files and header errors. */
class FileEncryptionTest {
  private static final int SEG = FileEncryption.SEGMENT_CHUNK_SIZE;
  @TempDir Path dir;

  private static byte[] random(int size) {
    byte[] b = new byte[size];
    new Random(size).nextBytes(b);
    return b;
  }

  private final EncryptionKey key = EncryptionKey.generate(new SecureRandom());

  @Test
  void chunkIIsStorageSegmentI() throws Exception {
    // 3 segments exactly: chunk 0 holds SEG - 80 plaintext bytes, chunks 1 and 2 SEG - 16 each
    int size = (SEG - 80) + 2 * (SEG - 16);
    Path plain = Files.write(dir.resolve("p"), random(size));
    Path c = dir.resolve("c");
    ContainerHeader h = new FileEncryption(key).encrypt(plain, c);
    assertThat(h.chunks()).isEqualTo(3);
    assertThat(Files.size(c)).isEqualTo(3L * SEG);
    assertThat(h.containerOffset(1)).isEqualTo(SEG);
    assertThat(h.containerOffset(2)).isEqualTo(2L * SEG);
    // one byte more starts chunk 3 = segment 3
    Files.write(plain, random(size + 1));
    h = new FileEncryption(key).encrypt(plain, c);
    assertThat(h.chunks()).isEqualTo(4);
    assertThat(Files.size(c)).isEqualTo(3L * SEG + 1 + 16);
    assertThat(h.chunkOf(size)).isEqualTo(3);
  }

  @Test
  void anEmptyFileIsOneTagOnlyChunk() throws Exception {
    Path plain = Files.write(dir.resolve("empty"), new byte[0]);
    Path c = dir.resolve("c");
    new FileEncryption(key).encrypt(plain, c);
    assertThat(Files.size(c)).isEqualTo(80);
    Path out = dir.resolve("out");
    new FileEncryption(key).decrypt(c, out);
    assertThat(out).exists().isEmptyFile();
    assertThat(new FileEncryption(key).decryptRange(c, 0, 0)).isEqualTo(Bytes.EMPTY);
  }

  @Test
  void headerLayout() throws Exception {
    Path plain = Files.write(dir.resolve("p"), random(1000));
    Path c = dir.resolve("c");
    ContainerHeader h = new FileEncryption(key).encrypt(plain, c);
    byte[] head = Arrays.copyOf(Files.readAllBytes(c), 64);
    assertThat(Bytes.wrap(head).slice(0, 20).toHexString())
        .isEqualTo("0x" + "41584e45" + "01000000" + "00040000" + "00000000000003e8");
    assertThat(Bytes32.wrap(head, 20)).isEqualTo(h.salt());
    assertThat(Bytes.wrap(head).slice(52)).isEqualTo(Bytes.wrap(new byte[12]));
    // a fresh salt each time: the same file and key never give the same container
    Path c2 = dir.resolve("c2");
    assertThat(new FileEncryption(key).encrypt(plain, c2).salt()).isNotEqualTo(h.salt());
    assertThat(Files.readAllBytes(c2)).isNotEqualTo(Files.readAllBytes(c));
  }

  @Test
  void aRangeDecryptsWithoutTheOtherChunks() throws Exception {
    byte[] data = random(3 * SEG);
    Path plain = Files.write(dir.resolve("p"), data);
    Path c = dir.resolve("c");
    new FileEncryption(key).encrypt(plain, c);
    byte[] bytes = Files.readAllBytes(c);
    bytes[2 * SEG + 5] ^= 1; // chunk 2 altered
    Files.write(c, bytes);
    assertThat(new FileEncryption(key).decryptRange(c, SEG - 100, 200))
        .isEqualTo(Bytes.wrap(data, SEG - 100, 200));
    assertThatThrownBy(() -> new FileEncryption(key).decryptRange(c, 2L * SEG, 10))
        .isInstanceOf(DecryptionException.class)
        .hasMessage(
            "authentication failed for chunk 2: wrong encryption key, or the container was altered");
    assertThatThrownBy(() -> new FileEncryption(key).decryptRange(c, 3L * SEG - 5, 6))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("outside the plaintext of " + 3 * SEG + " bytes");
  }

  @Test
  void aFailedDecryptKeepsAnExistingOutput() throws Exception {
    Path plain = Files.write(dir.resolve("p"), random(5000));
    Path c = dir.resolve("c");
    new FileEncryption(key).encrypt(plain, c, 1024);
    Path out = Files.writeString(dir.resolve("out"), "before");
    EncryptionKey other = EncryptionKey.generate(new SecureRandom());
    assertThatThrownBy(() -> new FileEncryption(other).decrypt(c, out))
        .hasMessageStartingWith("authentication failed for chunk 0");
    assertThat(out).hasContent("before");
    assertThat(dir.toFile().list()).containsExactlyInAnyOrder("p", "c", "out");
  }

  @Test
  void notContainers() throws Exception {
    Path f = Files.write(dir.resolve("f"), random(100));
    Path out = dir.resolve("out");
    FileEncryption e = new FileEncryption(key);
    assertThatThrownBy(() -> e.decrypt(f, out))
        .isInstanceOf(DecryptionException.class)
        .hasMessage("not an encrypted container: it does not start with AXNE");
    Files.write(f, random(10));
    assertThatThrownBy(() -> e.decrypt(f, out))
        .hasMessage("not an encrypted container: 10 bytes, shorter than the 64-byte header");
    byte[] h = new ContainerHeader(256, 10, Bytes32.ZERO).encode();
    h[4] = 2;
    assertThatThrownBy(() -> ContainerHeader.decode(h))
        .hasMessage("unsupported container version 2 (this client reads 1)");
    h[4] = 1;
    h[60] = 1;
    assertThatThrownBy(() -> ContainerHeader.decode(h))
        .hasMessage("container header byte 60 is reserved and not zero");
    assertThat(out).doesNotExist();
  }

  @Test
  void keyFiles() throws Exception {
    Path f = dir.resolve("k.key");
    key.writeNew(f);
    assertThat(Files.getPosixFilePermissions(f))
        .isEqualTo(PosixFilePermissions.fromString("rw-------"));
    assertThat(Files.readString(f)).matches("0x[0-9a-f]{64}\n");
    EncryptionKey loaded = EncryptionKey.load(f);
    assertThat(loaded.bytes()).isEqualTo(key.bytes());
    assertThat(loaded.toString()).doesNotContain(Files.readString(f).substring(2, 10));
    assertThatThrownBy(() -> key.writeNew(f))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("already exists");
    Files.writeString(dir.resolve("short"), "abcd");
    assertThatThrownBy(() -> EncryptionKey.load(dir.resolve("short")))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("an encryption key is 64 hex digits (32 bytes), got 4 characters");
    Files.writeString(dir.resolve("nothex"), "zz".repeat(32));
    assertThatThrownBy(() -> EncryptionKey.load(dir.resolve("nothex")))
        .hasMessageContaining("not hex");
    assertThatThrownBy(() -> EncryptionKey.load(dir.resolve("missing")))
        .isInstanceOf(InvalidInputException.class)
        .hasMessage("no such encryption key file: " + dir.resolve("missing"));
    assertThat(EncryptionKey.parse("  " + "AB".repeat(32) + "\n").bytes())
        .isEqualTo(Bytes.fromHexString("ab".repeat(32)).toArrayUnsafe());
  }
}
