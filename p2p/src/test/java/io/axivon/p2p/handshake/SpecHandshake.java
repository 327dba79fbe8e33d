package io.axivon.p2p.handshake;

import io.axivon.p2p.NodeId;
import io.axivon.p2p.NodeKey;
import io.axivon.p2p.frame.CipherSuite;
import io.axivon.p2p.frame.FrameCipher;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.spec.X509EncodedKeySpec;
import java.util.Arrays;
import java.util.HexFormat;
import javax.crypto.KDF;
import javax.crypto.KeyAgreement;
import javax.crypto.spec.HKDFParameterSpec;

/**
 * A second, independent implementation of the handshake written from specs/p2p.md, used by tests to
 * play a peer that deviates on purpose (bad signature, wrong network, foreign key) and to check the
 * spec against the real implementation.
 */
public final class SpecHandshake {
  private final boolean initiator;
  private final KeyPair ephemeral;
  private final int suites;
  private final byte[] hello;
  private int chosenSuiteBit;
  private byte[] transcriptHash;
  private FrameCipher sender;
  private FrameCipher receiver;

  /** A peer that advertises both suites (mask 0x0003). */
  public SpecHandshake(boolean initiator, long networkId, int version) {
    this(initiator, networkId, version, 0x0003);
  }

  public SpecHandshake(boolean initiator, long networkId, int version, int suites) {
    this.initiator = initiator;
    this.suites = suites;
    try {
      ephemeral = KeyPairGenerator.getInstance("X25519").generateKeyPair();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
    byte[] spki = ephemeral.getPublic().getEncoded();
    ByteBuffer out = ByteBuffer.allocate(48);
    out.put("AXVN".getBytes(StandardCharsets.US_ASCII));
    out.putShort((short) version);
    out.putLong(networkId);
    out.put(spki, spki.length - 32, 32);
    out.putShort((short) suites);
    hello = out.array();
  }

  public byte[] hello() {
    return hello.clone();
  }

  /** Derives the session from the remote hello (no checks: a test peer may lie about anything). */
  public void onRemoteHello(byte[] remoteHello) throws Exception {
    byte[] remoteKey = Arrays.copyOfRange(remoteHello, 14, 46);
    int remoteSuites = ((remoteHello[46] & 0xff) << 8) | (remoteHello[47] & 0xff);
    // AES-256-GCM (bit 1) if both have it, else ChaCha20-Poly1305 (bit 0)
    chosenSuiteBit = (suites & remoteSuites & 2) != 0 ? 2 : 1;
    byte[] spki =
        HexFormat.of().parseHex("302a300506032b656e032100" + HexFormat.of().formatHex(remoteKey));
    KeyAgreement agreement = KeyAgreement.getInstance("XDH");
    agreement.init(ephemeral.getPrivate());
    agreement.doPhase(
        KeyFactory.getInstance("XDH").generatePublic(new X509EncodedKeySpec(spki)), true);
    byte[] shared = agreement.generateSecret();
    MessageDigest sha = MessageDigest.getInstance("SHA-256");
    sha.update("axivon-p2p/2/transcript".getBytes(StandardCharsets.US_ASCII));
    sha.update(initiator ? hello : remoteHello);
    sha.update(initiator ? remoteHello : hello);
    transcriptHash = sha.digest();
    byte[] okm =
        KDF.getInstance("HKDF-SHA256")
            .deriveData(
                HKDFParameterSpec.ofExtract()
                    .addIKM(shared)
                    .addSalt(transcriptHash)
                    .thenExpand("axivon-p2p/2/keys".getBytes(StandardCharsets.US_ASCII), 64));
    byte[] i2r = Arrays.copyOfRange(okm, 0, 32);
    byte[] r2i = Arrays.copyOfRange(okm, 32, 64);
    CipherSuite suite =
        chosenSuiteBit == 2 ? CipherSuite.AES_256_GCM : CipherSuite.CHACHA20_POLY1305;
    sender = FrameCipher.sender(suite, initiator ? i2r : r2i);
    receiver = FrameCipher.receiver(suite, initiator ? r2i : i2r);
  }

  /** The bytes the spec says an auth signature covers. */
  public byte[] signedMessage(boolean signerIsInitiator, int listenPort) {
    ByteBuffer out = ByteBuffer.allocate(17 + 1 + 32 + 2);
    out.put("axivon-p2p/2/auth".getBytes(StandardCharsets.US_ASCII));
    out.put((byte) (signerIsInitiator ? 0 : 1));
    out.put(transcriptHash);
    out.putShort((short) listenPort);
    return out.array();
  }

  /** An honest auth for {@code key}. */
  public byte[] auth(NodeKey key, int listenPort) {
    return auth(key.id(), listenPort, key.sign(signedMessage(initiator, listenPort)));
  }

  /** An auth with any claimed key and signature, sealed correctly. */
  public byte[] auth(NodeId claimed, int listenPort, byte[] signature) {
    ByteBuffer plain = ByteBuffer.allocate(98);
    plain.put(claimed.bytes().toArrayUnsafe()).putShort((short) listenPort).put(signature);
    return sender.seal(plain.array());
  }

  /** Opens the remote auth and returns the remote's static key (no signature check). */
  public NodeId openAuth(byte[] sealed) {
    byte[] plain = receiver.open(sealed);
    return NodeId.wrap(Arrays.copyOfRange(plain, 0, 32));
  }

  public byte[] transcriptHash() {
    return transcriptHash.clone();
  }

  public FrameCipher sender() {
    return sender;
  }

  public FrameCipher receiver() {
    return receiver;
  }
}
