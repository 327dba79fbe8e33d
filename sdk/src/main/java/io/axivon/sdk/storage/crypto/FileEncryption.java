package io.axivon.sdk.storage.crypto;

import io.axivon.common.InvalidInputException;
import io.axivon.common.crypto.Hashes;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.Mac;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.apache.tuweni.bytes.Bytes;
import org.apache.tuweni.bytes.Bytes32;

/**
 * Client-side encryption of a file into a container of AES-256-GCM chunks (specs/storage.md,
 * "Client-side encryption"): each chunk is authenticated alone, so any byte range decrypts by
 * reading only its chunks, and chunks cannot be altered, reordered, dropped or truncated
 * undetected. Streams one chunk at a time (memory: two chunk buffers); outputs appear only whole
 * (written to a temporary file beside them, then moved).
 */
public final class FileEncryption {
  /** The chunk size that makes chunk i exactly storage segment i (256 KiB). */
  public static final int SEGMENT_CHUNK_SIZE = 256 * 1024;

  private static final byte[] FILE_KEY_LABEL =
      "axivon/storage/encrypt/v1/file-key".getBytes(StandardCharsets.US_ASCII);

  private final EncryptionKey key;
  private final SecureRandom random;

  public FileEncryption(EncryptionKey key, SecureRandom random) {
    this.key = key;
    this.random = random;
  }

  public FileEncryption(EncryptionKey key) {
    this(key, new SecureRandom());
  }

  /** Encrypts {@code plain} into {@code container} with one chunk per storage segment. */
  public ContainerHeader encrypt(Path plain, Path container) throws IOException {
    return encrypt(plain, container, SEGMENT_CHUNK_SIZE);
  }

  /** Encrypts {@code plain} into {@code container} with {@code chunkSize} stored bytes a chunk. */
  public ContainerHeader encrypt(Path plain, Path container, int chunkSize) throws IOException {
    if (!Files.isRegularFile(plain)) {
      throw new InvalidInputException("no such file: " + plain);
    }
    byte[] salt = new byte[32];
    random.nextBytes(salt);
    ContainerHeader header = new ContainerHeader(chunkSize, Files.size(plain), Bytes32.wrap(salt));
    byte[] headerBytes = header.encode();
    Chunks chunks = new Chunks(header, headerBytes);
    return atomically(
        container,
        tmp -> {
          try (FileChannel in = FileChannel.open(plain, StandardOpenOption.READ);
              FileChannel out = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
            write(out, ByteBuffer.wrap(headerBytes));
            byte[] p = new byte[(int) header.capacity()];
            byte[] c = new byte[chunkSize];
            for (long i = 0; i < header.chunks(); i++) {
              int n = header.plainLength(i);
              readFully(in, p, n, header.plainStart(i), plain);
              int len = chunks.seal(i, p, n, c);
              write(out, ByteBuffer.wrap(c, 0, len));
            }
            if (in.size() != header.plainSize()) {
              throw new IOException(plain + " changed size while being encrypted");
            }
            out.force(true);
          }
          return header;
        });
  }

  /**
   * Decrypts {@code container} into {@code plain}, replacing it only on success.
   *
   * @throws DecryptionException not a container, or a chunk fails authentication
   */
  public ContainerHeader decrypt(Path container, Path plain) throws IOException {
    try (FileChannel in = FileChannel.open(container, StandardOpenOption.READ)) {
      Chunks chunks = open(in);
      ContainerHeader header = chunks.header;
      return atomically(
          plain,
          tmp -> {
            try (FileChannel out = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
              byte[] c = new byte[header.chunkSize()];
              byte[] p = new byte[header.chunkSize()];
              for (long i = 0; i < header.chunks(); i++) {
                int n = chunks.read(in, i, c);
                int len = chunks.open(i, c, n, p);
                write(out, ByteBuffer.wrap(p, 0, len));
              }
              out.force(true);
            }
            return header;
          });
    }
  }

  /**
   * The plaintext bytes {@code [from, from + length)}, reading and authenticating only the chunks
   * that hold them.
   */
  public Bytes decryptRange(Path container, long from, int length) throws IOException {
    try (FileChannel in = FileChannel.open(container, StandardOpenOption.READ)) {
      Chunks chunks = open(in);
      ContainerHeader header = chunks.header;
      if (from < 0 || length < 0 || from > header.plainSize() - length) {
        throw new InvalidInputException(
            "range ["
                + from
                + ", "
                + from
                + " + "
                + length
                + ") is outside the plaintext of "
                + header.plainSize()
                + " bytes");
      }
      byte[] result = new byte[length];
      if (length == 0) {
        return Bytes.EMPTY;
      }
      byte[] c = new byte[header.chunkSize()];
      byte[] p = new byte[header.chunkSize()];
      long end = from + length;
      for (long i = header.chunkOf(from); i <= header.chunkOf(end - 1); i++) {
        int n = chunks.read(in, i, c);
        int len = chunks.open(i, c, n, p);
        long start = header.plainStart(i);
        long a = Math.max(from, start);
        long b = Math.min(end, start + len);
        System.arraycopy(p, (int) (a - start), result, (int) (a - from), (int) (b - a));
      }
      return Bytes.wrap(result);
    }
  }

  /** Reads and checks the header, and the container's size against it. */
  private Chunks open(FileChannel in) throws IOException {
    long size = in.size();
    if (size < ContainerHeader.SIZE) {
      throw new DecryptionException(
          "not an encrypted container: "
              + size
              + " bytes, shorter than the "
              + ContainerHeader.SIZE
              + "-byte header");
    }
    byte[] headerBytes = new byte[ContainerHeader.SIZE];
    readFully(in, headerBytes, headerBytes.length, 0, null);
    ContainerHeader header = ContainerHeader.decode(headerBytes);
    if (size != header.containerSize()) {
      throw new DecryptionException(
          "the container is "
              + size
              + " bytes but its header describes "
              + header.containerSize()
              + " (truncated or extended)");
    }
    return new Chunks(header, headerBytes);
  }

  /** Seals and opens the chunks of one container: its file key and associated data. */
  private final class Chunks {
    final ContainerHeader header;
    final SecretKeySpec fileKey;
    final byte[] headerHash;
    final Cipher cipher;

    Chunks(ContainerHeader header, byte[] headerBytes) {
      this.header = header;
      this.headerHash = Hashes.sha256(headerBytes);
      try {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(key.bytes(), "HmacSHA256"));
        mac.update(FILE_KEY_LABEL);
        this.fileKey = new SecretKeySpec(mac.doFinal(header.salt().toArrayUnsafe()), "AES");
        this.cipher = Cipher.getInstance("AES/GCM/NoPadding");
      } catch (GeneralSecurityException e) {
        throw new IllegalStateException("the JDK lacks HmacSHA256 or AES/GCM", e);
      }
    }

    /** Encrypts {@code p[0, n)} as chunk {@code i} into {@code c}; returns its length. */
    int seal(long i, byte[] p, int n, byte[] c) {
      try {
        cipher.init(Cipher.ENCRYPT_MODE, fileKey, new GCMParameterSpec(128, nonce(i)));
        cipher.updateAAD(aad(i));
        return cipher.doFinal(p, 0, n, c, 0);
      } catch (GeneralSecurityException e) {
        throw new IllegalStateException("AES-GCM failed on chunk " + i, e);
      }
    }

    /** Decrypts chunk {@code i} ({@code c[0, n)}) into {@code p}; returns the plaintext length. */
    int open(long i, byte[] c, int n, byte[] p) {
      try {
        cipher.init(Cipher.DECRYPT_MODE, fileKey, new GCMParameterSpec(128, nonce(i)));
        cipher.updateAAD(aad(i));
        return cipher.doFinal(c, 0, n, p, 0);
      } catch (AEADBadTagException e) {
        throw new DecryptionException(
            "authentication failed for chunk "
                + i
                + ": wrong encryption key, or the container was altered");
      } catch (GeneralSecurityException e) {
        throw new IllegalStateException("AES-GCM failed on chunk " + i, e);
      }
    }

    /** Reads chunk {@code i}'s ciphertext and tag into {@code c}; returns their length. */
    int read(FileChannel in, long i, byte[] c) throws IOException {
      int n = header.plainLength(i) + ContainerHeader.TAG_SIZE;
      readFully(in, c, n, header.containerOffset(i), null);
      return n;
    }

    /** Unique per chunk under one file key, which is unique per container (its random salt). */
    private static byte[] nonce(long i) {
      return ByteBuffer.allocate(12).putInt(0).putLong(i).array();
    }

    /** Binds the header, the chunk's place and whether it is the last. */
    private byte[] aad(long i) {
      return ByteBuffer.allocate(41)
          .put(headerHash)
          .putLong(i)
          .put((byte) (i == header.chunks() - 1 ? 1 : 0))
          .array();
    }
  }

  private interface Writer<T> {
    T write(Path tmp) throws IOException;
  }

  /** Runs {@code writer} on a temporary file beside {@code target}, then moves it into place. */
  private static <T> T atomically(Path target, Writer<T> writer) throws IOException {
    Path dir = target.toAbsolutePath().getParent();
    if (Files.isDirectory(target)) {
      throw new InvalidInputException("is a directory: " + target);
    }
    if (!Files.isDirectory(dir)) {
      throw new InvalidInputException("no such directory: " + dir);
    }
    Path tmp = Files.createTempFile(dir, "." + target.getFileName() + ".", ".part");
    boolean done = false;
    try {
      T result = writer.write(tmp);
      Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      done = true;
      return result;
    } finally {
      if (!done) {
        Files.deleteIfExists(tmp);
      }
    }
  }

  private static void write(FileChannel out, ByteBuffer b) throws IOException {
    while (b.hasRemaining()) {
      out.write(b);
    }
  }

  private static void readFully(FileChannel in, byte[] buf, int n, long position, Path file)
      throws IOException {
    ByteBuffer b = ByteBuffer.wrap(buf, 0, n);
    while (b.hasRemaining()) {
      int r = in.read(b, position + b.position());
      if (r < 0) {
        throw new IOException(
            (file == null ? "the container" : file.toString()) + " ended early (changed?)");
      }
    }
  }
}
