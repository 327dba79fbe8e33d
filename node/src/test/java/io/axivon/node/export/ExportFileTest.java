package io.axivon.node.export;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.ipc.ArrowFileReader;
import org.apache.arrow.vector.ipc.SeekableReadChannel;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ExportFileTest {
  @TempDir Path dir;

  @Test
  void appearsUnderItsNameOnlyOnCommit() throws Exception {
    Files.writeString(dir.resolve("t.arrow"), "an older export");
    try (BufferAllocator allocator = new RootAllocator();
        ExportFile f =
            ExportFile.open(dir, ArrowTableWriterProperties.TABLE, Map.of(), allocator, 2)) {
      f.writer().append(1L, null, "a", null, true, null, 5L);
      f.writer().append(2L, 3L, "b", "c", false, true, 6L);
      f.writer().append(3L, null, "d", null, true, null, 7L);
      assertThat(dir.resolve("t.arrow.tmp")).exists();
      assertThat(dir.resolve("t.arrow")).hasContent("an older export");
      f.commit();
    }
    assertThat(dir.resolve("t.arrow.tmp")).doesNotExist();
    try (BufferAllocator allocator = new RootAllocator();
        ArrowFileReader reader =
            new ArrowFileReader(
                new SeekableReadChannel(Files.newByteChannel(dir.resolve("t.arrow"))), allocator)) {
      assertThat(reader.getRecordBlocks()).hasSize(2);
      long rows = 0;
      while (reader.loadNextBatch()) {
        rows += reader.getVectorSchemaRoot().getRowCount();
      }
      assertThat(rows).isEqualTo(3);
    }
  }

  @Test
  void closingWithoutCommitLeavesNothing() throws Exception {
    try (BufferAllocator allocator = new RootAllocator();
        ExportFile f =
            ExportFile.open(dir, ArrowTableWriterProperties.TABLE, Map.of(), allocator, 2)) {
      f.writer().append(1L, null, "a", null, true, null, 5L);
    }
    try (var files = Files.list(dir)) {
      assertThat(files).isEmpty();
    }
  }
}
