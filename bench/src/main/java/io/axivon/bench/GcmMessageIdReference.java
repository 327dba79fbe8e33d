package io.axivon.bench;

import io.axivon.p2p.gossip.MessageId;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import javax.crypto.Cipher;
import javax.crypto.ShortBufferException;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.apache.tuweni.bytes.Bytes;

/**
 * The gossip message id before the NH hash (p2p until this change; the benchmarks' reference):
 * keyed GHASH from the JDK's AES-GCM, {@code GHASH_H(u8(len(topic)) || topic || payload)} through
 * the additional-data path below 16 KiB and, from 16 KiB on, the tag of the fused AES-GCM
 * encryption of the payload under a fixed nonce with the ciphertext dropped. Thread-safe.
 */
final class GcmMessageIdReference {
  private static final int KEY_BYTES = 16;
  private static final int NONCE_BYTES = 12;
  private static final int TAG_BITS = 128;

  /** Payloads from this size on are hashed through the fused encryption path. */
  public static final int FUSED_MIN_BYTES = 16 * 1024;

  private static final int PIECE = 32 * 1024;

  private final SecretKeySpec key;
  private final ThreadLocal<Engine> engines;

  /** A hasher with a fresh random key. */
  GcmMessageIdReference(SecureRandom random) {
    this(randomKey(random));
  }

  /** A hasher with the given 16-byte AES key (tests; a node draws its key at random). */
  GcmMessageIdReference(byte[] key) {
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
    // a piece's ciphertext (at most one block held back from before), or the final block and tag
    private final byte[] scratch = new byte[PIECE + 32];
    private Cipher encrypting; // set while a payload streams through the fused path
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
      if (payload.size() >= FUSED_MIN_BYTES) {
        return fused(topic, payload);
      }
      long n = ++counter;
      for (int i = 0; i < 8; i++) {
        nonce[i] = (byte) (n >>> (8 * i));
      }
      byte[] prefix = prefix(topic);
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

    private MessageId fused(String topic, Bytes payload) {
      try {
        encrypting = Cipher.getInstance("AES/GCM/NoPadding");
        encrypting.init(
            Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, new byte[NONCE_BYTES]));
        encrypting.updateAAD(prefix(topic));
        payload.update(this); // the ciphertext goes to scratch and is dropped
        int n = encrypting.doFinal(scratch, 0);
        ByteBuffer out = ByteBuffer.wrap(scratch);
        return new MessageId(out.getLong(n - 16), out.getLong(n - 8)); // the tag ends the output
      } catch (GeneralSecurityException e) {
        throw new IllegalStateException("AES-GCM encryption failed", e);
      } finally {
        encrypting = null;
      }
    }

    private static byte[] prefix(String topic) {
      byte[] t = topic.getBytes(StandardCharsets.US_ASCII);
      byte[] prefix = new byte[1 + t.length];
      prefix[0] = (byte) t.length;
      System.arraycopy(t, 0, prefix, 1, t.length);
      return prefix;
    }

    @Override
    protected void engineUpdate(byte input) {
      engineUpdate(new byte[] {input}, 0, 1);
    }

    @Override
    protected void engineUpdate(byte[] input, int offset, int len) {
      if (encrypting == null) {
        gcm.updateAAD(input, offset, len);
        return;
      }
      try {
        for (int done = 0; done < len; done += PIECE) {
          encrypting.update(input, offset + done, Math.min(PIECE, len - done), scratch, 0);
        }
      } catch (ShortBufferException e) {
        throw new IllegalStateException("a piece's ciphertext outgrew the scratch buffer", e);
      }
    }

    @Override
    protected byte[] engineDigest() {
      throw new UnsupportedOperationException("an AAD sink, not a digest");
    }

    @Override
    protected void engineReset() {}
  }
}
