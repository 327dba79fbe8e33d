package io.axivon.p2p.gossip;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.apache.tuweni.bytes.Bytes;

/**
 * Makes the node-local {@link MessageId} of a gossip message: {@code GHASH_H(u8(len(topic)) ||
 * topic || payload)} (NIST SP 800-38D; the length block included), where {@code H = AES_K(0^128)}
 * for a random 128-bit key K drawn when the node starts. The length byte keeps (topic, payload)
 * pairs apart when a topic is a prefix of another.
 *
 * <p>Why not SHA-256: ids never go on the wire, so they need not be the same on every node, only
 * collision-free against an attacker who never sees them. GHASH under a secret key is a universal
 * hash: two different inputs of at most L blocks collide with probability at most (L + 1) / 2^128,
 * and all an attacker observes is whether a message was dropped as a duplicate. It runs on the same
 * carry-less-multiply intrinsic as the AES-GCM link cipher, several times faster than SHA-256.
 *
 * <p>GHASH comes from the JDK's AES-GCM (a GMAC over the message as additional data) rather than
 * our own code: the tag is {@code AES_K(J0) xor GHASH}, so xoring off {@code AES_K(J0)} leaves
 * GHASH, the same whatever the nonce. Each message gets a fresh nonce from a per-thread counter,
 * because the JDK refuses to reuse one for encryption. Thread-safe.
 */
public final class MessageIdHasher {
  private static final int KEY_BYTES = 16;
  private static final int NONCE_BYTES = 12;
  private static final int TAG_BITS = 128;

  private final SecretKeySpec key;
  private final ThreadLocal<Engine> engines;

  /** A hasher with a fresh random key. */
  public MessageIdHasher(SecureRandom random) {
    this(randomKey(random));
  }

  /** A hasher with the given 16-byte AES key (tests; a node draws its key at random). */
  public MessageIdHasher(byte[] key) {
    if (key.length != KEY_BYTES) {
      throw new IllegalArgumentException("need a " + KEY_BYTES + "-byte key, got " + key.length);
    }
    this.key = new SecretKeySpec(key.clone(), "AES");
    this.engines = ThreadLocal.withInitial(() -> new Engine(this.key));
  }

  public MessageId of(String topic, Bytes payload) {
    return engines.get().hash(topic, payload);
  }

  private static byte[] randomKey(SecureRandom random) {
    byte[] key = new byte[KEY_BYTES];
    random.nextBytes(key);
    return key;
  }

  /**
   * One thread's ciphers. It is a MessageDigest only so that {@link Bytes#update(MessageDigest)}
   * hands over a payload's backing array without a copy.
   */
  private static final class Engine extends MessageDigest {
    private final SecretKeySpec key;
    private final Cipher gcm;
    private final Cipher ecb;
    private final byte[] nonce = new byte[NONCE_BYTES];
    private final byte[] counterBlock = new byte[16];
    private long counter;

    Engine(SecretKeySpec key) {
      super("axivon-gmac-aad");
      this.key = key;
      try {
        gcm = Cipher.getInstance("AES/GCM/NoPadding");
        ecb = Cipher.getInstance("AES/ECB/NoPadding");
        ecb.init(Cipher.ENCRYPT_MODE, key);
      } catch (GeneralSecurityException e) {
        throw new IllegalStateException("JDK without AES-GCM", e);
      }
    }

    MessageId hash(String topic, Bytes payload) {
      long n = ++counter;
      for (int i = 0; i < 8; i++) {
        nonce[i] = (byte) (n >>> (8 * i));
      }
      byte[] t = topic.getBytes(StandardCharsets.US_ASCII);
      byte[] prefix = new byte[1 + t.length];
      prefix[0] = (byte) t.length;
      System.arraycopy(t, 0, prefix, 1, t.length);
      try {
        gcm.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, nonce));
        gcm.updateAAD(prefix);
        payload.update(this);
        byte[] tag = gcm.doFinal();
        // J0 = nonce || 0x00000001 for a 96-bit nonce
        System.arraycopy(nonce, 0, counterBlock, 0, NONCE_BYTES);
        counterBlock[15] = 1;
        byte[] mask = ecb.doFinal(counterBlock);
        ByteBuffer tagWords = ByteBuffer.wrap(tag);
        ByteBuffer maskWords = ByteBuffer.wrap(mask);
        return new MessageId(
            tagWords.getLong(0) ^ maskWords.getLong(0), tagWords.getLong(8) ^ maskWords.getLong(8));
      } catch (GeneralSecurityException e) {
        throw new IllegalStateException("AES-GCM failed on additional data only", e);
      }
    }

    @Override
    protected void engineUpdate(byte input) {
      gcm.updateAAD(new byte[] {input});
    }

    @Override
    protected void engineUpdate(byte[] input, int offset, int len) {
      gcm.updateAAD(input, offset, len);
    }

    @Override
    protected byte[] engineDigest() {
      throw new UnsupportedOperationException("an AAD sink, not a digest");
    }

    @Override
    protected void engineReset() {}
  }
}
