package io.axivon.node.export;

import java.io.IOException;
import java.nio.channels.WritableByteChannel;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.BigIntVector;
import org.apache.arrow.vector.BitVector;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.TimeStampSecTZVector;
import org.apache.arrow.vector.VarCharVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.ipc.ArrowFileWriter;

/**
 * Writes rows of one table as an Arrow IPC file (the Feather v2 format pandas, Polars and DuckDB
 * open) to a channel, {@code batchRows} rows per record batch, so memory holds one batch at a time
 * however many rows pass through. Not thread-safe.
 */
public final class ArrowTableWriter implements AutoCloseable {
  private final TableSchema table;
  private final int batchRows;
  private final VectorSchemaRoot root;
  private final List<FieldVector> vectors;
  private final ArrowFileWriter writer;
  private int pending; // rows in the current batch
  private long rows;
  private long batches;
  private boolean finished;

  /**
   * Starts the file: writes the magic and the schema.
   *
   * @param metadata key/value pairs stored in the file's schema (e.g. the block range)
   */
  public ArrowTableWriter(
      TableSchema table,
      Map<String, String> metadata,
      WritableByteChannel out,
      BufferAllocator allocator,
      int batchRows)
      throws IOException {
    this.table = Objects.requireNonNull(table, "table");
    if (batchRows < 1) {
      throw new IllegalArgumentException("batchRows must be positive, got " + batchRows);
    }
    this.batchRows = batchRows;
    this.root = VectorSchemaRoot.create(table.arrow(metadata), allocator);
    this.vectors = root.getFieldVectors();
    this.writer = new ArrowFileWriter(root, null, out);
    try {
      writer.start();
    } catch (IOException | RuntimeException e) {
      close();
      throw e;
    }
    root.allocateNew();
  }

  public TableSchema table() {
    return table;
  }

  /** Rows appended so far. */
  public long rows() {
    return rows;
  }

  /** Record batches written so far. */
  public long batches() {
    return batches;
  }

  /**
   * Appends one row, its values in column order ({@code null} for an empty optional column).
   *
   * @throws IllegalArgumentException if the row does not fit the columns
   */
  public void append(Object... values) throws IOException {
    if (finished) {
      throw new IllegalStateException(table.name() + " is already finished");
    }
    List<Column> columns = table.columns();
    if (values.length != columns.size()) {
      throw new IllegalArgumentException(
          table.name() + " has " + columns.size() + " columns, the row " + values.length);
    }
    for (int c = 0; c < values.length; c++) {
      Column col = columns.get(c);
      Object v = values[c];
      if (v == null ? !col.nullable() : !col.type().accepts(v)) {
        throw new IllegalArgumentException(
            table.name()
                + "."
                + col.name()
                + " takes "
                + (col.nullable() ? "null or " : "")
                + col.type()
                + ", got "
                + (v == null ? "null" : v.getClass().getSimpleName()));
      }
    }
    for (int c = 0; c < values.length; c++) {
      set(vectors.get(c), pending, values[c]);
    }
    pending++;
    rows++;
    if (pending == batchRows) {
      flush();
    }
  }

  /** Writes the last batch and the footer; the channel then holds a complete file. */
  public void finish() throws IOException {
    if (finished) {
      return;
    }
    // An empty table still gets its schema and footer, and no empty batch.
    if (pending > 0) {
      flush();
    }
    writer.end();
    finished = true;
  }

  private void flush() throws IOException {
    root.setRowCount(pending);
    writer.writeBatch();
    batches++;
    pending = 0;
    root.allocateNew(); // frees the batch just written
  }

  private static void set(FieldVector vector, int index, Object value) {
    switch (vector) {
      case BigIntVector v -> {
        if (value == null) {
          v.setNull(index);
        } else {
          v.setSafe(index, (Long) value);
        }
      }
      case TimeStampSecTZVector v -> {
        if (value == null) {
          v.setNull(index);
        } else {
          v.setSafe(index, (Long) value);
        }
      }
      case VarCharVector v -> {
        if (value == null) {
          v.setNull(index);
        } else {
          v.setSafe(index, ((String) value).getBytes(StandardCharsets.UTF_8));
        }
      }
      case BitVector v -> {
        if (value == null) {
          v.setNull(index);
        } else {
          v.setSafe(index, (Boolean) value ? 1 : 0);
        }
      }
      default ->
          throw new IllegalStateException("no writer for " + vector.getClass().getSimpleName());
    }
  }

  /**
   * Releases the Arrow memory and closes the channel (Arrow's writer owns it); a file not {@link
   * #finish() finished} is to be thrown away.
   */
  @Override
  public void close() {
    try {
      writer.close();
    } finally {
      root.close();
    }
  }
}
