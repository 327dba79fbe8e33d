package io.axivon.kv.store;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;
import org.apache.tuweni.bytes.Bytes;

/**
 * The bytes of replayed KV transactions that hold large values, one immutable file per tx seq
 * (specs/kv.md section 6.1): the transaction's stream data, then sha256 of each {@link #CHUNK}-byte
 * chunk of it, so a range read checks only the chunks it touches.
 *
 * <p>A file is complete before anything refers to it: written to a temporary name, fsynced,
 * renamed, and the directory fsynced, all before the LMDB commit that stores the references.
 */
final class ValueFiles {

  /** Bytes per hashed chunk: a 1 MiB page read hashes at most 1 MiB + 2 chunks. */
  static final int CHUNK = 64 << 10;

  private static final String SUFFIX = ".kvtx";
  private static final String TMP = ".tmp";

  private final Path dir;

  ValueFiles(Path dir) {
    this.dir = dir;
    try {
      Files.createDirectories(dir);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create " + dir, e);
    }
  }

  Path path(long txSeq) {
    return dir.resolve(String.format("%016x", txSeq) + SUFFIX);
  }

  /** Writes and fsyncs the file of {@code txSeq} (replacing an orphan from a crashed batch). */
  void write(long txSeq, Bytes data) {
    Path target = path(txSeq);
    Path tmp = dir.resolve(target.getFileName() + TMP);
    byte[] bytes = data.toArrayUnsafe();
    try (FileChannel ch =
        FileChannel.open(
            tmp,
            StandardOpenOption.CREATE,
            StandardOpenOption.TRUNCATE_EXISTING,
            StandardOpenOption.WRITE)) {
      writeFully(ch, ByteBuffer.wrap(bytes));
      int chunks = chunks(bytes.length);
      ByteBuffer hashes = ByteBuffer.allocate(32 * chunks);
      MessageDigest md = sha256();
      for (int c = 0; c < chunks; c++) {
        int from = c * CHUNK;
        md.update(bytes, from, Math.min(CHUNK, bytes.length - from));
        hashes.put(md.digest());
      }
      writeFully(ch, hashes.flip());
      ch.force(true);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + tmp, e);
    }
    try {
      Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
        d.force(true); // the rename itself is durable before the commit that refers to it
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot publish " + target, e);
    }
  }

  /**
   * Bytes {@code [from, from + length)} of the stream data of {@code txSeq} (of {@code txSize}
   * bytes), each chunk touched checked against its hash.
   *
   * @throws CorruptValueException if the file is missing, has the wrong size or a chunk mismatches
   */
  Bytes read(long txSeq, long txSize, long from, int length) {
    if (length == 0) {
      return Bytes.EMPTY;
    }
    Path file = path(txSeq);
    long expected = txSize + 32L * chunks(txSize);
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
      long actual = ch.size();
      if (actual != expected) {
        throw new CorruptValueException(
            "value file "
                + file
                + " of tx seq "
                + txSeq
                + " has "
                + actual
                + " bytes, expected "
                + expected);
      }
      long c0 = from / CHUNK;
      long c1 = (from + length - 1) / CHUNK;
      long start = c0 * CHUNK;
      int span = (int) (Math.min((c1 + 1) * CHUNK, txSize) - start);
      ByteBuffer body = ByteBuffer.allocate(span);
      readFully(ch, body, start);
      ByteBuffer hashes = ByteBuffer.allocate((int) (32 * (c1 - c0 + 1)));
      readFully(ch, hashes, txSize + 32 * c0);
      byte[] b = body.array();
      byte[] h = hashes.array();
      MessageDigest md = sha256();
      for (long c = c0; c <= c1; c++) {
        int off = (int) ((c - c0) * CHUNK);
        int n = Math.min(CHUNK, span - off);
        md.update(b, off, n);
        byte[] got = md.digest();
        int at = off / CHUNK * 32;
        if (!Arrays.equals(got, 0, 32, h, at, at + 32)) {
          throw new CorruptValueException(
              "value file "
                  + file
                  + " of tx seq "
                  + txSeq
                  + " is corrupt: chunk "
                  + c
                  + " (bytes "
                  + (start + off)
                  + " to "
                  + (start + off + n)
                  + ") does not match its sha256 "
                  + HexFormat.of().formatHex(h, at, at + 32));
        }
      }
      return Bytes.wrap(b, (int) (from - start), length);
    } catch (NoSuchFileException e) {
      throw new CorruptValueException(
          "value file " + file + " of tx seq " + txSeq + " is missing", e);
    } catch (IOException e) {
      throw new CorruptValueException("cannot read value file " + file + ": " + e, e);
    }
  }

  /**
   * Deletes the files of tx seqs at or after {@code cursor} and temporary files: left by a batch
   * whose LMDB commit never happened, so nothing refers to them.
   */
  int removeUncommitted(long cursor) {
    int removed = 0;
    try (DirectoryStream<Path> files = Files.newDirectoryStream(dir)) {
      for (Path f : files) {
        String name = f.getFileName().toString();
        boolean orphan = name.endsWith(TMP);
        if (!orphan && name.endsWith(SUFFIX) && name.length() == 16 + SUFFIX.length()) {
          long seq = Long.parseUnsignedLong(name.substring(0, 16), 16);
          orphan = Long.compareUnsigned(seq, cursor) >= 0;
        }
        if (orphan) {
          Files.deleteIfExists(f);
          removed++;
        }
      }
    } catch (IOException | NumberFormatException e) {
      throw new IllegalStateException("cannot clean " + dir + ": " + e, e);
    }
    return removed;
  }

  private static int chunks(long size) {
    return (int) ((size + CHUNK - 1) / CHUNK);
  }

  private static void writeFully(FileChannel ch, ByteBuffer buf) throws IOException {
    while (buf.hasRemaining()) {
      ch.write(buf);
    }
  }

  private static void readFully(FileChannel ch, ByteBuffer buf, long position) throws IOException {
    long pos = position;
    while (buf.hasRemaining()) {
      int n = ch.read(buf, pos);
      if (n < 0) {
        throw new IOException("unexpected end of file at byte " + pos);
      }
      pos += n;
    }
  }

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
