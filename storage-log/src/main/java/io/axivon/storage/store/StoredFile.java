package io.axivon.storage.store;

import java.nio.ByteBuffer;
import java.util.Objects;
import org.apache.tuweni.bytes.Bytes32;

/**
 * What a node stores about one submitted file.
 *
 * @param txSeq the flow submission index
 * @param root the file root
 * @param size the file length in bytes
 * @param startEntryIndex the flow position, in sectors, of the file's first sector
 * @param expectedSegments segments this node keeps of the file (all, or its shard's)
 * @param storedSegments segments stored so far, each verified
 * @param finalized whether all expected segments are stored
 */
public record StoredFile(
    long txSeq,
    Bytes32 root,
    long size,
    long startEntryIndex,
    long expectedSegments,
    long storedSegments,
    boolean finalized) {
  static final int ENCODED_SIZE = 8 + 32 + 8 + 8 + 8 + 8 + 1;

  public StoredFile {
    Objects.requireNonNull(root, "root");
  }

  /** The same file with {@code stored} segments stored. */
  StoredFile withStored(long stored) {
    return new StoredFile(
        txSeq, root, size, startEntryIndex, expectedSegments, stored, stored >= expectedSegments);
  }

  StoredFile withOneMoreSegment() {
    long stored = storedSegments + 1;
    return new StoredFile(
        txSeq, root, size, startEntryIndex, expectedSegments, stored, stored >= expectedSegments);
  }

  byte[] encode() {
    return ByteBuffer.allocate(ENCODED_SIZE)
        .putLong(txSeq)
        .put(root.toArrayUnsafe())
        .putLong(size)
        .putLong(startEntryIndex)
        .putLong(expectedSegments)
        .putLong(storedSegments)
        .put((byte) (finalized ? 1 : 0))
        .array();
  }

  static StoredFile decode(byte[] bytes) {
    if (bytes.length != ENCODED_SIZE) {
      throw new IllegalStateException(
          "corrupt file record: " + bytes.length + " bytes, expected " + ENCODED_SIZE);
    }
    ByteBuffer b = ByteBuffer.wrap(bytes);
    long txSeq = b.getLong();
    byte[] root = new byte[32];
    b.get(root);
    return new StoredFile(
        txSeq,
        Bytes32.wrap(root),
        b.getLong(),
        b.getLong(),
        b.getLong(),
        b.getLong(),
        b.get() == 1);
  }
}
