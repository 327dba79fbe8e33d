package io.axivon.p2p.handshake;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.axivon.p2p.NodeKey;
import io.axivon.p2p.frame.CipherSuite;
import io.axivon.p2p.handshake.Handshake.Role;
import java.security.SecureRandom;
import org.junit.jupiter.api.Test;

/** Cipher-suite negotiation and its binding into the transcript (downgrade resistance). */
class SuiteNegotiationTest {
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final int CHACHA_ONLY = CipherSuite.CHACHA20_POLY1305.bit();
  private final NodeKey alice = NodeKey.generate();
  private final NodeKey bob = NodeKey.generate();

  private Handshake initiator(int suites) {
    return new Handshake(alice, 7, 1000, Role.INITIATOR, bob.id(), RANDOM, suites);
  }

  private Handshake responder(int suites) {
    return new Handshake(bob, 7, 2000, Role.RESPONDER, null, RANDOM, suites);
  }

  @Test
  void bothSidesPickAesWhenBothOfferIt() {
    HandshakeResult[] results = run(initiator(CipherSuite.ALL), responder(CipherSuite.ALL));
    for (HandshakeResult result : results) {
      assertThat(result.sender().suite()).isEqualTo(CipherSuite.AES_256_GCM);
      assertThat(result.receiver().suite()).isEqualTo(CipherSuite.AES_256_GCM);
    }
    assertThat(results[1].receiver().open(results[0].sender().seal(new byte[] {1, 2})))
        .containsExactly(1, 2);
    assertThat(results[0].receiver().open(results[1].sender().seal(new byte[] {3})))
        .containsExactly(3);
  }

  @Test
  void aChaChaOnlyPeerGetsChaChaOnBothSides() {
    for (HandshakeResult result : run(initiator(CipherSuite.ALL), responder(CHACHA_ONLY))) {
      assertThat(result.sender().suite()).isEqualTo(CipherSuite.CHACHA20_POLY1305);
    }
    for (HandshakeResult result : run(initiator(CHACHA_ONLY), responder(CipherSuite.ALL))) {
      assertThat(result.sender().suite()).isEqualTo(CipherSuite.CHACHA20_POLY1305);
    }
  }

  @Test
  void unknownSuiteBitsAreIgnored() {
    HandshakeResult[] results = run(initiator(CipherSuite.ALL | 0x8000), responder(0x4001));
    assertThat(results[0].sender().suite()).isEqualTo(CipherSuite.CHACHA20_POLY1305);
  }

  @Test
  void specPeerNegotiatesTheSameSuite() throws Exception {
    for (int specSuites : new int[] {0x0003, 0x0001}) {
      Handshake i = initiator(CipherSuite.ALL);
      SpecHandshake r = new SpecHandshake(false, 7, Handshake.VERSION, specSuites);
      byte[] authI = i.onRemoteHello(r.hello());
      r.onRemoteHello(i.localHello());
      assertThat(r.openAuth(authI)).isEqualTo(alice.id());
      HandshakeResult result = i.onRemoteAuth(r.auth(bob, 2000));
      assertThat(result.sender().suite()).isEqualTo(r.sender().suite());
      assertThat(r.receiver().open(result.sender().seal(new byte[] {9}))).containsExactly(9);
    }
  }

  /**
   * A man in the middle rewrites the suite mask in one or both hellos on the wire so that the peers
   * fall back to ChaCha20-Poly1305. The hellos are in the transcript hash, so the two sides derive
   * different keys and neither auth opens.
   */
  @Test
  void strippingAesFromAHelloOnTheWireBreaksTheHandshake() {
    for (boolean stripInitiator : new boolean[] {true, false}) {
      for (boolean stripResponder : new boolean[] {true, false}) {
        if (!stripInitiator && !stripResponder) {
          continue;
        }
        Handshake i = initiator(CipherSuite.ALL);
        Handshake r = responder(CipherSuite.ALL);
        byte[] helloI = i.localHello();
        byte[] helloR = r.localHello();
        if (stripInitiator) {
          stripAes(helloI);
        }
        if (stripResponder) {
          stripAes(helloR);
        }
        byte[] authI = i.onRemoteHello(helloR);
        byte[] authR = r.onRemoteHello(helloI);
        assertFailure(() -> i.onRemoteAuth(authR));
        assertFailure(() -> r.onRemoteAuth(authI));
      }
    }
  }

  @Test
  void aHelloWithoutTheMandatorySuiteIsMalformed() {
    byte[] hello = responder(CipherSuite.ALL).localHello();
    hello[HandshakeCodec.HELLO_BYTES - 1] = 0x02; // AES only
    assertThatThrownBy(() -> initiator(CipherSuite.ALL).onRemoteHello(hello))
        .isInstanceOf(HandshakeException.class)
        .satisfies(
            e ->
                assertThat(((HandshakeException) e).failure())
                    .isEqualTo(HandshakeFailure.MALFORMED));
    assertThatThrownBy(() -> initiator(CipherSuite.AES_256_GCM.bit()))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void negotiationPrefersAesThenChaCha() {
    assertThat(CipherSuite.negotiate(3, 3)).isEqualTo(CipherSuite.AES_256_GCM);
    assertThat(CipherSuite.negotiate(3, 1)).isEqualTo(CipherSuite.CHACHA20_POLY1305);
    assertThat(CipherSuite.negotiate(1, 3)).isEqualTo(CipherSuite.CHACHA20_POLY1305);
    assertThat(CipherSuite.negotiate(2, 1)).isNull();
  }

  /** Rewrites the hello's suite mask (its last two bytes) to ChaCha20-Poly1305 only. */
  private static void stripAes(byte[] hello) {
    hello[HandshakeCodec.HELLO_BYTES - 2] = 0;
    hello[HandshakeCodec.HELLO_BYTES - 1] = (byte) CHACHA_ONLY;
  }

  private static HandshakeResult[] run(Handshake i, Handshake r) {
    byte[] authI = i.onRemoteHello(r.localHello());
    byte[] authR = r.onRemoteHello(i.localHello());
    return new HandshakeResult[] {i.onRemoteAuth(authR), r.onRemoteAuth(authI)};
  }

  private static void assertFailure(Runnable action) {
    assertThatThrownBy(action::run)
        .isInstanceOf(HandshakeException.class)
        .satisfies(
            e ->
                assertThat(((HandshakeException) e).failure())
                    .isEqualTo(HandshakeFailure.DECRYPT_FAILED));
  }
}
