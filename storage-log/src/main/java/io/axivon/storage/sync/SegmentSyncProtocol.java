package io.axivon.storage.sync;

import io.axivon.common.InvalidInputException;
import io.axivon.p2p.ProtocolLimits;
import io.axivon.sdk.storage.layout.Layout;
import io.axivon.sdk.storage.layout.ZgProof;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.apache.tuweni.bytes.Bytes;
import org.apache.tuweni.bytes.Bytes32;

/**
 * The segment-sync request/response protocol {@value #ID} (specs/storage.md, "Segment sync over
 * P2P"): a node asks a peer for up to {@value #MAX_SEGMENTS} segments of one submission and gets
 * back those the peer holds, each with the proof it was stored with. Big-endian fixed-width fields;
 * a decoder accepts exactly one encoding of each value.
 */
public final class SegmentSyncProtocol {
  /** The protocol id on the P2P network. */
  public static final String ID = "/axivon/storage/segments/1";

  /** Segments per request, at most: bounds a response to about 2 MiB. */
  public static final int MAX_SEGMENTS = 8;

  /** Proof siblings at most: a flow of 2^64 segments needs 64 levels, plus leaf and root. */
  static final int MAX_LEMMA = 66;

  static final int MAX_PATH = 64;

  /** root, tx seq, count, then the indices. */
  public static final int MAX_REQUEST_BYTES = 32 + 8 + 2 + 8 * MAX_SEGMENTS;

  private static final int MAX_ITEM_BYTES =
      8 + 4 + Layout.SEGMENT_SIZE + 2 + 32 * MAX_LEMMA + 2 + MAX_PATH;

  public static final int MAX_RESPONSE_BYTES = 2 + MAX_SEGMENTS * MAX_ITEM_BYTES;

  public static final ProtocolLimits LIMITS =
      new ProtocolLimits(MAX_REQUEST_BYTES, MAX_RESPONSE_BYTES);

  private SegmentSyncProtocol() {}

  /**
   * Asks for segments of the submission {@code txSeq}, whose root the asker expects to be {@code
   * root} (a peer whose flow disagrees answers with an error rather than another file's data).
   *
   * @param indices distinct segment indices within the file, ascending, 1 to {@value #MAX_SEGMENTS}
   *     of them
   */
  public record Request(Bytes32 root, long txSeq, List<Long> indices) {
    public Request {
      Objects.requireNonNull(root, "root");
      indices = List.copyOf(indices);
      if (txSeq < 0) {
        throw new InvalidInputException("tx seq must not be negative, got " + txSeq);
      }
      if (indices.isEmpty() || indices.size() > MAX_SEGMENTS) {
        throw new InvalidInputException(
            "a request names 1 to " + MAX_SEGMENTS + " segments, got " + indices.size());
      }
      long previous = -1;
      for (long i : indices) {
        if (i <= previous) {
          throw new InvalidInputException(
              "segment indices must be non-negative and strictly ascending, got " + indices);
        }
        previous = i;
      }
    }

    public Bytes encode() {
      ByteBuffer b = ByteBuffer.allocate(32 + 8 + 2 + 8 * indices.size());
      b.put(root.toArrayUnsafe()).putLong(txSeq).putShort((short) indices.size());
      for (long i : indices) {
        b.putLong(i);
      }
      return Bytes.wrap(b.array());
    }

    public static Request decode(Bytes bytes) {
      if (bytes.size() < 42) {
        throw new InvalidInputException(
            "a segment request is at least 42 bytes, got " + bytes.size());
      }
      ByteBuffer b = ByteBuffer.wrap(bytes.toArrayUnsafe());
      byte[] root = new byte[32];
      b.get(root);
      long txSeq = b.getLong();
      int count = Short.toUnsignedInt(b.getShort());
      if (bytes.size() != 42 + 8L * count) {
        throw new InvalidInputException(
            "a segment request of "
                + count
                + " indices is "
                + (42 + 8L * count)
                + " bytes, got "
                + bytes.size());
      }
      List<Long> indices = new ArrayList<>(count);
      for (int k = 0; k < count; k++) {
        indices.add(b.getLong());
      }
      return new Request(Bytes32.wrap(root), txSeq, indices);
    }
  }

  /** A segment as a peer sends it: root and file size come from the asker's own flow view. */
  public record ProvenSegment(long index, Bytes data, ZgProof proof) {
    public ProvenSegment {
      Objects.requireNonNull(data, "data");
      Objects.requireNonNull(proof, "proof");
      if (index < 0) {
        throw new InvalidInputException("segment index must not be negative, got " + index);
      }
      if (data.size() > Layout.SEGMENT_SIZE) {
        throw new InvalidInputException(
            "a segment is at most " + Layout.SEGMENT_SIZE + " bytes, got " + data.size());
      }
      if (proof.lemma().size() > MAX_LEMMA || proof.path().size() > MAX_PATH) {
        throw new InvalidInputException(
            "a proof has at most "
                + MAX_LEMMA
                + " lemma entries and "
                + MAX_PATH
                + " path flags, got "
                + proof.lemma().size()
                + " and "
                + proof.path().size());
      }
    }
  }

  /** The segments of a request the peer holds (possibly none), in any order. */
  public record Response(List<ProvenSegment> segments) {
    public Response {
      segments = List.copyOf(segments);
      if (segments.size() > MAX_SEGMENTS) {
        throw new InvalidInputException(
            "a response carries at most " + MAX_SEGMENTS + " segments, got " + segments.size());
      }
    }

    public Bytes encode() {
      int size = 2;
      for (ProvenSegment s : segments) {
        size += 8 + 4 + s.data().size() + 2 + 32 * s.proof().lemma().size() + 2;
        size += s.proof().path().size();
      }
      ByteBuffer b = ByteBuffer.allocate(size);
      b.putShort((short) segments.size());
      for (ProvenSegment s : segments) {
        b.putLong(s.index()).putInt(s.data().size()).put(s.data().toArrayUnsafe());
        b.putShort((short) s.proof().lemma().size());
        for (Bytes32 l : s.proof().lemma()) {
          b.put(l.toArrayUnsafe());
        }
        b.putShort((short) s.proof().path().size());
        for (boolean p : s.proof().path()) {
          b.put((byte) (p ? 1 : 0));
        }
      }
      return Bytes.wrap(b.array());
    }

    public static Response decode(Bytes bytes) {
      ByteBuffer b = ByteBuffer.wrap(bytes.toArrayUnsafe());
      try {
        int count = Short.toUnsignedInt(b.getShort());
        if (count > MAX_SEGMENTS) {
          throw new InvalidInputException(
              "a response carries at most " + MAX_SEGMENTS + " segments, got " + count);
        }
        List<ProvenSegment> segments = new ArrayList<>(count);
        for (int k = 0; k < count; k++) {
          long index = b.getLong();
          int len = b.getInt();
          if (len < 0 || len > Layout.SEGMENT_SIZE) {
            throw new InvalidInputException(
                "a segment is at most " + Layout.SEGMENT_SIZE + " bytes, got " + len);
          }
          byte[] data = new byte[len];
          b.get(data);
          int lemmas = Short.toUnsignedInt(b.getShort());
          if (lemmas > MAX_LEMMA) {
            throw new InvalidInputException(
                "a proof has at most " + MAX_LEMMA + " lemma entries, got " + lemmas);
          }
          List<Bytes32> lemma = new ArrayList<>(lemmas);
          for (int i = 0; i < lemmas; i++) {
            byte[] l = new byte[32];
            b.get(l);
            lemma.add(Bytes32.wrap(l));
          }
          int paths = Short.toUnsignedInt(b.getShort());
          if (paths > MAX_PATH) {
            throw new InvalidInputException(
                "a proof has at most " + MAX_PATH + " path flags, got " + paths);
          }
          List<Boolean> path = new ArrayList<>(paths);
          for (int i = 0; i < paths; i++) {
            byte flag = b.get();
            if (flag != 0 && flag != 1) {
              throw new InvalidInputException("a path flag is 0 or 1, got " + flag);
            }
            path.add(flag == 1);
          }
          segments.add(new ProvenSegment(index, Bytes.wrap(data), new ZgProof(lemma, path)));
        }
        if (b.hasRemaining()) {
          throw new InvalidInputException(
              b.remaining() + " bytes after the last segment of a response");
        }
        return new Response(segments);
      } catch (BufferUnderflowException e) {
        throw new InvalidInputException("segment response truncated at byte " + b.position());
      }
    }
  }
}
