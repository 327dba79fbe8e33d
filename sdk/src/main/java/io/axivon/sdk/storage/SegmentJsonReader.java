package io.axivon.sdk.storage;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.util.JsonParserDelegate;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.MissingNode;
import java.io.IOException;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.Objects;

/**
 * Reads a JSON-RPC body into a tree as {@link ObjectMapper#readTree(byte[])} does, except that the
 * string value of every {@code "data"} field that is plain base64 of at least one sector becomes
 * the decoded bytes (the node {@link StorageJson#base64Node} makes), decoded by the JDK's intrinsic
 * decoder straight from the body's bytes. A segment's base64 is most of an upload or download body:
 * as a String, Jackson's UTF-8 decoding into chars, the String and the decoder's copy of it back to
 * bytes cost more than the decoding itself.
 *
 * <p>{@link StorageJson#base64} gives the same bytes for such a node as for the text; its {@code
 * asText()} is the base64 text again. A value with escapes or anything the decoder refuses stays a
 * text node, so errors are reported exactly as before.
 */
public final class SegmentJsonReader {
  /** The base64 length of one sector (256 bytes), the least a segment's data holds. */
  static final int MIN_LENGTH = 344;

  private static final String FIELD = "data";

  private final ObjectMapper mapper;

  public SegmentJsonReader(ObjectMapper mapper) {
    this.mapper = Objects.requireNonNull(mapper, "mapper");
  }

  /** The tree of {@code body}; a {@link MissingNode} if it holds no JSON value. */
  public JsonNode read(byte[] body) throws IOException {
    return read(body, 0, body.length);
  }

  /** The tree of {@code body[off..off+len)}; a {@link MissingNode} if it holds no JSON value. */
  public JsonNode read(byte[] body, int off, int len) throws IOException {
    Objects.checkFromIndexSize(off, len, body.length);
    try (JsonParser p =
        new Parser(mapper.getFactory().createParser(body, off, len), body, off, off + len)) {
      JsonNode tree = mapper.readTree(p);
      return tree == null ? MissingNode.getInstance() : tree;
    }
  }

  private static final VarHandle LONGS =
      MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
  private static final long ONES = 0x0101010101010101L;
  private static final long HIGHS = 0x8080808080808080L;
  private static final long QUOTES = 0x2222222222222222L;

  /**
   * The index of the first {@code '"'} in {@code b[from..limit)}, or {@code limit}: eight bytes a
   * step (a byte-at-a-time loop over a segment's base64 was a tenth of an upload's parsing).
   */
  static int indexOfQuote(byte[] b, int from, int limit) {
    int i = from;
    for (; i <= limit - 8; i += 8) {
      long v = (long) LONGS.get(b, i) ^ QUOTES; // a quote byte becomes zero
      long zeros = (v - ONES) & ~v & HIGHS; // the lowest flag marks the first zero byte exactly
      if (zeros != 0) {
        return i + (Long.numberOfTrailingZeros(zeros) >>> 3);
      }
    }
    for (; i < limit; i++) {
      if (b[i] == '"') {
        return i;
      }
    }
    return limit;
  }

  /**
   * Reports each long base64 {@code "data"} string as an embedded object (the decoded bytes), which
   * the tree builder turns into a node of it; every other token passes through unchanged.
   */
  private static final class Parser extends JsonParserDelegate {
    private final byte[] body;
    private final int base; // where the parser's byte offsets start in body
    private final int limit; // where the body ends
    private StorageJson.Base64Bytes decoded; // non-null while the current token is replaced

    Parser(JsonParser parser, byte[] body, int base, int limit) {
      super(parser);
      this.body = body;
      this.base = base;
      this.limit = limit;
    }

    @Override
    public JsonToken nextToken() throws IOException {
      decoded = null;
      JsonToken t = delegate.nextToken();
      if (t == JsonToken.VALUE_STRING && FIELD.equals(delegate.currentName())) {
        decoded = decode();
        if (decoded != null) {
          return JsonToken.VALUE_EMBEDDED_OBJECT;
        }
      }
      return t;
    }

    /**
     * The bytes of the current string token if it is unescaped base64 of at least {@link
     * #MIN_LENGTH} characters, read from the body without the parser having decoded the string.
     */
    private StorageJson.Base64Bytes decode() {
      long quote = delegate.currentTokenLocation().getByteOffset();
      if (quote < 0 || base + quote >= limit || body[(int) (base + quote)] != '"') {
        return null; // no byte offsets from this parser: leave it to the parser
      }
      int start = (int) (base + quote) + 1;
      // base64 has neither quotes nor backslashes: the first quote ends an unescaped value, and a
      // backslash before it makes the decoder refuse the span
      int end = indexOfQuote(body, start, limit);
      if (end >= limit || end - start < MIN_LENGTH) {
        return null;
      }
      try {
        return new StorageJson.Base64Bytes(StorageJson.BASE64.decode(body, start, end - start));
      } catch (IllegalArgumentException e) {
        return null; // not plain base64: the parser reads it as text and the caller says why
      }
    }

    @Override
    public JsonToken nextValue() throws IOException {
      JsonToken t = nextToken();
      return t == JsonToken.FIELD_NAME ? nextToken() : t;
    }

    @Override
    public String nextFieldName() throws IOException {
      return nextToken() == JsonToken.FIELD_NAME ? delegate.currentName() : null;
    }

    @Override
    public String nextTextValue() throws IOException {
      return nextToken() == JsonToken.VALUE_STRING ? delegate.getText() : null;
    }

    @Override
    public JsonParser skipChildren() throws IOException {
      if (decoded != null) {
        return this; // a scalar has no children
      }
      return super.skipChildren();
    }

    @Override
    public JsonToken currentToken() {
      return decoded != null ? JsonToken.VALUE_EMBEDDED_OBJECT : delegate.currentToken();
    }

    @Override
    @Deprecated
    public JsonToken getCurrentToken() {
      return currentToken();
    }

    @Override
    public int currentTokenId() {
      return decoded != null ? JsonToken.VALUE_EMBEDDED_OBJECT.id() : delegate.currentTokenId();
    }

    @Override
    @Deprecated
    public int getCurrentTokenId() {
      return currentTokenId();
    }

    @Override
    public boolean hasCurrentToken() {
      return decoded != null || delegate.hasCurrentToken();
    }

    @Override
    public boolean hasTokenId(int id) {
      return decoded != null ? id == JsonToken.VALUE_EMBEDDED_OBJECT.id() : delegate.hasTokenId(id);
    }

    @Override
    public boolean hasToken(JsonToken t) {
      return decoded != null ? t == JsonToken.VALUE_EMBEDDED_OBJECT : delegate.hasToken(t);
    }

    @Override
    public Object getEmbeddedObject() throws IOException {
      return decoded != null ? decoded : delegate.getEmbeddedObject();
    }

    @Override
    public String getText() throws IOException {
      return decoded != null ? decoded.toString() : delegate.getText();
    }
  }
}
