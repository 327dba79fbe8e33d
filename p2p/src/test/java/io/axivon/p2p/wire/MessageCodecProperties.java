package io.axivon.p2p.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.axivon.common.InvalidInputException;
import io.axivon.p2p.NodeId;
import io.axivon.p2p.PeerAddress;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.Arrays;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import org.apache.tuweni.bytes.Bytes;

class MessageCodecProperties {

  @Property
  void everyMessageRoundTrips(@ForAll("messages") Message message) {
    byte[] encoded = MessageCodec.encode(message);
    assertThat(encoded[0] & 0xff).isEqualTo(message.type().code());
    assertThat(MessageCodec.decode(encoded)).isEqualTo(message);
  }

  @Property
  void aResponseHeaderFollowedByItsPayloadIsItsEncoding(
      @ForAll long id, @ForAll ResponseStatus status, @ForAll @Size(max = 300) byte[] payload) {
    Message.Response response = new Message.Response(id, status, Bytes.wrap(payload));
    byte[] head = MessageCodec.encodeResponseHeader(response);
    byte[] joined = Arrays.copyOf(head, head.length + payload.length);
    System.arraycopy(payload, 0, joined, head.length, payload.length);
    assertThat(joined).isEqualTo(MessageCodec.encode(response));
  }

  @Property
  void decodingInsideALargerArrayReadsOnlyTheRange(
      @ForAll("messages") Message message,
      @ForAll @Size(max = 8) byte[] before,
      @ForAll @Size(max = 8) byte[] after) {
    byte[] encoded = MessageCodec.encode(message);
    byte[] framed = new byte[before.length + encoded.length + after.length];
    System.arraycopy(before, 0, framed, 0, before.length);
    System.arraycopy(encoded, 0, framed, before.length, encoded.length);
    System.arraycopy(after, 0, framed, before.length + encoded.length, after.length);
    assertThat(MessageCodec.decode(framed, before.length, encoded.length)).isEqualTo(message);
  }

  @Property(tries = 2000)
  void arbitraryBytesGiveAMessageOrATypedError(@ForAll @Size(max = 600) byte[] input) {
    decodeOrTypedError(input);
  }

  @Property(tries = 2000)
  void arbitraryBodiesAfterAKnownTypeGiveAMessageOrATypedError(
      @ForAll("typeCodes") int type, @ForAll @Size(max = 600) byte[] body) {
    byte[] input = new byte[body.length + 1];
    input[0] = (byte) type;
    System.arraycopy(body, 0, input, 1, body.length);
    decodeOrTypedError(input);
  }

  @Property
  void truncatedOrExtendedEncodingsGiveAMessageOrATypedError(
      @ForAll("messages") Message message,
      @ForAll @IntRange(min = 0, max = 100) int cut,
      @ForAll byte extra) {
    byte[] encoded = MessageCodec.encode(message);
    decodeOrTypedError(Arrays.copyOf(encoded, Math.max(0, encoded.length - cut)));
    byte[] longer = Arrays.copyOf(encoded, encoded.length + 1);
    longer[encoded.length] = extra;
    decodeOrTypedError(longer);
  }

  @Example
  void countsBeyondTheFrameAreRefusedBeforeAllocating() {
    byte[] subscriptions = {0x12, (byte) 0xff, (byte) 0xff};
    assertThatThrownBy(() -> MessageCodec.decode(subscriptions))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("exceeds");
    byte[] pex = {0x14, 64};
    assertThatThrownBy(() -> MessageCodec.decode(pex))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("exceeds");
  }

  @Example
  void emptyPayloadsDecode() {
    Message.Gossip gossip = new Message.Gossip("t", Bytes.EMPTY);
    assertThat(MessageCodec.decode(MessageCodec.encode(gossip))).isEqualTo(gossip);
  }

  @Example
  void errorTextIsCutToTheLimitAtACharacterBoundary() {
    Message.Response r = Message.Response.error(1, ResponseStatus.ERROR, "é".repeat(300));
    assertThat(r.payload().size()).isLessThanOrEqualTo(MessageCodec.MAX_TEXT_BYTES);
    assertThat(r.errorMessage()).matches("é+");
  }

  private static void decodeOrTypedError(byte[] input) {
    Message decoded;
    try {
      decoded = MessageCodec.decode(input);
    } catch (InvalidInputException e) {
      assertThat(e.getMessage()).isNotBlank();
      return;
    }
    // whatever decodes is a well-formed message that survives another round
    assertThat(MessageCodec.decode(MessageCodec.encode(decoded))).isEqualTo(decoded);
  }

  @Provide
  Arbitrary<Integer> typeCodes() {
    return Arbitraries.of(MessageType.values()).map(MessageType::code);
  }

  @Provide
  Arbitrary<Message> messages() {
    Arbitrary<Bytes> payloads =
        Arbitraries.bytes().array(byte[].class).ofMaxSize(300).map(Bytes::wrap);
    Arbitrary<String> ids = ids();
    return Arbitraries.oneOf(
        Combinators.combine(ids, payloads).as(Message.Gossip::new),
        Combinators.combine(Arbitraries.longs(), ids, payloads).as(Message.Request::new),
        Combinators.combine(Arbitraries.longs(), Arbitraries.of(ResponseStatus.values()), payloads)
            .as(Message.Response::new),
        Arbitraries.longs().map(Message.Ping::new),
        Arbitraries.longs().map(Message.Pong::new),
        ids.list().ofMaxSize(20).map(Message.Subscriptions::new),
        Arbitraries.just(new Message.PexRequest()),
        peerAddresses().list().ofMaxSize(MessageCodec.MAX_PEX_PEERS).map(Message.PexResponse::new),
        Combinators.combine(
                Arbitraries.of(DisconnectReason.values()),
                Arbitraries.strings().withCharRange('\u0000', '\ud7ff').ofMaxLength(80))
            .as(Message.Disconnect::new));
  }

  static Arbitrary<String> ids() {
    return Arbitraries.strings()
        .withCharRange('a', 'z')
        .withCharRange('A', 'Z')
        .withCharRange('0', '9')
        .withChars('.', '_', '/', ':', '-')
        .ofMinLength(1)
        .ofMaxLength(64);
  }

  static Arbitrary<PeerAddress> peerAddresses() {
    Arbitrary<NodeId> ids = Arbitraries.bytes().array(byte[].class).ofSize(32).map(NodeId::wrap);
    Arbitrary<InetAddress> ips =
        Arbitraries.oneOf(
                Arbitraries.bytes().array(byte[].class).ofSize(4),
                Arbitraries.bytes().array(byte[].class).ofSize(16))
            .map(MessageCodecProperties::ip);
    return Combinators.combine(ids, ips, Arbitraries.integers().between(1, 65535))
        .as((id, ip, port) -> new PeerAddress(id, new InetSocketAddress(ip, port)));
  }

  private static InetAddress ip(byte[] raw) {
    try {
      return InetAddress.getByAddress(raw);
    } catch (UnknownHostException e) {
      throw new AssertionError(e);
    }
  }
}
