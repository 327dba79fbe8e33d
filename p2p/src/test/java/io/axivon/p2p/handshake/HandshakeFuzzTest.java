package io.axivon.p2p.handshake;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.axivon.p2p.NodeKey;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import org.apache.tuweni.bytes.Bytes32;

/**
 * Feeds arbitrary hello and auth messages to both handshake codecs and to a responder: the only
 * failure allowed is a {@link HandshakeException}, and random bytes never authenticate.
 */
class HandshakeFuzzTest {
  private static final NodeKey KEY =
      NodeKey.fromSeed(Bytes32.fromHexString("0x" + "11".repeat(32)));

  @FuzzTest
  void handshake(FuzzedDataProvider data) throws NoSuchAlgorithmException {
    byte[] hello = data.consumeBytes(data.consumeInt(0, 100));
    byte[] auth = data.consumeRemainingAsBytes();
    try {
      HandshakeCodec.decodeHello(hello);
    } catch (HandshakeException expected) {
      // fine
    }
    try {
      HandshakeCodec.decodeAuth(auth);
    } catch (HandshakeException expected) {
      // fine
    }
    // a seeded generator keeps each input's run reproducible
    SecureRandom random = SecureRandom.getInstance("SHA1PRNG");
    random.setSeed(7);
    Handshake responder = new Handshake(KEY, 1, 0, Handshake.Role.RESPONDER, null, random);
    try {
      responder.onRemoteHello(hello);
      responder.onRemoteAuth(auth);
    } catch (HandshakeException expected) {
      return;
    }
    throw new AssertionError("fuzzed bytes completed a handshake");
  }
}
