package io.axivon.sdk.storage.crypto;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.apache.tuweni.bytes.Bytes32;

/**
 * The 64-byte header of an encrypted container (specs/storage.md, "Client-side encryption") and
 * where each chunk lies. The header and chunk 0 share the first {@code chunkSize} bytes, and every
 * later chunk takes exactly {@code chunkSize} bytes (its last chunk may be shorter), so with {@code
 * chunkSize} = one storage segment, chunk i is storage segment i.
 *
 * @param chunkSize stored bytes per chunk, the header's share of chunk 0 included
 * @param plainSize the plaintext's size in bytes
 * @param salt random per container: derives the file key
 */
public record ContainerHeader(int chunkSize, long plainSize, Bytes32 salt) {
  public static final int SIZE = 64;
  public static final int TAG_SIZE = 16;
  public static final int VERSION = 1;
  public static final int MIN_CHUNK_SIZE = 128;
  public static final int MAX_CHUNK_SIZE = 1 << 24;
  static final byte[] MAGIC = "AXNE".getBytes(StandardCharsets.US_ASCII);

  public ContainerHeader {
    if (chunkSize < MIN_CHUNK_SIZE || chunkSize > MAX_CHUNK_SIZE) {
      throw new IllegalArgumentException(
          "chunk size must be " + MIN_CHUNK_SIZE + ".." + MAX_CHUNK_SIZE + ", got " + chunkSize);
    }
    if (plainSize < 0 || plainSize > Long.MAX_VALUE / 2) {
      throw new IllegalArgumentException("bad plaintext size " + plainSize);
    }
  }

  /** Plaintext bytes in chunk 0 (the header takes the rest of its share). */
  public long firstCapacity() {
    return chunkSize - SIZE - TAG_SIZE;
  }

  /** Plaintext bytes in every chunk after 0, but a shorter last one. */
  public long capacity() {
    return chunkSize - TAG_SIZE;
  }

  /** How many chunks: at least one, so an empty plaintext is one chunk with only a tag. */
  public long chunks() {
    if (plainSize <= firstCapacity()) {
      return 1;
    }
    return 1 + Math.ceilDiv(plainSize - firstCapacity(), capacity());
  }

  /** The container's size: header, plaintext, and one tag per chunk. */
  public long containerSize() {
    return SIZE + plainSize + TAG_SIZE * chunks();
  }

  /** The plaintext offset chunk {@code i} starts at. */
  public long plainStart(long i) {
    return i == 0 ? 0 : firstCapacity() + (i - 1) * capacity();
  }

  /** The plaintext bytes chunk {@code i} holds. */
  public int plainLength(long i) {
    long cap = i == 0 ? firstCapacity() : capacity();
    return (int) Math.min(cap, plainSize - plainStart(i));
  }

  /** The container offset chunk {@code i}'s ciphertext starts at. */
  public long containerOffset(long i) {
    return i == 0 ? SIZE : i * chunkSize;
  }

  /** The chunk holding plaintext byte {@code p}. */
  public long chunkOf(long p) {
    return p < firstCapacity() ? 0 : 1 + (p - firstCapacity()) / capacity();
  }

  /** The 64 header bytes. */
  public byte[] encode() {
    ByteBuffer b = ByteBuffer.allocate(SIZE);
    b.put(MAGIC).put((byte) VERSION).put(new byte[3]);
    b.putInt(chunkSize).putLong(plainSize).put(salt.toArrayUnsafe());
    return b.array(); // the last 12 bytes stay zero (reserved)
  }

  /** Reads a header, saying precisely what is wrong with one that is not a version-1 header. */
  public static ContainerHeader decode(byte[] header) {
    if (header.length != SIZE) {
      throw new DecryptionException("a container header is " + SIZE + " bytes");
    }
    ByteBuffer b = ByteBuffer.wrap(header);
    byte[] magic = new byte[4];
    b.get(magic);
    if (!Arrays.equals(magic, MAGIC)) {
      throw new DecryptionException("not an encrypted container: it does not start with AXNE");
    }
    int version = Byte.toUnsignedInt(b.get());
    if (version != VERSION) {
      throw new DecryptionException(
          "unsupported container version " + version + " (this client reads " + VERSION + ")");
    }
    int chunkSize = b.position(8).getInt();
    long plainSize = b.getLong();
    byte[] salt = new byte[32];
    b.get(salt);
    for (int i : new int[] {5, 6, 7, 52, 53, 54, 55, 56, 57, 58, 59, 60, 61, 62, 63}) {
      if (header[i] != 0) {
        throw new DecryptionException("container header byte " + i + " is reserved and not zero");
      }
    }
    if (chunkSize < MIN_CHUNK_SIZE || chunkSize > MAX_CHUNK_SIZE) {
      throw new DecryptionException("container header: bad chunk size " + chunkSize);
    }
    if (plainSize < 0 || plainSize > Long.MAX_VALUE / 2) {
      throw new DecryptionException("container header: bad plaintext size " + plainSize);
    }
    return new ContainerHeader(chunkSize, plainSize, Bytes32.wrap(salt));
  }
}
