package io.axivon.sdk.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.TextNode;
import io.axivon.sdk.storage.layout.FileTree;
import io.axivon.sdk.storage.layout.SegmentWithProof;
import java.util.Base64;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.constraints.Size;
import org.apache.tuweni.bytes.Bytes32;
import org.junit.jupiter.api.Test;

class StorageJsonTest {
  private final ObjectMapper mapper = new ObjectMapper();

  @Property(tries = 100)
  void base64NodeWritesStandardPaddedBase64AsBytesAndAsText(@ForAll @Size(max = 600) byte[] data)
      throws Exception {
    String expected = "\"" + Base64.getEncoder().encodeToString(data) + "\"";
    JsonNode node = StorageJson.base64Node(data);
    assertThat(new String(mapper.writeValueAsBytes(node), "UTF-8")).isEqualTo(expected);
    assertThat(mapper.writeValueAsString(node)).isEqualTo(expected);
    assertThat(node.asText()).isEqualTo(Base64.getEncoder().encodeToString(data));
    assertThat(StorageJson.base64(node, "data").toArrayUnsafe()).isEqualTo(data);
    assertThat(StorageJson.base64(mapper.readTree(expected), "data").toArrayUnsafe())
        .isEqualTo(data);
  }

  @Test
  void aSegmentRoundTripsThroughTheWireAndInProcess() throws Exception {
    byte[] file = new byte[300_000];
    for (int i = 0; i < file.length; i++) {
      file[i] = (byte) (i * 7);
    }
    FileTree tree = FileTree.of(file);
    int len = tree.layout().segmentFileBytes(1);
    byte[] part =
        java.util.Arrays.copyOfRange(
            file, (int) tree.layout().segmentOffset(1), (int) tree.layout().segmentOffset(1) + len);
    SegmentWithProof s = tree.segment(1, part, 0, len);
    JsonNode built = StorageJson.segment(mapper, s);
    assertThat(StorageJson.segment(built, "s")).isEqualTo(s);
    JsonNode wire = mapper.readTree(mapper.writeValueAsBytes(built));
    SegmentWithProof parsed = StorageJson.segment(wire, "s");
    assertThat(parsed).isEqualTo(s);
    assertThat(parsed.verify()).isEqualTo(tree.segmentRoot(1));
  }

  @Provide
  Arbitrary<String> hashLike() {
    Arbitrary<Character> hexish =
        Arbitraries.oneOf(
            Arbitraries.chars().with("0123456789abcdefABCDEF"),
            Arbitraries.chars().with("gGxX /\u0660\uff10\u00e9"));
    return Arbitraries.frequencyOf(
        Tuple.of(
            5,
            Arbitraries.chars()
                .with("0123456789abcdefABCDEF")
                .list()
                .ofSize(64)
                .map(cs -> "0x" + cs.stream().map(String::valueOf).reduce("", String::concat))),
        Tuple.of(
            5,
            Combinators.combine(
                    Arbitraries.of("0x", "0X", "", "x0", "00"),
                    hexish.list().ofMinSize(62).ofMaxSize(66))
                .as((p, cs) -> p + cs.stream().map(String::valueOf).reduce("", String::concat))));
  }

  @Property(tries = 500)
  void hashAcceptsExactlyZeroXAndSixtyFourHexDigits(@ForAll("hashLike") String text) {
    boolean valid = text.matches("0x[0-9a-fA-F]{64}");
    JsonNode node = TextNode.valueOf(text);
    if (valid) {
      assertThat(StorageJson.hash(node, "root")).isEqualTo(Bytes32.fromHexString(text));
    } else {
      assertThatThrownBy(() -> StorageJson.hash(node, "root"))
          .isInstanceOf(StorageJson.InvalidParam.class);
    }
  }
}
