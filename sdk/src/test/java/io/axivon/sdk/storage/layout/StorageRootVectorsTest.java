package io.axivon.sdk.storage.layout;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.axivon.common.InvalidInputException;
import io.axivon.common.crypto.Hashes;
import io.axivon.common.merkle.Subtree;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;
import org.apache.tuweni.bytes.Bytes32;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The shared 0G vectors (storage-roots.json, copied from shared/testvectors; computed with the 0G
 * TypeScript SDK 0.3.3): every root, count and submission node must match.
 */
class StorageRootVectorsTest {

  static Stream<JsonNode> vectors() throws IOException {
    try (InputStream in = StorageRootVectorsTest.class.getResourceAsStream("storage-roots.json")) {
      JsonNode doc = new ObjectMapper().readTree(in);
      List<JsonNode> out = new ArrayList<>();
      doc.get("vectors").forEach(out::add);
      assertThat(out).hasSize(11);
      return out.stream();
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("vectors")
  void reproducesZeroGravity(JsonNode v) {
    int size = v.get("size").asInt();
    byte[] data = TestFiles.generate(v.get("seed").asText(), size);
    assertThat(HexFormat.of().formatHex(Hashes.sha256(data))).isEqualTo(v.get("sha256").asText());

    FileTree tree = FileTree.of(data);
    FileLayout layout = tree.layout();
    assertThat(layout.sectors()).isEqualTo(v.get("chunks").asLong());
    assertThat(layout.paddedSectors()).isEqualTo(v.get("paddedChunks").asLong());
    assertThat(layout.segments()).isEqualTo(v.get("segments").asLong());
    assertThat(layout.paddedSegments()).isEqualTo(v.get("paddedSegments").asLong());
    assertThat(tree.root().toHexString()).isEqualTo(v.get("root").asText());

    Submission submission = tree.submission();
    assertThat(submission.length()).isEqualTo(v.at("/submission/length").asLong());
    List<Subtree> expected = new ArrayList<>();
    v.at("/submission/nodes")
        .forEach(
            n ->
                expected.add(
                    new Subtree(
                        Bytes32.fromHexString(n.get("root").asText()), n.get("height").asInt())));
    assertThat(submission.nodes()).isEqualTo(expected);
    assertThat(submission.sectors()).isEqualTo(layout.paddedSectors());
    assertThat(submission.root()).isEqualTo(tree.root());

    // every data segment's proof verifies against the root
    for (long i = 0; i < layout.segments(); i++) {
      int off = (int) layout.segmentOffset(i);
      SegmentWithProof s = tree.segment(i, data, off, layout.segmentFileBytes(i));
      assertThat(s.verify()).isEqualTo(tree.segmentRoot(i));
    }
  }

  @Test
  void paddingSegmentsAreZeroSegments() {
    byte[] data = TestFiles.generate("axivon-zg-8388609", 8388609);
    FileTree tree = FileTree.of(data);
    assertThat(tree.layout().segments()).isEqualTo(33);
    for (long i = 33; i < 36; i++) {
      assertThat(tree.segmentRoot(i)).isEqualTo(SegmentRoots.ZERO_SEGMENT);
    }
  }

  @Test
  void zeroHashesMatchTheReference() {
    assertThat(SegmentRoots.ZERO_SECTOR.toHexString())
        .isEqualTo("0xd397b3b043d87fcd6fad1291ff0bfd16401c274896d8c63a923727f077b8e0b5");
  }

  @Test
  void paddingTableOfTheReference() {
    long[][] rows = {
      {1, 1},
      {3, 3},
      {15, 15},
      {17, 18},
      {1025, 1152},
      {1800, 1920},
      {4097, 4608},
      {32769, 36864},
      {40960, 40960},
      {131073, 147456}
    };
    for (long[] r : rows) {
      assertThat(Layout.paddedSectors(r[0])).as("n=%d", r[0]).isEqualTo(r[1]);
    }
  }

  @Test
  void fileOnDiskGivesTheSameRoot(@TempDir Path dir) throws IOException {
    byte[] data = TestFiles.generate("axivon-zg-460790", 460790);
    Path file = Files.write(dir.resolve("f"), data);
    assertThat(FileTree.of(file).root().toHexString())
        .isEqualTo("0xf80a45157785ee33461c8c86be630d4920e87b6c103990e0ce41dcea69e3b571");
  }

  @Test
  void emptyFileIsRefused(@TempDir Path dir) throws IOException {
    Path file = Files.createFile(dir.resolve("empty"));
    assertThatThrownBy(() -> FileTree.of(file))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("is empty");
    assertThatThrownBy(() -> FileTree.of(new byte[0]))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("empty");
  }

  @Test
  void shortStreamIsAnError() {
    assertThatThrownBy(() -> FileTree.of(new java.io.ByteArrayInputStream(new byte[10]), 11))
        .isInstanceOf(java.io.EOFException.class);
  }
}
