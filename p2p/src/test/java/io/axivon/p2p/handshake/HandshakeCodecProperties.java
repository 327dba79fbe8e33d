package io.axivon.p2p.handshake;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.axivon.p2p.NodeId;
import io.axivon.p2p.NodeKey;
import java.security.SecureRandom;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import org.apache.tuweni.bytes.Bytes;
import org.apache.tuweni.bytes.Bytes32;

class HandshakeCodecProperties {

  @Property
  void helloRoundTrips(@ForAll("hellos") Hello hello) {
    byte[] encoded = HandshakeCodec.encodeHello(hello);
    assertThat(encoded).hasSize(HandshakeCodec.HELLO_BYTES);
    assertThat(HandshakeCodec.decodeHello(encoded)).isEqualTo(hello);
  }

  @Property
  void authRoundTrips(@ForAll("auths") Auth auth) {
    byte[] encoded = HandshakeCodec.encodeAuth(auth);
    assertThat(encoded).hasSize(HandshakeCodec.AUTH_BYTES);
    assertThat(HandshakeCodec.decodeAuth(encoded)).isEqualTo(auth);
  }

  @Property(tries = 2000)
  void arbitraryBytesGiveAValueOrAMalformedError(@ForAll @Size(max = 200) byte[] input) {
    for (Runnable decode :
        new Runnable[] {
          () -> HandshakeCodec.decodeHello(input), () -> HandshakeCodec.decodeAuth(input)
        }) {
      try {
        decode.run();
      } catch (HandshakeException e) {
        assertThat(e.failure()).isEqualTo(HandshakeFailure.MALFORMED);
      }
    }
  }

  @Property(tries = 200)
  void arbitraryHandshakeInputsOnlyEverFailWithATypedError(
      @ForAll @Size(max = 120) byte[] hello, @ForAll @Size(max = 200) byte[] auth) {
    Handshake responder =
        new Handshake(NodeKey.generate(), 1, 0, Handshake.Role.RESPONDER, null, new SecureRandom());
    try {
      responder.onRemoteHello(hello);
      responder.onRemoteAuth(auth);
      throw new AssertionError("random bytes authenticated");
    } catch (HandshakeException e) {
      assertThat(e.failure()).isNotNull();
    }
  }

  @Property(tries = 100)
  void anyFlippedBitInTheAuthIsRefused(
      @ForAll @IntRange(min = 0, max = HandshakeCodec.AUTH_BYTES + 15) int position,
      @ForAll @IntRange(min = 0, max = 7) int bit) {
    SecureRandom random = new SecureRandom();
    NodeKey a = NodeKey.generate();
    NodeKey b = NodeKey.generate();
    Handshake i = new Handshake(a, 1, 0, Handshake.Role.INITIATOR, b.id(), random);
    Handshake r = new Handshake(b, 1, 0, Handshake.Role.RESPONDER, null, random);
    i.onRemoteHello(r.localHello());
    byte[] auth = r.onRemoteHello(i.localHello());
    auth[position] ^= (byte) (1 << bit);
    assertThatThrownBy(() -> i.onRemoteAuth(auth))
        .isInstanceOf(HandshakeException.class)
        .satisfies(
            e ->
                assertThat(((HandshakeException) e).failure())
                    .isEqualTo(HandshakeFailure.DECRYPT_FAILED));
  }

  @Provide
  Arbitrary<Hello> hellos() {
    return Combinators.combine(
            Arbitraries.integers().between(0, 0xffff),
            Arbitraries.longs(),
            Arbitraries.bytes().array(byte[].class).ofSize(32).map(Bytes32::wrap),
            Arbitraries.integers().between(0, 0xffff))
        .as(Hello::new);
  }

  @Provide
  Arbitrary<Auth> auths() {
    return Combinators.combine(
            Arbitraries.bytes().array(byte[].class).ofSize(32).map(NodeId::wrap),
            Arbitraries.integers().between(0, 0xffff),
            Arbitraries.bytes().array(byte[].class).ofSize(64).map(Bytes::wrap))
        .as(Auth::new);
  }
}
