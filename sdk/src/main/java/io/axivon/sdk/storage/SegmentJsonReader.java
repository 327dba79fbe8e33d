package io.axivon.sdk.storage;

import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.util.JsonParserDelegate;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.MissingNode;
import java.io.IOException;
import java.util.Arrays;
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
    Spliced spliced = splice(body, off, off + len);
    if (spliced != null) {
      try (JsonParser p =
          new Parser(mapper.getFactory().createParser(spliced.json), spliced, null, 0, 0)) {
        JsonNode tree = mapper.readTree(p);
        return tree == null ? MissingNode.getInstance() : tree;
      } catch (IOException e) {
        // not JSON: read the body itself so that the error is the one its own bytes give
      }
    }
    try (JsonParser p =
        new Parser(mapper.getFactory().createParser(body, off, len), null, body, off, off + len)) {
      JsonNode tree = mapper.readTree(p);
      return tree == null ? MissingNode.getInstance() : tree;
    }
  }

  /**
   * A body with the text of its long base64 {@code "data"} strings cut out (only their quotes
   * left), and those strings decoded, by the offset of their opening quote in the cut body.
   */
  private record Spliced(byte[] json, int[] quotes, StorageJson.Base64Bytes[] values) {
    StorageJson.Base64Bytes at(long quote) {
      int i = Arrays.binarySearch(quotes, 0, values.length, (int) quote);
      return i >= 0 && quote == (int) quote ? values[i] : null;
    }
  }

  private static final byte[] KEY = {'"', 'd', 'a', 't', 'a', '"'};

  /**
   * {@code body[from..limit)} spliced, or null when it has no {@code "data"} string to cut out.
   *
   * <p>Why cutting the text out gives the same tree: the bytes {@code "data"}, a colon and a quote
   * (with optional white space), the first quote after something else than a backslash, are in
   * valid JSON only ever the key {@code data} and the opening quote of its string value (that quote
   * is not escaped, and a closing quote cannot be followed by {@code data}); base64 has neither
   * quotes nor backslashes, so its first quote closes it. The cut strings become empty strings at
   * known offsets, which the parser replaces by their decoded bytes; everything else is the body's
   * own bytes. Invalid JSON stays invalid (the bytes before the first difference are the same) and
   * is then read again from the body itself. Jackson's parser thus never walks a segment's base64:
   * skipping it byte by byte cost more than decoding it.
   */
  private static Spliced splice(byte[] body, int from, int limit) {
    byte[] out = null;
    int outLen = 0;
    int copied = from; // body[from..copied) is in out
    int count = 0;
    int[] quotes = new int[4];
    StorageJson.Base64Bytes[] values = new StorageJson.Base64Bytes[4];
    int i = from;
    while (true) {
      int q = indexOfQuote(body, i, limit);
      if (q + KEY.length > limit) {
        break;
      }
      if (!Arrays.equals(body, q, q + KEY.length, KEY, 0, KEY.length)
          || (q > from && body[q - 1] == '\\')) { // an escaped quote is no key's
        i = q + 1;
        continue;
      }
      int v = skipSpace(body, q + KEY.length, limit);
      if (v >= limit || body[v] != ':') {
        i = q + 1;
        continue;
      }
      v = skipSpace(body, v + 1, limit);
      if (v >= limit || body[v] != '"') {
        i = q + 1;
        continue;
      }
      int start = v + 1;
      int end = indexOfQuote(body, start, limit);
      if (end >= limit) {
        break;
      }
      StorageJson.Base64Bytes decoded = null;
      if (end - start >= MIN_LENGTH) {
        try {
          decoded =
              new StorageJson.Base64Bytes(StorageJson.BASE64.decode(body, start, end - start));
        } catch (IllegalArgumentException e) {
          // not plain base64: the parser reads it as text and the caller says why
        }
      }
      if (decoded != null) {
        if (out == null) {
          out = new byte[Math.min(limit - from, 4096)];
        }
        out = append(out, outLen, body, copied, start - copied);
        outLen += start - copied;
        if (count == values.length) {
          quotes = Arrays.copyOf(quotes, 2 * count);
          values = Arrays.copyOf(values, 2 * count);
        }
        quotes[count] = outLen - 1; // the opening quote, now right before the closing one
        values[count++] = decoded;
        copied = end;
      }
      i = end; // the closing quote may open nothing, but look at it again all the same
    }
    if (count == 0) {
      return null;
    }
    out = append(out, outLen, body, copied, limit - copied);
    outLen += limit - copied;
    return new Spliced(
        Arrays.copyOf(out, outLen), Arrays.copyOf(quotes, count), Arrays.copyOf(values, count));
  }

  private static byte[] append(byte[] out, int outLen, byte[] src, int off, int len) {
    if (outLen + len > out.length) {
      out = Arrays.copyOf(out, Math.max(2 * out.length, outLen + len));
    }
    System.arraycopy(src, off, out, outLen, len);
    return out;
  }

  private static int skipSpace(byte[] b, int i, int limit) {
    while (i < limit && (b[i] == ' ' || b[i] == '\t' || b[i] == '\n' || b[i] == '\r')) {
      i++;
    }
    return i;
  }

  /**
   * The index of the first {@code '"'} in {@code b[from..limit)}, or {@code limit}: a vector at a
   * time (eight bytes a step left it the largest cost of reading an upload).
   */
  static int indexOfQuote(byte[] b, int from, int limit) {
    return StorageJson.BASE64.indexOf(b, from, limit, (byte) '"');
  }

  /**
   * Reports each long base64 {@code "data"} string as an embedded object (the decoded bytes), which
   * the tree builder turns into a node of it; every other token passes through unchanged.
   */
  private static final class Parser extends JsonParserDelegate {
    private final Spliced spliced; // the body the parser reads, if spliced
    private final byte[] body; // else the body, decoded here
    private final int base; // where the parser's byte offsets start in body
    private final int limit; // where the body ends
    private StorageJson.Base64Bytes decoded; // non-null while the current token is replaced

    Parser(JsonParser parser, Spliced spliced, byte[] body, int base, int limit) {
      super(parser);
      this.spliced = spliced;
      this.body = body;
      this.base = base;
      this.limit = limit;
    }

    @Override
    public JsonToken nextToken() throws IOException {
      decoded = null;
      JsonToken t = delegate.nextToken();
      if (t != JsonToken.VALUE_STRING) {
        return t;
      }
      if (spliced != null) {
        decoded = spliced.at(delegate.currentTokenLocation().getByteOffset());
        if (decoded != null && !FIELD.equals(delegate.currentName())) {
          throw new JsonParseException(this, "a cut-out string is not a data field's");
        }
      } else if (FIELD.equals(delegate.currentName())) {
        decoded = decode();
      }
      return decoded != null ? JsonToken.VALUE_EMBEDDED_OBJECT : t;
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
