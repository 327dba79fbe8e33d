package io.axivon.p2p;

import io.axivon.common.InvalidInputException;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.interfaces.EdECPrivateKey;
import java.security.spec.NamedParameterSpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.Arrays;
import org.apache.tuweni.bytes.Bytes32;

/** A node's static Ed25519 key pair, from the JDK provider. */
public final class NodeKey {
  // DER prefix of an X.509 SubjectPublicKeyInfo for Ed25519 (RFC 8410); the raw key follows it
  private static final byte[] ED25519_SPKI_PREFIX = {
    0x30, 0x2a, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x03, 0x21, 0x00
  };

  private final PrivateKey privateKey;
  private final Bytes32 seed;
  private final NodeId id;

  private NodeKey(KeyPair pair) {
    this.privateKey = pair.getPrivate();
    this.seed =
        Bytes32.wrap(
            ((EdECPrivateKey) pair.getPrivate())
                .getBytes()
                .orElseThrow(() -> new IllegalStateException("Ed25519 key without seed bytes")));
    this.id = NodeId.wrap(rawPublicKey(pair.getPublic()));
  }

  public static NodeKey generate() {
    return generate(new SecureRandom());
  }

  public static NodeKey generate(SecureRandom random) {
    try {
      KeyPairGenerator generator = KeyPairGenerator.getInstance("Ed25519");
      generator.initialize(NamedParameterSpec.ED25519, random);
      return new NodeKey(generator.generateKeyPair());
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("JDK without Ed25519", e);
    }
  }

  /**
   * Rebuilds a key from its 32-byte RFC 8032 seed. The JDK offers no "public key from private key"
   * call, but its Ed25519 generator draws exactly the 32 seed bytes from the random source and
   * derives the public key from them, so a source that returns the seed reproduces the pair.
   */
  public static NodeKey fromSeed(Bytes32 seed) {
    NodeKey key = generate(new FixedBytesRandom(seed.toArray()));
    if (!key.seed.equals(seed)) {
      throw new IllegalStateException("the JDK Ed25519 generator did not use the given seed");
    }
    return key;
  }

  public NodeId id() {
    return id;
  }

  /** The secret seed, for storing the key; keep it private. */
  public Bytes32 seed() {
    return seed;
  }

  /** An Ed25519 signature (64 bytes) over the message. */
  public byte[] sign(byte[] message) {
    try {
      Signature signer = Signature.getInstance("Ed25519");
      signer.initSign(privateKey);
      signer.update(message);
      return signer.sign();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("Ed25519 signing failed", e);
    }
  }

  /** Whether the signature is valid for the message under the node id's key; never throws. */
  public static boolean verify(NodeId signer, byte[] message, byte[] signature) {
    if (signature.length != 64) {
      return false;
    }
    try {
      Signature verifier = Signature.getInstance("Ed25519");
      verifier.initVerify(publicKey(signer));
      verifier.update(message);
      return verifier.verify(signature);
    } catch (GeneralSecurityException | InvalidInputException | IllegalArgumentException e) {
      // a key that does not decode to a curve point cannot have signed anything
      return false;
    }
  }

  static PublicKey publicKey(NodeId id) {
    byte[] encoded = Arrays.copyOf(ED25519_SPKI_PREFIX, ED25519_SPKI_PREFIX.length + 32);
    System.arraycopy(id.bytes().toArrayUnsafe(), 0, encoded, ED25519_SPKI_PREFIX.length, 32);
    try {
      return KeyFactory.getInstance("Ed25519").generatePublic(new X509EncodedKeySpec(encoded));
    } catch (GeneralSecurityException e) {
      throw new InvalidInputException("not an Ed25519 public key: " + id, e);
    }
  }

  private static byte[] rawPublicKey(PublicKey key) {
    byte[] encoded = key.getEncoded();
    return Arrays.copyOfRange(encoded, encoded.length - 32, encoded.length);
  }

  @Override
  public String toString() {
    return "NodeKey[" + id + "]";
  }

  /** Returns the given bytes once; anything more is a misuse and fails loudly. */
  private static final class FixedBytesRandom extends SecureRandom {
    private static final long serialVersionUID = 1L;
    private byte[] bytes;

    FixedBytesRandom(byte[] bytes) {
      this.bytes = bytes;
    }

    @Override
    public synchronized void nextBytes(byte[] out) {
      if (bytes == null || out.length != bytes.length) {
        throw new IllegalStateException("unexpected draw of " + out.length + " random bytes");
      }
      System.arraycopy(bytes, 0, out, 0, out.length);
      Arrays.fill(bytes, (byte) 0);
      bytes = null;
    }
  }
}
