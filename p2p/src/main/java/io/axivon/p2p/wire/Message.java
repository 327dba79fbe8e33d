package io.axivon.p2p.wire;

import io.axivon.p2p.PeerAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Objects;
import org.apache.tuweni.bytes.Bytes;

/** Every message a link carries after the handshake, one per frame; see {@link MessageCodec}. */
public sealed interface Message {

  MessageType type();

  /** A published message on a topic. */
  record Gossip(String topic, Bytes payload) implements Message {
    public Gossip {
      Ids.requireValid(topic, "topic");
      Objects.requireNonNull(payload, "payload");
    }

    @Override
    public MessageType type() {
      return MessageType.GOSSIP;
    }
  }

  record Request(long id, String protocol, Bytes payload) implements Message {
    public Request {
      Ids.requireValid(protocol, "protocol");
      Objects.requireNonNull(payload, "payload");
    }

    @Override
    public MessageType type() {
      return MessageType.REQUEST;
    }
  }

  /** The answer to the request with the same id; a non-OK status carries a UTF-8 message. */
  record Response(long id, ResponseStatus status, Bytes payload) implements Message {
    public Response {
      Objects.requireNonNull(status, "status");
      Objects.requireNonNull(payload, "payload");
    }

    public static Response error(long id, ResponseStatus status, String message) {
      return new Response(id, status, Bytes.wrap(MessageCodec.truncatedUtf8(message)));
    }

    public String errorMessage() {
      return new String(payload.toArrayUnsafe(), StandardCharsets.UTF_8);
    }

    @Override
    public MessageType type() {
      return MessageType.RESPONSE;
    }
  }

  record Ping(long nonce) implements Message {
    @Override
    public MessageType type() {
      return MessageType.PING;
    }
  }

  record Pong(long nonce) implements Message {
    @Override
    public MessageType type() {
      return MessageType.PONG;
    }
  }

  /** The full set of topics the sender is subscribed to; replaces the previous announcement. */
  record Subscriptions(List<String> topics) implements Message {
    public Subscriptions {
      topics = List.copyOf(topics);
      if (topics.size() > MessageCodec.MAX_TOPICS) {
        throw new IllegalArgumentException(
            "at most " + MessageCodec.MAX_TOPICS + " topics, got " + topics.size());
      }
      topics.forEach(topic -> Ids.requireValid(topic, "topic"));
    }

    @Override
    public MessageType type() {
      return MessageType.SUBSCRIPTIONS;
    }
  }

  record PexRequest() implements Message {
    @Override
    public MessageType type() {
      return MessageType.PEX_REQUEST;
    }
  }

  /** Addresses of nodes the sender is connected to; only resolved IP addresses travel. */
  record PexResponse(List<PeerAddress> peers) implements Message {
    public PexResponse {
      peers = List.copyOf(peers);
      if (peers.size() > MessageCodec.MAX_PEX_PEERS) {
        throw new IllegalArgumentException(
            "at most " + MessageCodec.MAX_PEX_PEERS + " peers, got " + peers.size());
      }
      for (PeerAddress peer : peers) {
        if (peer.address().isUnresolved()) {
          throw new IllegalArgumentException("peer exchange carries IP addresses only: " + peer);
        }
      }
    }

    @Override
    public MessageType type() {
      return MessageType.PEX_RESPONSE;
    }
  }

  record Disconnect(DisconnectReason reason, String detail) implements Message {
    public Disconnect {
      Objects.requireNonNull(reason, "reason");
      if (MessageCodec.utf8Length(detail) > MessageCodec.MAX_TEXT_BYTES) {
        throw new IllegalArgumentException("disconnect detail longer than 256 UTF-8 bytes");
      }
    }

    @Override
    public MessageType type() {
      return MessageType.DISCONNECT;
    }
  }
}
