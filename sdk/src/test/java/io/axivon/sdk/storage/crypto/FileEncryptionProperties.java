package io.axivon.sdk.storage.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Random;
import java.util.stream.Stream;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.lifecycle.AfterProperty;
import org.apache.commons.io.file.PathUtils;
import org.apache.tuweni.bytes.Bytes;

/**
 * Containers round-trip for any size and chunk size, any range decrypts to the slice, and every
 * alteration (a flipped byte anywhere, a wrong key, swapped, dropped or truncated chunks) fails
 * with nothing written. Small chunk sizes keep many chunks per try cheap.
 */
class FileEncryptionProperties {
  private final Path dir;

  FileEncryptionProperties() throws IOException {
    dir = Files.createTempDirectory("axne-props");
  }

  @AfterProperty
  void cleanup() throws IOException {
    PathUtils.deleteDirectory(dir);
  }

  private static byte[] random(int size, long seed) {
    byte[] b = new byte[size];
    new Random(seed).nextBytes(b);
    return b;
  }

  private static EncryptionKey key(long seed) {
    return EncryptionKey.of(random(32, seed));
  }

  private Path container(byte[] plain, EncryptionKey key, int chunkSize) throws IOException {
    Path p = Files.write(dir.resolve("plain"), plain);
    Path c = dir.resolve("container");
    new FileEncryption(key, new SecureRandom()).encrypt(p, c, chunkSize);
    return c;
  }

  /** Decrypting must fail with {@code message} and leave no output file (nor temp file). */
  private void assertFails(Path container, EncryptionKey key, String message) throws IOException {
    Path out = dir.resolve("out");
    assertThatThrownBy(() -> new FileEncryption(key).decrypt(container, out))
        .isInstanceOf(DecryptionException.class)
        .hasMessageContaining(message);
    assertThat(out).doesNotExist();
    try (Stream<Path> files = Files.list(dir)) {
      assertThat(files.map(p -> p.getFileName().toString())).noneMatch(n -> n.endsWith(".part"));
    }
  }

  @Property(tries = 80)
  void decryptOfEncryptIsTheFile(
      @ForAll @IntRange(min = 0, max = 5000) int size,
      @ForAll @IntRange(min = 128, max = 700) int chunkSize,
      @ForAll long seed)
      throws IOException {
    byte[] plain = random(size, seed);
    EncryptionKey key = key(seed + 1);
    Path c = container(plain, key, chunkSize);
    ContainerHeader h = ContainerHeader.decode(Arrays.copyOf(Files.readAllBytes(c), 64));
    assertThat(Files.size(c)).isEqualTo(h.containerSize()).isEqualTo(64 + size + 16 * h.chunks());
    assertThat(h.plainSize()).isEqualTo(size);
    Path out = dir.resolve("out");
    new FileEncryption(key).decrypt(c, out);
    assertThat(Files.readAllBytes(out)).isEqualTo(plain);
  }

  @Property(tries = 10)
  void segmentSizedChunksRoundTrip(
      @ForAll @IntRange(min = 0, max = 3 * FileEncryption.SEGMENT_CHUNK_SIZE) int size,
      @ForAll long seed)
      throws IOException {
    byte[] plain = random(size, seed);
    Path c = container(plain, key(seed), FileEncryption.SEGMENT_CHUNK_SIZE);
    Path out = dir.resolve("out");
    new FileEncryption(key(seed)).decrypt(c, out);
    assertThat(Files.readAllBytes(out)).isEqualTo(plain);
  }

  @Property(tries = 100)
  void decryptRangeIsTheSlice(
      @ForAll @IntRange(min = 1, max = 4000) int size,
      @ForAll @IntRange(min = 128, max = 600) int chunkSize,
      @ForAll @IntRange(min = 0, max = 3999) int from,
      @ForAll @IntRange(min = 0, max = 4000) int length,
      @ForAll long seed)
      throws IOException {
    int f = from % (size + 1);
    int n = Math.min(length, size - f);
    byte[] plain = random(size, seed);
    Path c = container(plain, key(seed), chunkSize);
    assertThat(new FileEncryption(key(seed)).decryptRange(c, f, n))
        .isEqualTo(Bytes.wrap(Arrays.copyOfRange(plain, f, f + n)));
  }

  @Property(tries = 60)
  void everyFlippedByteFails(
      @ForAll @IntRange(min = 0, max = 2000) int size,
      @ForAll @IntRange(min = 128, max = 400) int chunkSize,
      @ForAll @IntRange(min = 0, max = Integer.MAX_VALUE) int where,
      @ForAll @IntRange(min = 0, max = 7) int bit,
      @ForAll long seed)
      throws IOException {
    EncryptionKey key = key(seed);
    Path c = container(random(size, seed), key, chunkSize);
    byte[] bytes = Files.readAllBytes(c);
    ContainerHeader h = ContainerHeader.decode(Arrays.copyOf(bytes, 64));
    int at = where % bytes.length;
    bytes[at] ^= (byte) (1 << bit);
    Files.write(c, bytes);
    if (at < ContainerHeader.SIZE) {
      // a header byte: refused as a header (magic, version, sizes) or by chunk 0's tag
      assertFails(c, key, "");
    } else {
      long chunk = at < chunkSize ? 0 : at / chunkSize;
      assertThat(h.containerOffset(chunk)).isLessThanOrEqualTo(at);
      assertFails(c, key, "authentication failed for chunk " + chunk + ":");
    }
  }

  @Property(tries = 30)
  void aWrongKeyFailsOnChunkZero(@ForAll @IntRange(min = 0, max = 3000) int size, @ForAll long seed)
      throws IOException {
    Path c = container(random(size, seed), key(seed), 256);
    assertFails(c, key(seed + 1), "authentication failed for chunk 0: wrong encryption key");
  }

  @Property(tries = 40)
  void swappedChunksFail(
      @ForAll @IntRange(min = 500, max = 3000) int size,
      @ForAll @IntRange(min = 0, max = 100) int a,
      @ForAll @IntRange(min = 0, max = 100) int b,
      @ForAll long seed)
      throws IOException {
    int chunkSize = 200;
    EncryptionKey key = key(seed);
    Path c = container(random(size, seed), key, chunkSize);
    byte[] bytes = Files.readAllBytes(c);
    // whole chunks 1..k-1 (the last may be short, chunk 0 shares its place with the header)
    int full = bytes.length / chunkSize;
    if (full < 3) {
      return;
    }
    int i = 1 + a % (full - 1);
    int j = 1 + b % (full - 1);
    if (i == j) {
      j = i == 1 ? 2 : 1;
    }
    byte[] swapped = bytes.clone();
    System.arraycopy(bytes, i * chunkSize, swapped, j * chunkSize, chunkSize);
    System.arraycopy(bytes, j * chunkSize, swapped, i * chunkSize, chunkSize);
    Files.write(c, swapped);
    assertFails(c, key, "authentication failed for chunk " + Math.min(i, j) + ":");
  }

  @Property(tries = 40)
  void droppedOrTruncatedChunksFail(
      @ForAll @IntRange(min = 0, max = 3000) int size,
      @ForAll @IntRange(min = 1, max = 5000) int cut,
      @ForAll long seed)
      throws IOException {
    EncryptionKey key = key(seed);
    Path c = container(random(size, seed), key, 200);
    byte[] bytes = Files.readAllBytes(c);
    int keep = Math.max(0, bytes.length - cut);
    Files.write(c, Arrays.copyOf(bytes, keep));
    assertFails(c, key, keep < 64 ? "not an encrypted container" : "truncated or extended");
  }

  @Property(tries = 30)
  void aDroppedLastChunkWithARewrittenSizeFails(
      @ForAll @IntRange(min = 300, max = 3000) int size, @ForAll long seed) throws IOException {
    // even a header rewritten to claim fewer chunks fails: the header hash is in every tag
    int chunkSize = 200;
    EncryptionKey key = key(seed);
    Path c = container(random(size, seed), key, chunkSize);
    byte[] bytes = Files.readAllBytes(c);
    ContainerHeader h = ContainerHeader.decode(Arrays.copyOf(bytes, 64));
    long last = h.chunks() - 1;
    long shorter = h.plainStart(last);
    ContainerHeader forged = new ContainerHeader(chunkSize, shorter, h.salt());
    byte[] cut = Arrays.copyOf(bytes, Math.toIntExact(forged.containerSize()));
    System.arraycopy(forged.encode(), 0, cut, 0, 64);
    Files.write(c, cut);
    assertFails(c, key, "authentication failed for chunk 0:");
  }

  @Property(tries = 50)
  void headersRoundTrip(
      @ForAll @IntRange(min = 128, max = 1 << 24) int chunkSize,
      @ForAll @IntRange(min = 0, max = Integer.MAX_VALUE) int plainSize,
      @ForAll long seed) {
    ContainerHeader h =
        new ContainerHeader(
            chunkSize, plainSize * 3L, org.apache.tuweni.bytes.Bytes32.wrap(random(32, seed)));
    assertThat(ContainerHeader.decode(h.encode())).isEqualTo(h);
    // chunks tile the plaintext and the container exactly
    long last = h.chunks() - 1;
    assertThat(h.plainStart(last) + h.plainLength(last)).isEqualTo(h.plainSize());
    assertThat(h.containerOffset(last) + h.plainLength(last) + 16).isEqualTo(h.containerSize());
    assertThat(h.chunkOf(h.plainSize() == 0 ? 0 : h.plainSize() - 1)).isEqualTo(last);
  }
}
