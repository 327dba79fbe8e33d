package io.axivon.sdk.storage;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.json.UTF8JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.JsonSerializable;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.jsontype.TypeSerializer;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.POJONode;
import io.axivon.common.InvalidInputException;
import io.axivon.common.codec.Base64Vector;
import io.axivon.common.merkle.Subtree;
import io.axivon.sdk.storage.layout.SegmentWithProof;
import io.axivon.sdk.storage.layout.ZgProof;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import org.apache.tuweni.bytes.Bytes;
import org.apache.tuweni.bytes.Bytes32;

/**
 * The 0G JSON shapes of the storage node (shared/reference/0g-rpc.md §2): hashes as {@code 0x} + 64
 * lower-case hex digits, bytes as standard base64 with padding, u64 as JSON numbers. Parsing names
 * the parameter that is wrong in a {@link StorageRpcError}.
 */
public final class StorageJson {
  /** A request parameter that does not decode: JSON-RPC's "Invalid params" with the name. */
  public static final class InvalidParam extends InvalidInputException {
    private final String param;
    private final String detail;

    public InvalidParam(String param, String detail) {
      super("invalid params: " + param + ": " + detail);
      this.param = param;
      this.detail = detail;
    }

    public String param() {
      return param;
    }

    public String detail() {
      return detail;
    }
  }

  private StorageJson() {}

  // ---- writing ----

  public static ObjectNode segment(ObjectMapper mapper, SegmentWithProof s) {
    ObjectNode o = mapper.createObjectNode();
    o.put("root", s.root().toHexString());
    o.set("data", base64Node(s.data().toArrayUnsafe()));
    o.put("index", s.index());
    o.set("proof", proof(mapper, s.proof()));
    o.put("fileSize", s.fileSize());
    return o;
  }

  /**
   * {@code bytes} as a JSON string of standard padded base64, written without an intermediate
   * String: as a String, Jackson's escaping scan of it cost a quarter of an upload's CPU, and
   * Jackson's own binary writer was three times slower than the JDK's (intrinsic) encoder.
   */
  public static JsonNode base64Node(byte[] bytes) {
    return new POJONode(new Base64Bytes(bytes));
  }

  /** Bytes written as a base64 JSON string straight from the encoder's output. */
  /**
   * Segment base64 both ways: the Vector API codec, byte-identical to java.util.Base64 and
   * rejecting what its decoder rejects, several times faster where the JDK's intrinsic is absent.
   */
  static final Base64Vector BASE64 = new Base64Vector();

  record Base64Bytes(byte[] bytes) implements JsonSerializable {
    @Override
    public void serialize(JsonGenerator gen, SerializerProvider serializers) throws IOException {
      byte[] ascii = BASE64.encode(bytes);
      if (gen instanceof UTF8JsonGenerator) { // base64 needs no escaping: copy it as it is
        gen.writeRawUTF8String(ascii, 0, ascii.length);
      } else {
        gen.writeString(new String(ascii, StandardCharsets.ISO_8859_1));
      }
    }

    @Override
    public void serializeWithType(
        JsonGenerator gen, SerializerProvider serializers, TypeSerializer typeSer)
        throws IOException {
      serialize(gen, serializers);
    }

    @Override
    public String toString() { // what asText() of the node gives: the base64 text
      return BASE64.encodeToString(bytes);
    }
  }

  public static ObjectNode proof(ObjectMapper mapper, ZgProof p) {
    ObjectNode o = mapper.createObjectNode();
    ArrayNode lemma = o.putArray("lemma");
    p.lemma().forEach(h -> lemma.add(h.toHexString()));
    ArrayNode path = o.putArray("path");
    p.path().forEach(path::add);
    return o;
  }

  public static ObjectNode fileInfo(ObjectMapper mapper, FileInfo info) {
    FlowSubmission sub = info.submission();
    ObjectNode o = mapper.createObjectNode();
    ObjectNode tx = o.putObject("tx");
    tx.putArray("streamIds");
    tx.putArray("data");
    tx.put("dataMerkleRoot", sub.root().toHexString());
    ArrayNode nodes = tx.putArray("merkleNodes");
    for (Subtree n : sub.submission().nodes()) {
      nodes.addArray().add(n.height() + 1).add(n.root().toHexString());
    }
    tx.put("startEntryIndex", sub.startEntryIndex());
    tx.put("size", sub.size());
    tx.put("seq", sub.txSeq());
    o.put("finalized", info.finalized());
    o.put("isCached", false);
    o.put("uploadedSegNum", info.uploadedSegments());
    o.put("pruned", false);
    return o;
  }

  /**
   * {@code zgs_getSegmentBitmap}'s answer: {@code {"segments": u64, "stored": u64, "bitmap": hex}}.
   */
  public static ObjectNode bitmap(ObjectMapper mapper, SegmentBitmap b) {
    ObjectNode o = mapper.createObjectNode();
    o.put("segments", b.segments());
    o.put("stored", b.count());
    o.put("bitmap", b.toHex());
    return o;
  }

  /**
   * Reads {@code zgs_getSegmentBitmap}'s answer for a file of {@code segments} segments.
   *
   * @throws InvalidInputException if it is malformed or describes another number of segments
   */
  public static SegmentBitmap bitmap(JsonNode node, long segments) {
    if (node == null || !node.isObject()) {
      throw new InvalidInputException("expected a segment bitmap object, got " + describe(node));
    }
    long declared = u64(node.get("segments"), "segments");
    if (declared != segments) {
      throw new InvalidInputException(
          "the bitmap is of " + declared + " segments, the file has " + segments);
    }
    JsonNode hex = node.get("bitmap");
    if (hex == null || !hex.isTextual()) {
      throw new InvalidInputException("expected a hex bitmap, got " + describe(hex));
    }
    return SegmentBitmap.fromHex(segments, hex.asText());
  }

  // ---- reading ----

  public static Bytes32 hash(JsonNode node, String param) {
    if (node == null || !node.isTextual()) {
      throw new InvalidParam(param, "expected a 0x-prefixed 32-byte hex string");
    }
    String text = node.asText();
    if (!isHash(text)) {
      throw new InvalidParam(
          param, "expected 0x and 64 hex digits, got \"" + abbreviate(text) + "\"");
    }
    return Bytes32.fromHexString(text);
  }

  /**
   * Whether {@code text} is 0x and 64 hex digits ({@code String.matches} compiled its pattern on
   * every call: several hashes per uploaded segment).
   */
  private static boolean isHash(String text) {
    if (text.length() != 66 || text.charAt(0) != '0' || text.charAt(1) != 'x') {
      return false;
    }
    for (int i = 2; i < 66; i++) {
      char c = text.charAt(i);
      if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'))) {
        return false;
      }
    }
    return true;
  }

  /** A non-negative integer: a JSON number, or a decimal string (a KV SDK quirk, accepted). */
  public static long u64(JsonNode node, String param) {
    if (node != null && node.isIntegralNumber() && node.canConvertToLong() && node.asLong() >= 0) {
      return node.asLong();
    }
    if (node != null && node.isTextual() && node.asText().matches("[0-9]{1,19}")) {
      try {
        return Long.parseLong(node.asText());
      } catch (NumberFormatException e) {
        // falls through to the error
      }
    }
    throw new InvalidParam(param, "expected a non-negative integer, got " + describe(node));
  }

  public static boolean bool(JsonNode node, String param) {
    if (node == null || !node.isBoolean()) {
      throw new InvalidParam(param, "expected true or false, got " + describe(node));
    }
    return node.asBoolean();
  }

  public static Bytes base64(JsonNode node, String param) {
    if (node instanceof POJONode p && p.getPojo() instanceof Base64Bytes b) { // built in process
      return Bytes.wrap(b.bytes());
    }
    if (node == null || !node.isTextual()) {
      throw new InvalidParam(param, "expected a base64 string, got " + describe(node));
    }
    try {
      return Bytes.wrap(Base64.getDecoder().decode(node.asText()));
    } catch (IllegalArgumentException e) {
      throw new InvalidParam(param, "not valid base64: " + e.getMessage());
    }
  }

  public static SegmentWithProof segment(JsonNode node, String param) {
    if (node == null || !node.isObject()) {
      throw new InvalidParam(param, "expected a SegmentWithProof object, got " + describe(node));
    }
    Bytes32 root = hash(node.get("root"), "root");
    Bytes data = base64(node.get("data"), "data");
    long index = u64(node.get("index"), "index");
    long fileSize = u64(node.get("fileSize"), "fileSize");
    ZgProof proof = proof(node.get("proof"));
    return new SegmentWithProof(root, data, index, proof, fileSize);
  }

  public static ZgProof proof(JsonNode node) {
    if (node == null || !node.isObject()) {
      throw new InvalidParam("proof", "expected {lemma, path}, got " + describe(node));
    }
    JsonNode lemma = node.get("lemma");
    JsonNode path = node.get("path");
    if (lemma == null || !lemma.isArray() || path == null || !path.isArray()) {
      throw new InvalidParam("proof", "lemma and path must both be arrays");
    }
    if (lemma.size() > 130 || path.size() > 128) {
      throw new InvalidParam("proof", "proof too long");
    }
    List<Bytes32> hashes = new ArrayList<>(lemma.size());
    for (JsonNode h : lemma) {
      hashes.add(hash(h, "proof"));
    }
    List<Boolean> flags = new ArrayList<>(path.size());
    for (JsonNode f : path) {
      flags.add(bool(f, "proof"));
    }
    return new ZgProof(hashes, flags);
  }

  private static String describe(JsonNode node) {
    if (node == null || node.isMissingNode()) {
      return "nothing";
    }
    return abbreviate(node.toString());
  }

  private static String abbreviate(String s) {
    return s.length() > 80 ? s.substring(0, 77) + "..." : s;
  }
}
