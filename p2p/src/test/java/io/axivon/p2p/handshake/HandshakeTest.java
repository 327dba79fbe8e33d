package io.axivon.p2p.handshake;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.axivon.p2p.NodeId;
import io.axivon.p2p.NodeKey;
import io.axivon.p2p.frame.CipherSuite;
import io.axivon.p2p.handshake.Handshake.Role;
import java.security.SecureRandom;
import org.apache.tuweni.bytes.Bytes32;
import org.junit.jupiter.api.Test;

class HandshakeTest {
  private static final SecureRandom RANDOM = new SecureRandom();
  private final NodeKey alice = NodeKey.generate();
  private final NodeKey bob = NodeKey.generate();

  private static Handshake initiator(NodeKey key, NodeId expected) {
    return new Handshake(key, 7, 1000, Role.INITIATOR, expected, RANDOM);
  }

  private static Handshake responder(NodeKey key) {
    return new Handshake(key, 7, 2000, Role.RESPONDER, null, RANDOM);
  }

  @Test
  void honestPeersAuthenticateEachOtherAndShareKeys() {
    Handshake i = initiator(alice, bob.id());
    Handshake r = responder(bob);
    byte[] authI = i.onRemoteHello(r.localHello());
    byte[] authR = r.onRemoteHello(i.localHello());
    HandshakeResult atI = i.onRemoteAuth(authR);
    HandshakeResult atR = r.onRemoteAuth(authI);

    assertThat(atI.remoteId()).isEqualTo(bob.id());
    assertThat(atI.remoteListenPort()).isEqualTo(2000);
    assertThat(atR.remoteId()).isEqualTo(alice.id());
    assertThat(atR.remoteListenPort()).isEqualTo(1000);
    assertThat(atI.transcriptHash()).isEqualTo(atR.transcriptHash());
    // the first transport frame in each direction uses counter 1 and opens on the other side
    assertThat(atI.sender().counter()).isEqualTo(1);
    assertThat(atR.receiver().open(atI.sender().seal(new byte[] {42}))).containsExactly(42);
    assertThat(atI.receiver().open(atR.sender().seal(new byte[] {43}))).containsExactly(43);
  }

  @Test
  void dialerDropsAPeerWithAnotherKey() {
    NodeKey mallory = NodeKey.generate();
    Handshake i = initiator(alice, bob.id());
    Handshake r = responder(mallory);
    i.onRemoteHello(r.localHello());
    byte[] authR = r.onRemoteHello(i.localHello());
    assertFailure(() -> i.onRemoteAuth(authR), HandshakeFailure.UNEXPECTED_PEER);
  }

  @Test
  void wrongNetworkAndVersionAreRefused() {
    Handshake other = new Handshake(bob, 8, 0, Role.RESPONDER, null, RANDOM);
    assertFailure(
        () -> initiator(alice, null).onRemoteHello(other.localHello()),
        HandshakeFailure.NETWORK_MISMATCH);

    Hello hello = HandshakeCodec.decodeHello(responder(bob).localHello());
    byte[] v3 =
        HandshakeCodec.encodeHello(
            new Hello(3, hello.networkId(), hello.ephemeralKey(), hello.suites()));
    assertFailure(
        () -> initiator(alice, null).onRemoteHello(v3), HandshakeFailure.VERSION_MISMATCH);
  }

  @Test
  void lowOrderAndReflectedEphemeralKeysAreRefused() {
    byte[] zero =
        HandshakeCodec.encodeHello(new Hello(Handshake.VERSION, 7, Bytes32.ZERO, CipherSuite.ALL));
    assertFailure(
        () -> initiator(alice, null).onRemoteHello(zero), HandshakeFailure.BAD_EPHEMERAL_KEY);
    Handshake i = initiator(alice, null);
    assertFailure(() -> i.onRemoteHello(i.localHello()), HandshakeFailure.BAD_EPHEMERAL_KEY);
  }

  @Test
  void tamperedAuthFailsDecryption() {
    Handshake i = initiator(alice, bob.id());
    Handshake r = responder(bob);
    i.onRemoteHello(r.localHello());
    byte[] authR = r.onRemoteHello(i.localHello());
    authR[5] ^= 1;
    assertFailure(() -> i.onRemoteAuth(authR), HandshakeFailure.DECRYPT_FAILED);
  }

  @Test
  void specImplementationInteroperates() throws Exception {
    Handshake i = initiator(alice, bob.id());
    SpecHandshake r = new SpecHandshake(false, 7, 2);
    byte[] authI = i.onRemoteHello(r.hello());
    r.onRemoteHello(i.localHello());
    assertThat(r.openAuth(authI)).isEqualTo(alice.id());
    HandshakeResult result = i.onRemoteAuth(r.auth(bob, 2000));
    assertThat(result.remoteId()).isEqualTo(bob.id());
    assertThat(result.transcriptHash().toArray()).isEqualTo(r.transcriptHash());
    assertThat(r.receiver().open(result.sender().seal(new byte[] {9}))).containsExactly(9);
  }

  @Test
  void forgedOrMisboundSignaturesAreRefused() throws Exception {
    // a valid signature by Bob, but over another session's transcript
    SpecHandshake other = new SpecHandshake(false, 7, 2);
    other.onRemoteHello(initiator(alice, null).localHello());
    byte[] stale = bob.sign(other.signedMessage(false, 2000));
    assertFailure(
        () -> runAgainst(r -> r.auth(bob.id(), 2000, stale)), HandshakeFailure.BAD_SIGNATURE);

    // Bob's signature for this transcript, but as if Bob were the initiator (role confusion)
    assertFailure(
        () -> runAgainst(r -> r.auth(bob.id(), 2000, bob.sign(r.signedMessage(true, 2000)))),
        HandshakeFailure.BAD_SIGNATURE);

    // a signature over another listen port than the one claimed
    assertFailure(
        () -> runAgainst(r -> r.auth(bob.id(), 2001, bob.sign(r.signedMessage(false, 2000)))),
        HandshakeFailure.BAD_SIGNATURE);

    // garbage signature
    assertFailure(
        () -> runAgainst(r -> r.auth(bob.id(), 2000, new byte[64])),
        HandshakeFailure.BAD_SIGNATURE);
  }

  @Test
  void reflectedAuthFails() {
    Handshake i = initiator(alice, null);
    Handshake r = responder(bob);
    byte[] authI = i.onRemoteHello(r.localHello());
    // our own auth sent back to us is sealed under the other direction's key
    assertFailure(() -> i.onRemoteAuth(authI), HandshakeFailure.DECRYPT_FAILED);
  }

  @Test
  void connectingToOurselvesIsRefused() {
    Handshake i = initiator(alice, null);
    Handshake r = responder(alice);
    i.onRemoteHello(r.localHello());
    byte[] authR = r.onRemoteHello(i.localHello());
    assertFailure(() -> i.onRemoteAuth(authR), HandshakeFailure.SELF_CONNECTION);
  }

  @Test
  void malformedMessagesAreTypedFailures() {
    assertFailure(
        () -> initiator(alice, null).onRemoteHello(new byte[47]), HandshakeFailure.MALFORMED);
    byte[] hello = responder(bob).localHello();
    hello[0] = 'X';
    assertFailure(() -> initiator(alice, null).onRemoteHello(hello), HandshakeFailure.MALFORMED);
  }

  @Test
  void messagesOutOfOrderAreProgrammingErrors() {
    Handshake i = initiator(alice, null);
    assertThatThrownBy(() -> i.onRemoteAuth(new byte[114]))
        .isInstanceOf(IllegalStateException.class);
  }

  private interface AuthMaker {
    byte[] make(SpecHandshake responder) throws Exception;
  }

  /** Runs Alice as initiator expecting Bob against a spec responder that sends the given auth. */
  private void runAgainst(AuthMaker maker) {
    try {
      Handshake i = initiator(alice, bob.id());
      SpecHandshake r = new SpecHandshake(false, 7, 2);
      i.onRemoteHello(r.hello());
      r.onRemoteHello(i.localHello());
      i.onRemoteAuth(maker.make(r));
    } catch (HandshakeException e) {
      throw e;
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  private static void assertFailure(Runnable action, HandshakeFailure failure) {
    assertThatThrownBy(action::run)
        .isInstanceOf(HandshakeException.class)
        .satisfies(e -> assertThat(((HandshakeException) e).failure()).isEqualTo(failure));
  }
}
