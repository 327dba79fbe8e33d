package io.axivon.sdk.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.POJONode;
import com.fasterxml.jackson.databind.node.TextNode;
import io.axivon.sdk.storage.layout.SegmentWithProof;
import io.axivon.sdk.storage.layout.ZgProof;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.constraints.IntRange;
import org.apache.tuweni.bytes.Bytes;
import org.apache.tuweni.bytes.Bytes32;
import org.junit.jupiter.api.Test;

class SegmentJsonReaderProperties {
  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final SegmentJsonReader READER = new SegmentJsonReader(MAPPER);

  /**
   * Whether the reader's tree is Jackson's, a decoded value standing for a text that decodes to its
   * bytes.
   */
  private static boolean same(JsonNode read, JsonNode expected) {
    if (read instanceof POJONode p && p.getPojo() instanceof StorageJson.Base64Bytes b) {
      return expected.isTextual()
          && expected.asText().length() >= SegmentJsonReader.MIN_LENGTH
          && java.util.Arrays.equals(b.bytes(), Base64.getDecoder().decode(expected.asText()));
    }
    if (read.isObject() && expected.isObject() && read.size() == expected.size()) {
      for (Iterator<Map.Entry<String, JsonNode>> it = expected.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> e = it.next();
        if (!read.has(e.getKey()) || !same(read.get(e.getKey()), e.getValue())) {
          return false;
        }
      }
      return true;
    }
    if (read.isArray() && expected.isArray() && read.size() == expected.size()) {
      for (int i = 0; i < read.size(); i++) {
        if (!same(read.get(i), expected.get(i))) {
          return false;
        }
      }
      return true;
    }
    return read.equals(expected) && read.getClass() == expected.getClass();
  }

  /** Values a "data" field may hold: base64 of any length, near-base64, escapes, non-strings. */
  @Provide
  Arbitrary<JsonNode> dataValues() {
    Arbitrary<JsonNode> base64 =
        Arbitraries.bytes()
            .array(byte[].class)
            .ofMinSize(0)
            .ofMaxSize(1200)
            .map(b -> TextNode.valueOf(Base64.getEncoder().encodeToString(b)));
    Arbitrary<JsonNode> unpadded =
        Arbitraries.bytes()
            .array(byte[].class)
            .ofMinSize(250)
            .ofMaxSize(600)
            .map(b -> TextNode.valueOf(Base64.getEncoder().withoutPadding().encodeToString(b)));
    Arbitrary<JsonNode> spoiled =
        Combinators.combine(
                Arbitraries.bytes().array(byte[].class).ofMinSize(258).ofMaxSize(600),
                Arbitraries.integers().between(0, 340),
                Arbitraries.of("\"", "\\", "/", "é", "\n", " ", "=", "-", "\u0000", "\u2028"))
            .as(
                (b, at, s) -> {
                  String t = Base64.getEncoder().encodeToString(b);
                  return TextNode.valueOf(t.substring(0, at) + s + t.substring(at));
                });
    Arbitrary<JsonNode> other =
        Arbitraries.oneOf(
            Arbitraries.strings().ofMaxLength(400).map(TextNode::valueOf),
            Arbitraries.longs().map(JsonNodeFactory.instance::numberNode),
            Arbitraries.just(JsonNodeFactory.instance.nullNode()),
            Arbitraries.just(JsonNodeFactory.instance.arrayNode().add("QUJD")));
    return Arbitraries.frequencyOf(
        Tuple.of(4, base64), Tuple.of(1, unpadded), Tuple.of(3, spoiled), Tuple.of(2, other));
  }

  @Provide
  Arbitrary<JsonNode> bodies() {
    Arbitrary<JsonNode> data = dataValues();
    Arbitrary<JsonNode> segmentLike =
        Combinators.combine(data, Arbitraries.longs().greaterOrEqual(0), data)
            .as(
                (d, index, other) -> {
                  ObjectNode o = JsonNodeFactory.instance.objectNode();
                  o.put("root", "0x" + "ab".repeat(32));
                  o.set("data", d);
                  o.put("index", index);
                  o.set("notData", other); // same values under another name stay text
                  ObjectNode nested = o.putObject("proof");
                  nested.set("data", other);
                  return (JsonNode) o;
                });
    return segmentLike
        .list()
        .ofMaxSize(4)
        .map(
            segs -> {
              ObjectNode req = JsonNodeFactory.instance.objectNode();
              req.put("jsonrpc", "2.0");
              req.put("method", "zgs_uploadSegments");
              req.putArray("params").add(JsonNodeFactory.instance.arrayNode().addAll(segs));
              req.put("id", Long.MAX_VALUE);
              return req;
            });
  }

  @Property(tries = 300)
  void readsWhatJacksonReads(
      @ForAll("bodies") JsonNode body,
      @ForAll @IntRange(max = 7) int before,
      @ForAll @IntRange(max = 7) int after)
      throws IOException {
    byte[] json = MAPPER.writeValueAsBytes(body);
    byte[] padded = new byte[before + json.length + after];
    java.util.Arrays.fill(padded, (byte) '"'); // what lies around the body must not matter
    System.arraycopy(json, 0, padded, before, json.length);
    JsonNode expected = MAPPER.readTree(json);
    JsonNode read = READER.read(padded, before, json.length);
    assertThat(same(read, expected)).as("%s", read).isTrue();
  }

  @Property(tries = 200)
  void decodedDataIsWhatTheTextDecodesTo(@ForAll("dataValues") JsonNode value) throws IOException {
    ObjectNode o = JsonNodeFactory.instance.objectNode();
    o.set("data", value);
    byte[] json = MAPPER.writeValueAsBytes(o);
    JsonNode read = READER.read(json).get("data");
    if (read instanceof POJONode) {
      assertThat(StorageJson.base64(read, "data"))
          .isEqualTo(Bytes.wrap(Base64.getDecoder().decode(value.asText())));
      assertThat(value.asText().length()).isGreaterThanOrEqualTo(SegmentJsonReader.MIN_LENGTH);
    } else {
      assertThat(read).isEqualTo(MAPPER.readTree(json).get("data"));
      if (value.isTextual() && value.asText().length() >= SegmentJsonReader.MIN_LENGTH) {
        // what stays text is what the decoder refuses
        assertThatThrownBy(() -> Base64.getDecoder().decode(value.asText()))
            .isInstanceOf(IllegalArgumentException.class);
      }
    }
  }

  @Property(tries = 50)
  void segmentsParseTheSameEitherWay(
      @ForAll @IntRange(min = 1, max = 16) int sectors, @ForAll @IntRange(max = 1000) int index)
      throws IOException {
    byte[] data = new byte[sectors * 256];
    new java.util.SplittableRandom(index).nextBytes(data);
    SegmentWithProof s =
        new SegmentWithProof(
            Bytes32.repeat((byte) 7),
            Bytes.wrap(data),
            index,
            new ZgProof(List.of(Bytes32.repeat((byte) 1)), List.of()),
            12345);
    byte[] json = MAPPER.writeValueAsBytes(StorageJson.segment(MAPPER, s));
    JsonNode fast = READER.read(json);
    assertThat(fast.get("data")).isInstanceOf(POJONode.class); // the fast path was taken
    assertThat(StorageJson.segment(fast, "s")).isEqualTo(s);
    assertThat(StorageJson.segment(MAPPER.readTree(json), "s")).isEqualTo(s);
  }

  /** Bytes near a quote's value (borrows in the eight-byte test) and a few quotes among them. */
  @Provide
  Arbitrary<byte[]> quoteBytes() {
    return Arbitraries.frequencyOf(
            Tuple.of(1, Arbitraries.just((byte) '"')),
            Tuple.of(20, Arbitraries.of((byte) 0x21, (byte) 0x23, (byte) 0xa2, (byte) 0, (byte) 1)),
            Tuple.of(20, Arbitraries.bytes()))
        .array(byte[].class)
        .ofMaxSize(100);
  }

  @Property(tries = 1000)
  void findsTheFirstQuote(
      @ForAll("quoteBytes") byte[] bytes,
      @ForAll @IntRange(max = 40) int from,
      @ForAll @IntRange(max = 40) int cut) {
    int start = Math.min(from, bytes.length);
    int limit = Math.max(start, bytes.length - cut);
    int expected = start;
    while (expected < limit && bytes[expected] != '"') {
      expected++;
    }
    assertThat(SegmentJsonReader.indexOfQuote(bytes, start, limit)).isEqualTo(expected);
  }

  @Test
  void escapedBase64StaysText() throws IOException {
    String b64 = Base64.getEncoder().encodeToString(new byte[600]).replace("A", "/");
    String json = "{\"data\":\"" + b64.replace("/", "\\/") + "\"}";
    JsonNode read = READER.read(json.getBytes(StandardCharsets.UTF_8));
    assertThat(read.get("data")).isEqualTo(TextNode.valueOf(b64));
  }

  @Test
  void emptyBodyIsMissingAndBrokenJsonFails() throws IOException {
    assertThat(READER.read(new byte[0]).isMissingNode()).isTrue();
    assertThat(READER.read("  ".getBytes(StandardCharsets.UTF_8)).isMissingNode()).isTrue();
    String b64 = Base64.getEncoder().encodeToString(new byte[600]);
    List<String> broken =
        new ArrayList<>(List.of("{\"data\":\"" + b64, "{\"data\":\"" + b64 + "\""));
    for (String s : broken) {
      assertThatThrownBy(() -> READER.read(s.getBytes(StandardCharsets.UTF_8)))
          .isInstanceOf(IOException.class);
    }
  }

  @Property(tries = 200)
  void readsWhatJacksonReadsWithWhiteSpaceAround(@ForAll("bodies") JsonNode body)
      throws IOException {
    byte[] json = MAPPER.writerWithDefaultPrettyPrinter().writeValueAsBytes(body); // "data" : "…"
    JsonNode read = READER.read(json);
    assertThat(same(read, MAPPER.readTree(json))).as("%s", read).isTrue();
  }

  @Property(tries = 200)
  void aCutBodyFailsAsJacksonFails(@ForAll("bodies") JsonNode body, @ForAll long seed)
      throws IOException {
    byte[] json = MAPPER.writeValueAsBytes(body);
    int cut = (int) Math.floorMod(seed, (long) json.length);
    byte[] head = java.util.Arrays.copyOf(json, cut);
    boolean jacksonFails;
    try {
      MAPPER.readTree(head);
      jacksonFails = false;
    } catch (IOException e) {
      jacksonFails = true;
    }
    if (jacksonFails) {
      assertThatThrownBy(() -> READER.read(head)).isInstanceOf(IOException.class);
    } else {
      assertThat(same(READER.read(head), MAPPER.readTree(head))).isTrue();
    }
  }

  @Test
  void onlyTheKeyDataIsCutOut() throws IOException {
    String b64 = Base64.getEncoder().encodeToString(new byte[600]);
    ObjectNode o = JsonNodeFactory.instance.objectNode();
    o.put("k\"data", b64); // written as "k\"data":"…": the quote before data is escaped
    o.put("text", "\"data\":\"" + b64); // the key's bytes inside a string, escaped
    o.put("data", b64);
    o.putArray("list").add("data").add(b64);
    byte[] json = MAPPER.writeValueAsBytes(o);
    JsonNode read = READER.read(json);
    assertThat(read.get("k\"data")).isEqualTo(TextNode.valueOf(b64));
    assertThat(read.get("text")).isEqualTo(o.get("text"));
    assertThat(read.get("list")).isEqualTo(o.get("list"));
    assertThat(read.get("data")).isInstanceOf(POJONode.class);
    assertThat(same(read, MAPPER.readTree(json))).isTrue();
  }
}
