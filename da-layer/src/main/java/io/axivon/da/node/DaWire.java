package io.axivon.da.node;

import io.axivon.common.InvalidInputException;
import io.axivon.common.codec.Rlp;
import io.axivon.common.codec.RlpCodec;
import io.axivon.common.codec.RlpLimits;
import io.axivon.common.crypto.bls.BlsSignature;
import io.axivon.da.blob.Axis;
import io.axivon.da.blob.BadEncodingProof;
import io.axivon.da.blob.BlobSquare;
import io.axivon.da.blob.RowColumnRoots;
import io.axivon.da.blob.ShareProof;
import io.axivon.p2p.P2pLimits;
import java.util.List;
import java.util.Objects;
import org.apache.tuweni.bytes.Bytes;
import org.apache.tuweni.bytes.Bytes32;

/**
 * The DA P2P protocols (specs/da.md §9): a tag byte then an RLP body. {@code /axivon/da/disperse/1}
 * carries {@link Store} (answered {@link Stored} or {@link BadEncoding}) and {@link Sign} (answered
 * {@link Signed} or {@link BadEncoding}); {@code /axivon/da/shares/1} carries {@link GetLine}
 * (answered {@link LineReply}) and {@link GetShare} (answered a {@link ShareProof}). Refusals
 * travel as the P2P layer's remote errors.
 */
public final class DaWire {
  public static final String DISPERSE = "/axivon/da/disperse/1";
  public static final String SHARES = "/axivon/da/shares/1";

  /**
   * The P2P limits of DA links (DA nodes and dispersers). A disperser sends each member its rows
   * and columns, up to 2 · 2k lines of 2k cells per blob (64 MiB to each of four equal members for
   * a 32 MiB blob, 256 MiB to a one-member quorum), back to back; under {@link
   * P2pLimits#defaults()}'s per-peer budget (32 MiB/s, bursts of 64 MiB) its requests were dropped
   * as rate-limited (the disperser saw only timeouts) and dispersal was capped at 32 MiB/s per
   * member. DA links allow 1 GiB/s with bursts of 1 GiB; a member still checks every request's
   * assignment and roots before storing anything.
   */
  public static P2pLimits p2pLimits() {
    return P2pLimits.defaults().toBuilder()
        .byteRate(1024.0 * (1 << 20), 1024.0 * (1 << 20))
        .build();
  }

  /** Line bytes in one {@link Store} at most, so a request fits a 16 MiB P2P frame. */
  public static final int MAX_STORE_LINE_BYTES = 8 << 20;

  /** Request limit of both protocols: the lines, the roots (16 KiB at k = 128) and framing. */
  public static final int MAX_REQUEST = MAX_STORE_LINE_BYTES + (64 << 10);

  /** Response limit: one line (512 KiB), the roots, or a bad-encoding proof (≤ 1 MiB). */
  public static final int MAX_RESPONSE = (1 << 20) + (64 << 10);

  static final int MAX_LINE = 2 * BlobSquare.MAX_K * BlobSquare.SHARE_SIZE;
  private static final RlpLimits LIMITS = new RlpLimits(MAX_REQUEST, 6);

  private DaWire() {}

  /** A request of either protocol. */
  public sealed interface Request permits Store, Sign, GetLine, GetShare {}

  /** An answer of either protocol. */
  public sealed interface Reply permits Stored, Signed, BadEncoding, LineReply, ShareReply {}

  /** The row and the column of one assigned index. */
  public record LinePair(int index, Bytes row, Bytes column) {
    public LinePair {
      Objects.requireNonNull(row, "row");
      Objects.requireNonNull(column, "column");
      if (index < 0 || index >= 2 * BlobSquare.MAX_K) {
        throw new InvalidInputException("line index " + index + " is outside 0..255");
      }
    }

    static final RlpCodec<LinePair> CODEC =
        RlpCodec.struct(
            (w, p) -> w.writeUInt64(p.index()).writeBytes(p.row()).writeBytes(p.column()),
            r -> new LinePair(r.readInt(), r.readBytes(MAX_LINE), r.readBytes(MAX_LINE)));
  }

  /** Some of the receiver's assigned rows and columns of a blob, under its roots. */
  public record Store(long epoch, long quorumId, RowColumnRoots roots, List<LinePair> pairs)
      implements Request {
    public Store {
      Objects.requireNonNull(roots, "roots");
      pairs = List.copyOf(pairs);
      if (pairs.isEmpty()) {
        throw new InvalidInputException("a store request carries at least one row and column");
      }
    }
  }

  /** Asks for the signature over (dataRoot, epoch, quorumId) once every assigned line was sent. */
  public record Sign(Bytes32 dataRoot, long epoch, long quorumId) implements Request {
    public Sign {
      Objects.requireNonNull(dataRoot, "dataRoot");
    }
  }

  /** Asks for line (axis, index) of a blob. */
  public record GetLine(Bytes32 dataRoot, Axis axis, int index) implements Request {
    public GetLine {
      Objects.requireNonNull(dataRoot, "dataRoot");
      Objects.requireNonNull(axis, "axis");
      if (index < 0 || index >= 2 * BlobSquare.MAX_K) {
        throw new InvalidInputException("line index " + index + " is outside 0..255");
      }
    }
  }

  /** Asks for cell (row, col) of a blob with its proof, through whichever line the node holds. */
  public record GetShare(Bytes32 dataRoot, int row, int col) implements Request {
    public GetShare {
      Objects.requireNonNull(dataRoot, "dataRoot");
      if (row < 0 || col < 0 || row >= 2 * BlobSquare.MAX_K || col >= 2 * BlobSquare.MAX_K) {
        throw new InvalidInputException("cell (" + row + ", " + col + ") is outside 0..255");
      }
    }
  }

  /** The lines were checked against their roots and stored. */
  public record Stored() implements Reply {}

  /** The node's BLS signature over {@code DaCertificate.message(dataRoot, epoch, quorumId)}. */
  public record Signed(BlsSignature signature) implements Reply {
    public Signed {
      Objects.requireNonNull(signature, "signature");
    }
  }

  /** The node found the blob badly encoded and sends the proof instead of a signature. */
  public record BadEncoding(BadEncodingProof proof) implements Reply {
    public BadEncoding {
      Objects.requireNonNull(proof, "proof");
    }
  }

  /** A line with the blob's roots (so a retriever needs only the dataRoot to check it). */
  public record LineReply(RowColumnRoots roots, Bytes line) implements Reply {
    public LineReply {
      Objects.requireNonNull(roots, "roots");
      Objects.requireNonNull(line, "line");
    }
  }

  /** One share with its proof. */
  public record ShareReply(ShareProof proof) implements Reply {
    public ShareReply {
      Objects.requireNonNull(proof, "proof");
    }
  }

  private static final byte STORE = 1;
  private static final byte SIGN = 2;
  private static final byte GET_LINE = 3;
  private static final byte GET_SHARE = 4;
  private static final byte STORED = 11;
  private static final byte SIGNED = 12;
  private static final byte BAD_ENCODING = 13;
  private static final byte LINE = 14;
  private static final byte SHARE = 15;

  private static final RlpCodec<Store> STORE_CODEC =
      RlpCodec.struct(
          (w, s) ->
              w.writeUInt64(s.epoch())
                  .writeUInt64(s.quorumId())
                  .write(RowColumnRoots.CODEC, s.roots())
                  .writeListOf(s.pairs(), LinePair.CODEC),
          r ->
              new Store(
                  r.readUInt64(),
                  r.readUInt64(),
                  r.read(RowColumnRoots.CODEC),
                  r.readListOf(LinePair.CODEC)));
  private static final RlpCodec<Sign> SIGN_CODEC =
      RlpCodec.struct(
          (w, s) -> w.writeBytes(s.dataRoot()).writeUInt64(s.epoch()).writeUInt64(s.quorumId()),
          r -> new Sign(r.readBytes32(), r.readUInt64(), r.readUInt64()));
  private static final RlpCodec<GetLine> GET_LINE_CODEC =
      RlpCodec.struct(
          (w, g) -> w.writeBytes(g.dataRoot()).writeUInt64(g.axis().code()).writeUInt64(g.index()),
          r -> new GetLine(r.readBytes32(), Axis.ofCode(r.readUInt64()), r.readInt()));
  private static final RlpCodec<GetShare> GET_SHARE_CODEC =
      RlpCodec.struct(
          (w, g) -> w.writeBytes(g.dataRoot()).writeUInt64(g.row()).writeUInt64(g.col()),
          r -> new GetShare(r.readBytes32(), r.readInt(), r.readInt()));
  private static final RlpCodec<LineReply> LINE_CODEC =
      RlpCodec.struct(
          (w, l) -> w.write(RowColumnRoots.CODEC, l.roots()).writeBytes(l.line()),
          r -> new LineReply(r.read(RowColumnRoots.CODEC), r.readBytes(MAX_LINE)));

  /** Where {@link #encodeStore} takes the lines from, e.g. {@code ExtendedSquare::copyLine}. */
  @FunctionalInterface
  public interface LineSource {
    /** Copies line (axis, index), 2k shares, into {@code dest} at {@code offset}. */
    void copyLine(Axis axis, int index, byte[] dest, int offset);
  }

  /**
   * The {@link Store} of rows and columns {@code first .. first + count - 1} under {@code roots},
   * byte for byte {@code encode(new Store(...))}, but built in one array with each line copied once
   * from {@code lines}: a 32 MiB blob sends 256 MiB of lines, and the general path copied each line
   * three times (out of the square, into the RLP tree, flattened with the tag).
   */
  public static Bytes encodeStore(
      long epoch, long quorumId, RowColumnRoots roots, int first, int count, LineSource lines) {
    if (count < 1) {
      throw new InvalidInputException("a store request carries at least one row and column");
    }
    if (first < 0 || first + count > roots.width()) {
      throw new InvalidInputException(
          "lines " + first + ".." + (first + count - 1) + " outside 0.." + (roots.width() - 1));
    }
    int lineBytes = roots.width() * BlobSquare.SHARE_SIZE;
    Bytes head =
        Bytes.concatenate(
            Rlp.encode(Rlp.UINT64, epoch), Rlp.encode(Rlp.UINT64, quorumId), roots.encode());
    byte[] lineHeader = rlpHeader(0x80, lineBytes);
    long pairsPayload = 0;
    for (int i = first; i < first + count; i++) {
      pairsPayload += pairBytes(i, lineHeader.length, lineBytes);
    }
    byte[] pairsHeader = rlpHeader(0xc0, pairsPayload);
    long payload = head.size() + pairsHeader.length + pairsPayload;
    byte[] outer = rlpHeader(0xc0, payload);
    long total = 1 + outer.length + payload;
    if (total > MAX_REQUEST) {
      throw new InvalidInputException(
          "a store request of " + total + " bytes exceeds " + MAX_REQUEST);
    }
    byte[] out = new byte[(int) total];
    int at = 0;
    out[at++] = STORE;
    at = put(out, at, outer);
    at = put(out, at, head.toArrayUnsafe());
    at = put(out, at, pairsHeader);
    for (int i = first; i < first + count; i++) {
      byte[] index = Rlp.encode(Rlp.UINT64, (long) i).toArrayUnsafe();
      at = put(out, at, rlpHeader(0xc0, index.length + 2L * (lineHeader.length + lineBytes)));
      at = put(out, at, index);
      at = put(out, at, lineHeader);
      lines.copyLine(Axis.ROW, i, out, at);
      at += lineBytes;
      at = put(out, at, lineHeader);
      lines.copyLine(Axis.COLUMN, i, out, at);
      at += lineBytes;
    }
    return Bytes.wrap(out);
  }

  private static long pairBytes(int index, int lineHeaderBytes, int lineBytes) {
    long body = Rlp.encode(Rlp.UINT64, (long) index).size() + 2L * (lineHeaderBytes + lineBytes);
    return rlpHeader(0xc0, body).length + body;
  }

  /** An RLP string (0x80) or list (0xc0) header for a payload of {@code length} bytes. */
  private static byte[] rlpHeader(int base, long length) {
    if (length < 56) {
      return new byte[] {(byte) (base + length)};
    }
    byte[] len = Bytes.ofUnsignedLong(length).trimLeadingZeros().toArrayUnsafe();
    byte[] h = new byte[1 + len.length];
    h[0] = (byte) (base + 55 + len.length);
    System.arraycopy(len, 0, h, 1, len.length);
    return h;
  }

  private static int put(byte[] out, int at, byte[] part) {
    System.arraycopy(part, 0, out, at, part.length);
    return at + part.length;
  }

  public static Bytes encode(Request request) {
    return switch (request) {
      case Store s -> tagged(STORE, Rlp.encode(STORE_CODEC, s));
      case Sign s -> tagged(SIGN, Rlp.encode(SIGN_CODEC, s));
      case GetLine g -> tagged(GET_LINE, Rlp.encode(GET_LINE_CODEC, g));
      case GetShare g -> tagged(GET_SHARE, Rlp.encode(GET_SHARE_CODEC, g));
    };
  }

  public static Bytes encode(Reply reply) {
    return switch (reply) {
      case Stored s -> Bytes.of(STORED);
      case Signed s -> tagged(SIGNED, s.signature().toBytes());
      case BadEncoding b -> tagged(BAD_ENCODING, b.proof().encode());
      case LineReply l -> tagged(LINE, Rlp.encode(LINE_CODEC, l));
      case ShareReply s -> tagged(SHARE, s.proof().encode());
    };
  }

  /**
   * Decodes a request strictly.
   *
   * @throws InvalidInputException naming what is wrong
   */
  public static Request decodeRequest(Bytes bytes) {
    if (bytes.isEmpty()) {
      throw new InvalidInputException("empty DA request");
    }
    if (bytes.get(0) == STORE) {
      return decodeStore(bytes);
    }
    Bytes body = bytes.slice(1);
    return switch (bytes.get(0)) {
      case STORE -> decodeStoreGeneral(bytes);
      case SIGN -> Rlp.decode(SIGN_CODEC, body, LIMITS);
      case GET_LINE -> Rlp.decode(GET_LINE_CODEC, body, LIMITS);
      case GET_SHARE -> Rlp.decode(GET_SHARE_CODEC, body, LIMITS);
      default -> throw new InvalidInputException("unknown DA request tag " + bytes.get(0));
    };
  }

  /**
   * The general codec's decoding of a tagged {@link Store} (values are slices of one private copy
   * of the request): the reference {@link #decodeRequest}'s one-copy path is tested and benchmarked
   * against.
   */
  public static Store decodeStoreGeneral(Bytes tagged) {
    return Rlp.decode(STORE_CODEC, tagged.slice(1), LIMITS);
  }

  /**
   * Decodes a tagged {@link Store} exactly as {@link #decodeStoreGeneral} does (same values, same
   * inputs refused), but copies each line once, straight from {@code tagged} into an array of its
   * own: the general decoder first copies the whole request (8 MiB) and hands out slices of it,
   * which a node had to copy again to hash and store them (a 32 MiB blob sends 256 MiB of lines).
   * Only the RLP headers are read here, with the same strict rules (canonical short and long forms,
   * no leading zeros, no bytes left over in a list or after the item, the same length and depth
   * limits); the epoch, quorum id, roots and line indices go through the general codec.
   */
  static Store decodeStore(Bytes tagged) {
    int end = tagged.size();
    if (end - 1 > LIMITS.maxInputBytes()) {
      throw new InvalidInputException(
          "invalid RLP at byte 0: input of "
              + (end - 1)
              + " bytes exceeds the limit of "
              + LIMITS.maxInputBytes());
    }
    if (end < 2) {
      throw new InvalidInputException("invalid RLP at byte 0: empty input, expected one item");
    }
    Item outer = Item.read(tagged, 1, end, true, "a store request");
    if (outer.end() != end) {
      throw fail(outer.end(), (end - outer.end()) + " trailing bytes after the item");
    }
    int at = outer.start();
    Item epoch = Item.read(tagged, at, outer.end(), false, "the epoch");
    Item quorum = Item.read(tagged, epoch.end(), outer.end(), false, "the quorum id");
    Item roots = Item.read(tagged, quorum.end(), outer.end(), null, "the roots");
    Item pairs = Item.read(tagged, roots.end(), outer.end(), true, "the line pairs");
    if (pairs.end() != outer.end()) {
      throw fail(pairs.end(), "unread bytes at the end of the store request");
    }
    long e = Rlp.decode(Rlp.UINT64, epoch.whole(tagged), LIMITS);
    long q = Rlp.decode(Rlp.UINT64, quorum.whole(tagged), LIMITS);
    // the roots sit one list deeper in the request than at the top of their own decoding
    RowColumnRoots r =
        Rlp.decode(
            RowColumnRoots.CODEC,
            roots.whole(tagged),
            new RlpLimits(LIMITS.maxLength(), LIMITS.maxDepth() - 1));
    List<LinePair> list = new java.util.ArrayList<>();
    for (int p = pairs.start(); p < pairs.end(); ) {
      Item pair = Item.read(tagged, p, pairs.end(), true, "a line pair");
      Item index = Item.read(tagged, pair.start(), pair.end(), false, "a line index");
      Item row = Item.read(tagged, index.end(), pair.end(), false, "a row");
      Item column = Item.read(tagged, row.end(), pair.end(), false, "a column");
      if (column.end() != pair.end()) {
        throw fail(column.end(), "unread bytes at the end of a line pair");
      }
      long i = Rlp.decode(Rlp.UINT64, index.whole(tagged), LIMITS);
      if (i < 0 || i > Integer.MAX_VALUE) {
        throw fail(index.offset(), "integer " + Long.toUnsignedString(i) + " exceeds 2^31-1");
      }
      list.add(
          new LinePair(
              (int) i, row.payloadCopy(tagged, MAX_LINE), column.payloadCopy(tagged, MAX_LINE)));
      p = pair.end();
    }
    return new Store(e, q, r, list);
  }

  /**
   * One RLP item's header at {@code offset} of a tagged message: its payload is {@code [start,
   * end)}. Offsets in errors count from after the tag byte, as the general decoder's do.
   */
  private record Item(int offset, int start, int end, boolean list) {
    /**
     * Reads the header at {@code offset}, which must lie before {@code limit} with the whole item;
     * {@code list} true or false requires a list or a byte string, null takes either.
     */
    static Item read(Bytes in, int offset, int limit, Boolean list, String what) {
      if (offset >= limit) {
        throw fail(offset, "expected " + what + " but the enclosing list ends here");
      }
      int b = in.get(offset) & 0xff;
      boolean isList = b >= 0xc0;
      if (list != null && list != isList) {
        throw fail(offset, "expected " + what + ", found a " + (isList ? "list" : "byte string"));
      }
      int start;
      long length;
      if (b < 0x80) {
        return new Item(offset, offset, offset + 1, false);
      } else if (b <= 0xb7 || (b >= 0xc0 && b <= 0xf7)) {
        start = offset + 1;
        length = b - (isList ? 0xc0 : 0x80);
        if (!isList && length == 1) {
          if (start >= limit) {
            throw fail(offset, "malformed " + what + ": it ends early");
          }
          if ((in.get(start) & 0xff) < 0x80) {
            throw fail(offset, "malformed " + what + ": a single byte below 0x80 with a header");
          }
        }
      } else {
        int lengthBytes = b - (isList ? 0xf7 : 0xb7);
        if (offset + 1 + lengthBytes > limit) {
          throw fail(offset, "malformed " + what + ": its length ends early");
        }
        if (in.get(offset + 1) == 0) {
          throw fail(offset, "malformed " + what + ": a length with a leading zero");
        }
        length = 0;
        for (int i = 0; i < lengthBytes; i++) {
          length = (length << 8) | (in.get(offset + 1 + i) & 0xff);
        }
        if (length < 56) {
          throw fail(offset, "malformed " + what + ": a long-form length below 56");
        }
        if (lengthBytes > 4 || length > Integer.MAX_VALUE) {
          throw fail(offset, "malformed " + what + ": a length above 2^31-1");
        }
        start = offset + 1 + lengthBytes;
      }
      if (length > limit - start) {
        throw fail(offset, "malformed " + what + ": it ends early");
      }
      if (length > LIMITS.maxLength()) {
        throw fail(offset, what + " of " + length + " bytes exceeds the limit");
      }
      return new Item(offset, start, start + (int) length, isList);
    }

    /** The whole item, header included, for the general codec. */
    Bytes whole(Bytes in) {
      return in.slice(offset, end - offset);
    }

    /** A copy of the payload of a byte string of at most {@code max} bytes. */
    Bytes payloadCopy(Bytes in, int max) {
      if (end - start > max) {
        throw fail(
            offset, "byte string of " + (end - start) + " bytes, this field allows at most " + max);
      }
      return end == start ? Bytes.EMPTY : Bytes.wrap(in.slice(start, end - start).toArray());
    }
  }

  private static InvalidInputException fail(int taggedOffset, String message) {
    return new InvalidInputException("invalid RLP at byte " + (taggedOffset - 1) + ": " + message);
  }

  /**
   * Decodes a reply strictly.
   *
   * @throws InvalidInputException naming what is wrong
   */
  public static Reply decodeReply(Bytes bytes) {
    if (bytes.isEmpty()) {
      throw new InvalidInputException("empty DA reply");
    }
    Bytes body = bytes.slice(1);
    return switch (bytes.get(0)) {
      case STORED -> {
        if (!body.isEmpty()) {
          throw new InvalidInputException("a stored reply has no body");
        }
        yield new Stored();
      }
      case SIGNED -> {
        if (body.size() != BlsSignature.SIZE) {
          throw new InvalidInputException(
              "a signature is " + BlsSignature.SIZE + " bytes, got " + body.size());
        }
        yield new Signed(BlsSignature.fromBytes(body));
      }
      case BAD_ENCODING -> new BadEncoding(BadEncodingProof.decode(body));
      case LINE -> Rlp.decode(LINE_CODEC, body, LIMITS);
      case SHARE -> new ShareReply(ShareProof.decode(body));
      default -> throw new InvalidInputException("unknown DA reply tag " + bytes.get(0));
    };
  }

  private static Bytes tagged(byte tag, Bytes body) {
    return Bytes.concatenate(Bytes.of(tag), body);
  }
}
