package io.axivon.p2p.frame;

import io.axivon.common.InvalidInputException;
import java.security.GeneralSecurityException;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * One direction of an encrypted link: ChaCha20-Poly1305 (RFC 8439) under one key, with the 96-bit
 * nonce {@code 0x00000000 || u64be(counter)} where the counter starts at 0 and goes up by one per
 * frame, so a nonce is never used twice under a key. The associated data is the frame's 4-byte
 * big-endian length prefix (ciphertext length including the tag), binding the header to the frame.
 * Not thread-safe: each direction of a connection is driven by one thread at a time.
 */
public final class FrameCipher {
  public static final int KEY_BYTES = 32;
  public static final int TAG_BYTES = 16;
  private static final int NONCE_BYTES = 12;

  private final SecretKeySpec key;
  private final Cipher cipher;
  private final int mode;
  private final byte[] nonce = new byte[NONCE_BYTES];
  private final byte[] aad = new byte[4];
  private long counter;
  private boolean exhausted;

  private FrameCipher(byte[] key, int mode) {
    if (key.length != KEY_BYTES) {
      throw new IllegalArgumentException("a frame key is 32 bytes, got " + key.length);
    }
    this.key = new SecretKeySpec(key, "ChaCha20");
    this.mode = mode;
    try {
      this.cipher = Cipher.getInstance("ChaCha20-Poly1305");
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("JDK without ChaCha20-Poly1305", e);
    }
  }

  public static FrameCipher sender(byte[] key) {
    return new FrameCipher(key, Cipher.ENCRYPT_MODE);
  }

  public static FrameCipher receiver(byte[] key) {
    return new FrameCipher(key, Cipher.DECRYPT_MODE);
  }

  /** The counter the next frame will use. */
  public long counter() {
    return counter;
  }

  /**
   * Encrypts {@code len} bytes into {@code out} at {@code outOff}, writing {@code len + 16} bytes.
   */
  public void seal(byte[] in, int inOff, int len, byte[] out, int outOff) {
    if (mode != Cipher.ENCRYPT_MODE) {
      throw new IllegalStateException("a receiving cipher cannot seal");
    }
    try {
      init(len + TAG_BYTES);
      cipher.doFinal(in, inOff, len, out, outOff);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("ChaCha20-Poly1305 encryption failed", e);
    }
  }

  public byte[] seal(byte[] plaintext) {
    byte[] out = new byte[plaintext.length + TAG_BYTES];
    seal(plaintext, 0, plaintext.length, out, 0);
    return out;
  }

  /**
   * Authenticates and decrypts one frame body (ciphertext and tag); the counter advances only on
   * success, and the caller must close the link on failure.
   *
   * @throws InvalidInputException when the frame is shorter than a tag or fails authentication
   */
  public byte[] open(byte[] in, int off, int len) {
    byte[] copy = java.util.Arrays.copyOfRange(in, off, off + len);
    int plain = openInPlace(copy, 0, len);
    return java.util.Arrays.copyOf(copy, plain);
  }

  /**
   * Like {@link #open(byte[], int, int)} but decrypts in place: the plaintext overwrites the
   * ciphertext from {@code off} (the tag is checked before anything is written). Saves a copy of
   * every frame on the receive path.
   *
   * @return the plaintext length, {@code len - 16}
   */
  public int openInPlace(byte[] buf, int off, int len) {
    if (mode != Cipher.DECRYPT_MODE) {
      throw new IllegalStateException("a sending cipher cannot open");
    }
    if (len < TAG_BYTES) {
      throw new InvalidInputException(
          "an encrypted frame holds at least a 16-byte tag, got " + len + " bytes");
    }
    try {
      init(len);
      return cipher.doFinal(buf, off, len, buf, off);
    } catch (AEADBadTagException e) {
      counter--; // the frame was not accepted; the link is closed anyway
      throw new InvalidInputException("frame failed authentication (counter " + counter + ")", e);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("ChaCha20-Poly1305 decryption failed", e);
    }
  }

  public byte[] open(byte[] frame) {
    return open(frame, 0, frame.length);
  }

  private void init(int frameLength) throws GeneralSecurityException {
    if (exhausted) {
      throw new IllegalStateException("nonce counter exhausted; the link must be re-keyed");
    }
    long n = counter;
    for (int i = 0; i < 8; i++) {
      nonce[4 + i] = (byte) (n >>> (56 - 8 * i));
    }
    aad[0] = (byte) (frameLength >>> 24);
    aad[1] = (byte) (frameLength >>> 16);
    aad[2] = (byte) (frameLength >>> 8);
    aad[3] = (byte) frameLength;
    cipher.init(mode, key, new IvParameterSpec(nonce));
    cipher.updateAAD(aad);
    counter++;
    exhausted = counter == 0; // wrapped past 2^64 - 1
  }
}
