package io.axivon.p2p.handshake;

import io.axivon.common.InvalidInputException;
import io.axivon.p2p.NodeId;
import io.axivon.p2p.NodeKey;
import io.axivon.p2p.frame.CipherSuite;
import io.axivon.p2p.frame.FrameCipher;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.spec.NamedParameterSpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.Arrays;
import javax.crypto.KDF;
import javax.crypto.KeyAgreement;
import javax.crypto.spec.HKDFParameterSpec;
import org.apache.tuweni.bytes.Bytes;
import org.apache.tuweni.bytes.Bytes32;

/**
 * One side of the authenticated key exchange, with no I/O: a station-to-station style exchange in
 * the spirit of SIGMA-I (as in Tendermint's SecretConnection and the libp2p Noise payloads). Both
 * sides send a {@link Hello} with an ephemeral X25519 key and the cipher suites they support at
 * once; both pick the best common {@link CipherSuite}; from the X25519 secret and the transcript
 * hash of both hellos each derives per-direction keys with HKDF-SHA256, then sends an encrypted
 * {@link Auth}: its static Ed25519 key and a signature over the transcript hash and its role. The
 * hellos, suite masks included, are in the transcript hash that keys the link and that both sides
 * sign, so a man in the middle who edits a mask (to force the weaker suite) leaves the two sides
 * with different keys and the auth fails. The exact bytes are in specs/p2p.md.
 *
 * <p>Use: {@link #localHello()} → send; on the first remote frame {@link #onRemoteHello} → send the
 * returned auth frame; on the second remote frame {@link #onRemoteAuth} → done. Every rejection is
 * a {@link HandshakeException}; the caller must then close the link.
 */
public final class Handshake {
  /**
   * Version 2 added the cipher-suite mask to the hello and chunked frames; version 1 peers are
   * refused with a version mismatch.
   */
  public static final int VERSION = 2;

  private static final byte[] TRANSCRIPT_DOMAIN =
      "axivon-p2p/2/transcript".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] AUTH_DOMAIN = "axivon-p2p/2/auth".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] KEYS_INFO = "axivon-p2p/2/keys".getBytes(StandardCharsets.US_ASCII);
  // DER prefix of an X.509 SubjectPublicKeyInfo for X25519 (RFC 8410); the raw key follows it
  private static final byte[] X25519_SPKI_PREFIX = {
    0x30, 0x2a, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x6e, 0x03, 0x21, 0x00
  };

  /** Who opened the TCP connection: decides the key directions and the signed role byte. */
  public enum Role {
    INITIATOR,
    RESPONDER;

    byte code() {
      return (byte) ordinal();
    }
  }

  private enum State {
    AWAIT_HELLO,
    AWAIT_AUTH,
    DONE,
    FAILED
  }

  private final NodeKey nodeKey;
  private final long networkId;
  private final int listenPort;
  private final Role role;
  private final NodeId expectedRemote;
  private final KeyPair ephemeral;
  private final int suites;
  private final byte[] localHello;
  private State state = State.AWAIT_HELLO;
  private byte[] transcriptHash;
  private FrameCipher sender;
  private FrameCipher receiver;

  /**
   * @param expectedRemote the node id the dialer expects, or null to accept any authenticated node
   */
  public Handshake(
      NodeKey nodeKey,
      long networkId,
      int listenPort,
      Role role,
      NodeId expectedRemote,
      SecureRandom random) {
    this(nodeKey, networkId, listenPort, role, expectedRemote, random, CipherSuite.ALL);
  }

  /**
   * @param suites the {@link CipherSuite} bits to advertise; must include ChaCha20-Poly1305, the
   *     mandatory fallback
   */
  public Handshake(
      NodeKey nodeKey,
      long networkId,
      int listenPort,
      Role role,
      NodeId expectedRemote,
      SecureRandom random,
      int suites) {
    if ((suites & CipherSuite.CHACHA20_POLY1305.bit()) == 0 || (suites & ~0xffff) != 0) {
      throw new IllegalArgumentException(
          "suites must be a u16 mask with ChaCha20-Poly1305, got 0x" + Integer.toHexString(suites));
    }
    this.suites = suites;
    this.nodeKey = nodeKey;
    this.networkId = networkId;
    this.listenPort = listenPort;
    this.role = role;
    this.expectedRemote = expectedRemote;
    try {
      KeyPairGenerator generator = KeyPairGenerator.getInstance("X25519");
      generator.initialize(NamedParameterSpec.X25519, random);
      this.ephemeral = generator.generateKeyPair();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("JDK without X25519", e);
    }
    byte[] encoded = ephemeral.getPublic().getEncoded();
    Bytes32 raw = Bytes32.wrap(Arrays.copyOfRange(encoded, encoded.length - 32, encoded.length));
    this.localHello = HandshakeCodec.encodeHello(new Hello(VERSION, networkId, raw, suites));
  }

  public Role role() {
    return role;
  }

  /** The hello frame body to send first. */
  public byte[] localHello() {
    return localHello.clone();
  }

  /** Checks the remote hello, derives the keys, and returns our auth frame body to send. */
  public byte[] onRemoteHello(byte[] remoteHello) {
    expect(State.AWAIT_HELLO);
    state = State.FAILED;
    checkVersion(remoteHello);
    Hello hello = HandshakeCodec.decodeHello(remoteHello);
    if (hello.version() != VERSION) {
      throw new HandshakeException(
          HandshakeFailure.VERSION_MISMATCH,
          "protocol version " + hello.version() + " is not ours (" + VERSION + ")");
    }
    if (hello.networkId() != networkId) {
      throw new HandshakeException(
          HandshakeFailure.NETWORK_MISMATCH,
          "network id " + Long.toUnsignedString(hello.networkId()) + " is not ours");
    }
    if (Arrays.equals(remoteHello, localHello)) {
      throw new HandshakeException(
          HandshakeFailure.BAD_EPHEMERAL_KEY, "the remote hello reflects our own");
    }
    if ((hello.suites() & CipherSuite.CHACHA20_POLY1305.bit()) == 0) {
      throw new HandshakeException(
          HandshakeFailure.MALFORMED,
          "the hello's suites 0x"
              + Integer.toHexString(hello.suites())
              + " lack the mandatory ChaCha20-Poly1305");
    }
    CipherSuite suite = CipherSuite.negotiate(suites, hello.suites());
    byte[] shared = agree(hello.ephemeralKey());
    byte[] initiatorHello = role == Role.INITIATOR ? localHello : remoteHello;
    byte[] responderHello = role == Role.INITIATOR ? remoteHello : localHello;
    transcriptHash = sha256(TRANSCRIPT_DOMAIN, initiatorHello, responderHello);
    byte[] okm = hkdf(shared, transcriptHash);
    Arrays.fill(shared, (byte) 0);
    byte[] initiatorToResponder = Arrays.copyOfRange(okm, 0, 32);
    byte[] responderToInitiator = Arrays.copyOfRange(okm, 32, 64);
    Arrays.fill(okm, (byte) 0);
    boolean initiator = role == Role.INITIATOR;
    sender = FrameCipher.sender(suite, initiator ? initiatorToResponder : responderToInitiator);
    receiver = FrameCipher.receiver(suite, initiator ? responderToInitiator : initiatorToResponder);

    byte[] signature = nodeKey.sign(signedMessage(role, transcriptHash, listenPort));
    Auth auth = new Auth(nodeKey.id(), listenPort, Bytes.wrap(signature));
    byte[] sealed = sender.seal(HandshakeCodec.encodeAuth(auth));
    state = State.AWAIT_AUTH;
    return sealed;
  }

  /** Decrypts and verifies the remote auth; on success the link is authenticated. */
  public HandshakeResult onRemoteAuth(byte[] sealedAuth) {
    expect(State.AWAIT_AUTH);
    state = State.FAILED;
    byte[] plain;
    try {
      plain = receiver.open(sealedAuth);
    } catch (InvalidInputException e) {
      throw new HandshakeException(
          HandshakeFailure.DECRYPT_FAILED, "auth message failed decryption: " + e.getMessage(), e);
    }
    Auth auth = HandshakeCodec.decodeAuth(plain);
    Role remoteRole = role == Role.INITIATOR ? Role.RESPONDER : Role.INITIATOR;
    byte[] signed = signedMessage(remoteRole, transcriptHash, auth.listenPort());
    if (!NodeKey.verify(auth.staticKey(), signed, auth.signature().toArrayUnsafe())) {
      throw new HandshakeException(
          HandshakeFailure.BAD_SIGNATURE,
          "auth signature of " + auth.staticKey().shortHex() + " does not verify");
    }
    if (auth.staticKey().equals(nodeKey.id())) {
      throw new HandshakeException(HandshakeFailure.SELF_CONNECTION, "connected to ourselves");
    }
    if (expectedRemote != null && !expectedRemote.equals(auth.staticKey())) {
      throw new HandshakeException(
          HandshakeFailure.UNEXPECTED_PEER,
          "expected node " + expectedRemote.shortHex() + ", got " + auth.staticKey().shortHex());
    }
    state = State.DONE;
    return new HandshakeResult(
        auth.staticKey(), auth.listenPort(), sender, receiver, Bytes32.wrap(transcriptHash));
  }

  /** The bytes an {@link Auth} signature covers; public so the spec's test vectors can use it. */
  public static byte[] signedMessage(Role signerRole, byte[] transcriptHash, int listenPort) {
    ByteBuffer out = ByteBuffer.allocate(AUTH_DOMAIN.length + 1 + 32 + 2);
    out.put(AUTH_DOMAIN);
    out.put(signerRole.code());
    out.put(transcriptHash);
    out.putShort((short) listenPort);
    return out.array();
  }

  /**
   * Refuses another version before the size check, so a version 1 peer (whose hello is 2 bytes
   * shorter) gets a clean version mismatch rather than a penalised malformed hello.
   */
  private static void checkVersion(byte[] remoteHello) {
    if (remoteHello.length < 6 || ByteBuffer.wrap(remoteHello).getInt() != HandshakeCodec.MAGIC) {
      return; // the codec reports it as malformed
    }
    int version = ((remoteHello[4] & 0xff) << 8) | (remoteHello[5] & 0xff);
    if (version != VERSION) {
      throw new HandshakeException(
          HandshakeFailure.VERSION_MISMATCH,
          "protocol version " + version + " is not ours (" + VERSION + ")");
    }
  }

  private void expect(State expected) {
    if (state != expected) {
      throw new IllegalStateException("handshake is " + state + ", not " + expected);
    }
  }

  private byte[] agree(Bytes32 remoteKey) {
    byte[] encoded = Arrays.copyOf(X25519_SPKI_PREFIX, X25519_SPKI_PREFIX.length + 32);
    System.arraycopy(remoteKey.toArrayUnsafe(), 0, encoded, X25519_SPKI_PREFIX.length, 32);
    byte[] shared;
    try {
      PublicKey remote =
          KeyFactory.getInstance("XDH").generatePublic(new X509EncodedKeySpec(encoded));
      KeyAgreement agreement = KeyAgreement.getInstance("XDH");
      agreement.init(ephemeral.getPrivate());
      agreement.doPhase(remote, true);
      shared = agreement.generateSecret();
    } catch (GeneralSecurityException | IllegalStateException | IllegalArgumentException e) {
      // the JDK refuses a low-order point (all-zero secret) with an exception
      throw new HandshakeException(
          HandshakeFailure.BAD_EPHEMERAL_KEY, "unusable ephemeral key: " + e.getMessage(), e);
    }
    if (MessageDigest.isEqual(shared, new byte[shared.length])) {
      throw new HandshakeException(
          HandshakeFailure.BAD_EPHEMERAL_KEY, "ephemeral key is a low-order point");
    }
    return shared;
  }

  private static byte[] hkdf(byte[] secret, byte[] salt) {
    try {
      KDF kdf = KDF.getInstance("HKDF-SHA256");
      return kdf.deriveData(
          HKDFParameterSpec.ofExtract().addIKM(secret).addSalt(salt).thenExpand(KEYS_INFO, 64));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("JDK without HKDF-SHA256", e);
    }
  }

  private static byte[] sha256(byte[]... parts) {
    try {
      MessageDigest digest = MessageDigest.getInstance("SHA-256");
      for (byte[] part : parts) {
        digest.update(part);
      }
      return digest.digest();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("JDK without SHA-256", e);
    }
  }
}
