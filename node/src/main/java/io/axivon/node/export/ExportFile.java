package io.axivon.node.export;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Map;
import org.apache.arrow.memory.BufferAllocator;

/**
 * One table's file in the export directory: written as {@code NAME.arrow.tmp} and renamed to {@code
 * NAME.arrow} only by {@link #commit()}, so a crashed or failed export never leaves a partial file
 * under the final name. Closing without committing deletes the temporary file.
 */
public final class ExportFile implements AutoCloseable {
  private final Path tmp;
  private final Path target;
  private final ArrowTableWriter writer;
  private boolean committed;
  private boolean closed;

  private ExportFile(Path tmp, Path target, ArrowTableWriter writer) {
    this.tmp = tmp;
    this.target = target;
    this.writer = writer;
  }

  public static ExportFile open(
      Path dir,
      TableSchema table,
      Map<String, String> metadata,
      BufferAllocator allocator,
      int batchRows)
      throws IOException {
    Path target = dir.resolve(table.fileName());
    Path tmp = dir.resolve(table.fileName() + ".tmp");
    FileChannel channel =
        FileChannel.open(
            tmp,
            StandardOpenOption.CREATE,
            StandardOpenOption.TRUNCATE_EXISTING,
            StandardOpenOption.WRITE);
    try {
      return new ExportFile(
          tmp, target, new ArrowTableWriter(table, metadata, channel, allocator, batchRows));
    } catch (IOException | RuntimeException e) {
      channel.close();
      Files.deleteIfExists(tmp);
      throw e;
    }
  }

  public ArrowTableWriter writer() {
    return writer;
  }

  public Path target() {
    return target;
  }

  /** Ends the file, syncs it and renames it to its final name (replacing an older export). */
  public void commit() throws IOException {
    writer.finish();
    writer.close();
    closed = true;
    try (FileChannel sync = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
      sync.force(true);
    }
    try {
      Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (AtomicMoveNotSupportedException e) {
      Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
    }
    committed = true;
  }

  /** Without a commit: releases the memory and deletes the temporary file. */
  @Override
  public void close() throws IOException {
    if (committed) {
      return;
    }
    try {
      if (!closed) {
        closed = true;
        writer.close();
      }
    } finally {
      Files.deleteIfExists(tmp);
    }
  }
}
