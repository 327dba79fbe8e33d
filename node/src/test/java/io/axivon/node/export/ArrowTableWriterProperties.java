package io.axivon.node.export;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.channels.Channels;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.ipc.ArrowFileReader;
import org.apache.arrow.vector.ipc.SeekableReadChannel;
import org.apache.arrow.vector.ipc.message.ArrowBlock;
import org.apache.arrow.vector.util.ByteArrayReadableSeekableByteChannel;
import org.apache.arrow.vector.util.Text;

/** The writer round-trips arbitrary rows through Arrow's own file reader, batch by batch. */
class ArrowTableWriterProperties {
  static final TableSchema TABLE =
      new TableSchema(
          "t",
          List.of(
              Column.required("n", Column.Type.INT64),
              Column.optional("maybe_n", Column.Type.INT64),
              Column.required("s", Column.Type.UTF8),
              Column.optional("maybe_s", Column.Type.UTF8),
              Column.required("b", Column.Type.BOOL),
              Column.optional("maybe_b", Column.Type.BOOL),
              Column.required("ts", Column.Type.TIMESTAMP_SECONDS)));

  @Provide
  Arbitrary<List<Object>> rows() {
    Arbitrary<Long> longs = Arbitraries.longs();
    Arbitrary<String> strings = Arbitraries.strings().ofMaxLength(40); // any code points
    Arbitrary<Boolean> bools = Arbitraries.of(true, false);
    return Combinators.combine(
            longs,
            longs.injectNull(0.3),
            strings,
            strings.injectNull(0.3),
            bools,
            bools.injectNull(0.3),
            Arbitraries.longs().between(0, 1L << 40))
        .as((a, b, c, d, e, f, g) -> Arrays.asList(a, b, c, d, e, f, g));
  }

  @Property(tries = 200)
  void roundTripsInBatches(
      @ForAll @Size(max = 60) List<@net.jqwik.api.From("rows") List<Object>> rows,
      @ForAll @IntRange(min = 1, max = 25) int batchRows)
      throws IOException {
    byte[] file = write(rows, batchRows, Map.of("k", "v"));
    try (BufferAllocator allocator = new RootAllocator();
        ArrowFileReader reader =
            new ArrowFileReader(
                new SeekableReadChannel(new ByteArrayReadableSeekableByteChannel(file)),
                allocator)) {
      VectorSchemaRoot root = reader.getVectorSchemaRoot();
      assertThat(root.getSchema()).isEqualTo(TABLE.arrow(Map.of("k", "v")));
      List<ArrowBlock> blocks = reader.getRecordBlocks();
      assertThat(blocks).hasSize((rows.size() + batchRows - 1) / batchRows);
      List<List<Object>> back = new ArrayList<>();
      int batch = 0;
      while (reader.loadNextBatch()) {
        int expected = Math.min(batchRows, rows.size() - batch * batchRows);
        assertThat(root.getRowCount()).isEqualTo(expected);
        for (int i = 0; i < root.getRowCount(); i++) {
          List<Object> row = new ArrayList<>();
          for (FieldVector v : root.getFieldVectors()) {
            Object o = v.getObject(i);
            row.add(o instanceof Text t ? t.toString() : o);
          }
          back.add(row);
        }
        batch++;
      }
      assertThat(back).isEqualTo(rows);
    }
  }

  @Property(tries = 30)
  void rejectsRowsThatDoNotFit(@ForAll("rows") List<Object> row, @ForAll @IntRange(max = 6) int c)
      throws IOException {
    List<Object> bad = new ArrayList<>(row);
    boolean required = !TABLE.columns().get(c).nullable();
    bad.set(c, required ? null : new Object());
    try (BufferAllocator allocator = new RootAllocator();
        ArrowTableWriter w =
            new ArrowTableWriter(
                TABLE, Map.of(), Channels.newChannel(new ByteArrayOutputStream()), allocator, 10)) {
      assertThatThrownBy(() -> w.append(bad.toArray()))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("t." + TABLE.columns().get(c).name());
      assertThatThrownBy(() -> w.append(row.subList(0, 6).toArray()))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("7 columns");
      assertThat(w.rows()).isZero();
    }
  }

  static byte[] write(List<List<Object>> rows, int batchRows, Map<String, String> metadata)
      throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (BufferAllocator allocator = new RootAllocator();
        ArrowTableWriter w =
            new ArrowTableWriter(
                TABLE, metadata, Channels.newChannel(bytes), allocator, batchRows)) {
      for (List<Object> row : rows) {
        w.append(row.toArray());
      }
      w.finish();
      assertThat(w.rows()).isEqualTo(rows.size());
      assertThat(w.batches()).isEqualTo((rows.size() + batchRows - 1) / batchRows);
    }
    return bytes.toByteArray();
  }
}
