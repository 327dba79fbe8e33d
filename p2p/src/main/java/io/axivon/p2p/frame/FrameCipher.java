package io.axivon.p2p.frame;

import io.axivon.common.InvalidInputException;
import java.security.GeneralSecurityException;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * One direction of an encrypted link: the negotiated {@link CipherSuite} (AES-256-GCM or
 * ChaCha20-Poly1305) under one key, with the 96-bit nonce {@code 0x00000000 || u64be(counter)}
 * where the counter starts at 0 and goes up by one per frame, so a nonce is never used twice under
 * a key. The associated data is the frame's 4-byte big-endian header (the "more chunks follow" bit
 * and the ciphertext length including the tag), binding the header to the frame. Not thread-safe:
 * each direction of a connection is driven by one thread at a time.
 */
public final class FrameCipher {
  public static final int KEY_BYTES = 32;
  public static final int TAG_BYTES = 16;
  private static final int NONCE_BYTES = 12;

  /** The header bit that marks a chunk with more chunks of the same message after it. */
  public static final int MORE = 0x8000_0000;

  private final CipherSuite suite;
  private final SecretKeySpec key;
  private final Cipher cipher;
  private final int mode;
  private final byte[] nonce = new byte[NONCE_BYTES];
  private final byte[] aad = new byte[4];
  private long counter;
  private boolean exhausted;

  private FrameCipher(CipherSuite suite, byte[] key, int mode) {
    if (key.length != KEY_BYTES) {
      throw new IllegalArgumentException("a frame key is 32 bytes, got " + key.length);
    }
    this.suite = suite;
    this.key = new SecretKeySpec(key, suite.keyAlgorithm());
    this.mode = mode;
    try {
      this.cipher = Cipher.getInstance(suite.transformation());
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("JDK without " + suite.transformation(), e);
    }
  }

  /** A ChaCha20-Poly1305 sender (the mandatory suite). */
  public static FrameCipher sender(byte[] key) {
    return sender(CipherSuite.CHACHA20_POLY1305, key);
  }

  /** A ChaCha20-Poly1305 receiver (the mandatory suite). */
  public static FrameCipher receiver(byte[] key) {
    return receiver(CipherSuite.CHACHA20_POLY1305, key);
  }

  public static FrameCipher sender(CipherSuite suite, byte[] key) {
    return new FrameCipher(suite, key, Cipher.ENCRYPT_MODE);
  }

  public static FrameCipher receiver(CipherSuite suite, byte[] key) {
    return new FrameCipher(suite, key, Cipher.DECRYPT_MODE);
  }

  public CipherSuite suite() {
    return suite;
  }

  /** The counter the next frame will use. */
  public long counter() {
    return counter;
  }

  /**
   * Encrypts {@code len} bytes into {@code out} at {@code outOff}, writing {@code len + 16} bytes,
   * as a frame without the "more" bit.
   */
  public void seal(byte[] in, int inOff, int len, byte[] out, int outOff) {
    seal(in, inOff, len, out, outOff, false);
  }

  /**
   * Encrypts one chunk; {@code more} says another chunk of the same message follows, and is bound
   * into the tag through the header.
   */
  public void seal(byte[] in, int inOff, int len, byte[] out, int outOff, boolean more) {
    if (mode != Cipher.ENCRYPT_MODE) {
      throw new IllegalStateException("a receiving cipher cannot seal");
    }
    try {
      init(header(len + TAG_BYTES, more));
      cipher.doFinal(in, inOff, len, out, outOff);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(suite + " encryption failed", e);
    }
  }

  /** The 4-byte frame header: the body length, with {@link #MORE} set on a non-final chunk. */
  public static int header(int bodyLength, boolean more) {
    return more ? bodyLength | MORE : bodyLength;
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
    if (len < TAG_BYTES) {
      openInPlace(in, off, len); // throws
    }
    byte[] out = new byte[len - TAG_BYTES];
    open(in, off, len, false, out, 0);
    return out;
  }

  /**
   * Like {@link #open(byte[], int, int)} but decrypts in place: the plaintext overwrites the
   * ciphertext from {@code off} (the tag is checked before anything is written). Saves a copy of
   * every frame on the receive path.
   *
   * @return the plaintext length, {@code len - 16}
   */
  public int openInPlace(byte[] buf, int off, int len) {
    return openInPlace(buf, off, len, false);
  }

  /** Opens one chunk in place; {@code more} is the bit its header carried. */
  public int openInPlace(byte[] buf, int off, int len, boolean more) {
    return open(buf, off, len, more, buf, off);
  }

  /**
   * Authenticates and decrypts one chunk from {@code in} into {@code out} at {@code outOff} (which
   * must have room for {@code len - 16} bytes); {@code more} is the bit its header carried. Faster
   * than in place: the JDK's AES-GCM copies an overlapping input first, halving its speed.
   *
   * @return the plaintext length, {@code len - 16}
   * @throws FrameAuthenticationException when the frame is shorter than a tag or fails
   *     authentication; {@code out} may then hold garbage
   */
  public int open(byte[] in, int inOff, int len, boolean more, byte[] out, int outOff) {
    if (mode != Cipher.DECRYPT_MODE) {
      throw new IllegalStateException("a sending cipher cannot open");
    }
    if (len < TAG_BYTES) {
      throw new FrameAuthenticationException(
          "an encrypted frame holds at least a 16-byte tag, got " + len + " bytes");
    }
    try {
      init(header(len, more));
      return cipher.doFinal(in, inOff, len, out, outOff);
    } catch (AEADBadTagException e) {
      counter--; // the frame was not accepted; the link is closed anyway
      throw new FrameAuthenticationException(
          "frame failed authentication (counter " + counter + ")", e);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(suite + " decryption failed", e);
    }
  }

  public byte[] open(byte[] frame) {
    return open(frame, 0, frame.length);
  }

  private void init(int header) throws GeneralSecurityException {
    if (exhausted) {
      throw new IllegalStateException("nonce counter exhausted; the link must be re-keyed");
    }
    long n = counter;
    for (int i = 0; i < 8; i++) {
      nonce[4 + i] = (byte) (n >>> (56 - 8 * i));
    }
    aad[0] = (byte) (header >>> 24);
    aad[1] = (byte) (header >>> 16);
    aad[2] = (byte) (header >>> 8);
    aad[3] = (byte) header;
    cipher.init(
        mode,
        key,
        suite == CipherSuite.AES_256_GCM
            ? new GCMParameterSpec(TAG_BYTES * 8, nonce)
            : new IvParameterSpec(nonce));
    cipher.updateAAD(aad);
    counter++;
    exhausted = counter == 0; // wrapped past 2^64 - 1
  }
}
