package io.axivon.p2p.wire;

import io.axivon.common.InvalidInputException;
import io.axivon.p2p.NodeId;
import io.axivon.p2p.PeerAddress;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.apache.tuweni.bytes.Bytes;

/**
 * The plaintext of a transport frame: one type byte, then a body whose layout depends on the type
 * (specs/p2p.md lists them). Integers are big-endian; names are a length byte and ASCII; a payload
 * is "the rest of the frame", so its size is bounded by the frame limit already checked. Decoding
 * reads nothing past the given range, allocates only after a declared count has been checked
 * against the bytes present, and fails only with {@link InvalidInputException}.
 */
public final class MessageCodec {
  public static final int MAX_TOPICS = 256;
  public static final int MAX_PEX_PEERS = 64;
  public static final int MAX_TEXT_BYTES = 256;

  /** Bytes a gossip frame adds to its payload at most (type, topic length byte, topic). */
  public static final int GOSSIP_OVERHEAD = 1 + 1 + Ids.MAX_LENGTH;

  /** Bytes a request or response frame adds to its payload at most. */
  public static final int REQUEST_OVERHEAD = 1 + 8 + 1 + Ids.MAX_LENGTH;

  private static final int PEX_ENTRY_MIN = 32 + 1 + 4 + 2;

  private MessageCodec() {}

  /**
   * The bytes of a RESPONSE before its payload ({@code type || id || status}): with the payload
   * after them, the same bytes {@link #encode} gives. Lets a large answer be sent without copying
   * it into a new array.
   */
  public static byte[] encodeResponseHeader(Message.Response response) {
    return ByteBuffer.allocate(1 + 8 + 1)
        .put((byte) MessageType.RESPONSE.code())
        .putLong(response.id())
        .put((byte) response.status().code())
        .array();
  }

  public static byte[] encode(Message message) {
    return switch (message) {
      case Message.Gossip g -> {
        byte[] topic = ascii(g.topic());
        ByteBuffer out = ByteBuffer.allocate(1 + 1 + topic.length + g.payload().size());
        out.put((byte) MessageType.GOSSIP.code()).put((byte) topic.length).put(topic);
        putBytes(out, g.payload());
        yield out.array();
      }
      case Message.Request r -> {
        byte[] protocol = ascii(r.protocol());
        ByteBuffer out = ByteBuffer.allocate(1 + 8 + 1 + protocol.length + r.payload().size());
        out.put((byte) MessageType.REQUEST.code()).putLong(r.id());
        out.put((byte) protocol.length).put(protocol);
        putBytes(out, r.payload());
        yield out.array();
      }
      case Message.Response r -> {
        ByteBuffer out = ByteBuffer.allocate(1 + 8 + 1 + r.payload().size());
        out.put((byte) MessageType.RESPONSE.code()).putLong(r.id()).put((byte) r.status().code());
        putBytes(out, r.payload());
        yield out.array();
      }
      case Message.Ping p ->
          ByteBuffer.allocate(9).put((byte) MessageType.PING.code()).putLong(p.nonce()).array();
      case Message.Pong p ->
          ByteBuffer.allocate(9).put((byte) MessageType.PONG.code()).putLong(p.nonce()).array();
      case Message.Subscriptions s -> {
        int size = 1 + 2;
        for (String topic : s.topics()) {
          size += 1 + topic.length();
        }
        ByteBuffer out = ByteBuffer.allocate(size);
        out.put((byte) MessageType.SUBSCRIPTIONS.code()).putShort((short) s.topics().size());
        for (String topic : s.topics()) {
          byte[] bytes = ascii(topic);
          out.put((byte) bytes.length).put(bytes);
        }
        yield out.array();
      }
      case Message.PexRequest ignored -> new byte[] {(byte) MessageType.PEX_REQUEST.code()};
      case Message.PexResponse p -> {
        ByteBuffer out = ByteBuffer.allocate(1 + 1 + p.peers().size() * (32 + 1 + 16 + 2));
        out.put((byte) MessageType.PEX_RESPONSE.code()).put((byte) p.peers().size());
        for (PeerAddress peer : p.peers()) {
          byte[] ip = peer.address().getAddress().getAddress();
          out.put(peer.id().bytes().toArrayUnsafe()).put((byte) ip.length).put(ip);
          out.putShort((short) peer.address().getPort());
        }
        yield java.util.Arrays.copyOf(out.array(), out.position());
      }
      case Message.Disconnect d -> {
        byte[] detail = d.detail().getBytes(StandardCharsets.UTF_8);
        ByteBuffer out = ByteBuffer.allocate(2 + detail.length);
        out.put((byte) MessageType.DISCONNECT.code()).put((byte) d.reason().code()).put(detail);
        yield out.array();
      }
    };
  }

  public static Message decode(byte[] in) {
    return decode(in, 0, in.length);
  }

  /**
   * Decodes one message from {@code in[off, off + len)}. Payloads are views of {@code in}, which
   * the caller must not change afterwards.
   *
   * @throws InvalidInputException if the bytes are not exactly one valid message
   */
  public static Message decode(byte[] in, int off, int len) {
    Reader r = new Reader(in, off, len);
    MessageType type = MessageType.ofCode(r.u8());
    Message message =
        switch (type) {
          case GOSSIP -> new Message.Gossip(r.id("topic"), r.rest());
          case REQUEST -> {
            long id = r.u64();
            yield new Message.Request(id, r.id("protocol"), r.rest());
          }
          case RESPONSE -> {
            long id = r.u64();
            ResponseStatus status = ResponseStatus.ofCode(r.u8());
            yield new Message.Response(id, status, r.rest());
          }
          case PING -> new Message.Ping(r.u64());
          case PONG -> new Message.Pong(r.u64());
          case SUBSCRIPTIONS -> {
            int count = r.u16();
            if (count > MAX_TOPICS || count * 2L > r.remaining()) {
              throw new InvalidInputException(
                  "subscription count " + count + " exceeds the limit or the frame");
            }
            List<String> topics = new ArrayList<>(count);
            for (int i = 0; i < count; i++) {
              topics.add(r.id("topic"));
            }
            yield new Message.Subscriptions(topics);
          }
          case PEX_REQUEST -> new Message.PexRequest();
          case PEX_RESPONSE -> {
            int count = r.u8();
            if (count > MAX_PEX_PEERS || (long) count * PEX_ENTRY_MIN > r.remaining()) {
              throw new InvalidInputException(
                  "peer exchange count " + count + " exceeds the limit or the frame");
            }
            List<PeerAddress> peers = new ArrayList<>(count);
            for (int i = 0; i < count; i++) {
              peers.add(r.peerAddress());
            }
            yield new Message.PexResponse(peers);
          }
          case DISCONNECT -> {
            DisconnectReason reason = DisconnectReason.ofCode(r.u8());
            if (r.remaining() > MAX_TEXT_BYTES) {
              throw new InvalidInputException("disconnect detail longer than 256 bytes");
            }
            yield new Message.Disconnect(reason, r.strictUtf8(r.remaining()));
          }
        };
    if (r.remaining() != 0) {
      throw new InvalidInputException(
          r.remaining() + " trailing bytes after a " + type.label() + " message");
    }
    return message;
  }

  static int utf8Length(String text) {
    return text.getBytes(StandardCharsets.UTF_8).length;
  }

  /** UTF-8 of {@code text}, cut at a character boundary to at most {@link #MAX_TEXT_BYTES}. */
  static byte[] truncatedUtf8(String text) {
    String s = text == null ? "" : text;
    byte[] bytes = s.getBytes(StandardCharsets.UTF_8);
    while (bytes.length > MAX_TEXT_BYTES) {
      s =
          s.substring(
              0, Math.max(0, s.length() - Math.max(1, (bytes.length - MAX_TEXT_BYTES) / 4)));
      bytes = s.getBytes(StandardCharsets.UTF_8);
    }
    return bytes;
  }

  private static byte[] ascii(String id) {
    return id.getBytes(StandardCharsets.US_ASCII);
  }

  private static void putBytes(ByteBuffer out, Bytes bytes) {
    out.put(bytes.toArrayUnsafe());
  }

  /** Bounds-checked cursor over the input range. */
  private static final class Reader {
    private final byte[] in;
    private int pos;
    private final int end;

    Reader(byte[] in, int off, int len) {
      if (off < 0 || len < 0 || off > in.length - len) {
        throw new IllegalArgumentException("range outside the array");
      }
      this.in = in;
      this.pos = off;
      this.end = off + len;
    }

    int remaining() {
      return end - pos;
    }

    private void need(int n, String what) {
      if (remaining() < n) {
        throw new InvalidInputException(
            "message ends early: " + what + " needs " + n + " bytes, " + remaining() + " left");
      }
    }

    int u8() {
      need(1, "a byte");
      return in[pos++] & 0xff;
    }

    int u16() {
      need(2, "a u16");
      int v = ((in[pos] & 0xff) << 8) | (in[pos + 1] & 0xff);
      pos += 2;
      return v;
    }

    long u64() {
      need(8, "a u64");
      long v = 0;
      for (int i = 0; i < 8; i++) {
        v = (v << 8) | (in[pos + i] & 0xff);
      }
      pos += 8;
      return v;
    }

    String id(String what) {
      int length = u8();
      if (length == 0 || length > Ids.MAX_LENGTH) {
        throw new InvalidInputException(what + " length must be 1-64, got " + length);
      }
      need(length, what);
      for (int i = 0; i < length; i++) {
        if (!Ids.allowed(in[pos + i] & 0xff)) {
          throw new InvalidInputException(what + " has a byte outside [A-Za-z0-9._/:-]");
        }
      }
      String id = new String(in, pos, length, StandardCharsets.US_ASCII);
      pos += length;
      return id;
    }

    Bytes rest() {
      // Tuweni refuses an empty view at the end of an array
      Bytes rest = remaining() == 0 ? Bytes.EMPTY : Bytes.wrap(in, pos, remaining());
      pos = end;
      return rest;
    }

    String strictUtf8(int length) {
      need(length, "text");
      try {
        String s =
            StandardCharsets.UTF_8
                .newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT)
                .decode(ByteBuffer.wrap(in, pos, length))
                .toString();
        pos += length;
        return s;
      } catch (CharacterCodingException e) {
        throw new InvalidInputException("text is not valid UTF-8", e);
      }
    }

    PeerAddress peerAddress() {
      need(33, "a peer id and address length");
      byte[] id = new byte[32];
      System.arraycopy(in, pos, id, 0, 32);
      pos += 32;
      int ipLength = u8();
      if (ipLength != 4 && ipLength != 16) {
        throw new InvalidInputException("an IP address is 4 or 16 bytes, got " + ipLength);
      }
      need(ipLength + 2, "an IP address and port");
      byte[] ip = new byte[ipLength];
      System.arraycopy(in, pos, ip, 0, ipLength);
      pos += ipLength;
      int port = u16();
      if (port == 0) {
        throw new InvalidInputException("peer port 0");
      }
      try {
        return new PeerAddress(
            NodeId.wrap(id), new InetSocketAddress(InetAddress.getByAddress(ip), port));
      } catch (UnknownHostException e) {
        throw new InvalidInputException("bad IP address bytes", e);
      }
    }
  }
}
