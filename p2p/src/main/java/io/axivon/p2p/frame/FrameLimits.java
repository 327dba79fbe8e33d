package io.axivon.p2p.frame;

import io.axivon.common.InvalidInputException;

/** The frame header: a 4-byte big-endian length, checked against a limit before anything else. */
public final class FrameLimits {
  public static final int LENGTH_BYTES = 4;

  /** The largest frame body accepted before the handshake is done (hello and auth are smaller). */
  public static final int HANDSHAKE_MAX_BODY = 256;

  /**
   * The plaintext a sender puts in one chunk of a larger message, so that a chunk with its header
   * and tag is exactly 64 KiB: small enough to be encrypted and decrypted while it sits in the CPU
   * cache and to fit a pooled network buffer, large enough that the 20 bytes of header and tag per
   * chunk cost 0.03 %.
   */
  public static final int CHUNK_BYTES = 64 * 1024 - LENGTH_BYTES - FrameCipher.TAG_BYTES;

  private FrameLimits() {}

  /**
   * Reads the length prefix at {@code off} and checks it is in {@code [1, maxBody]}.
   *
   * @throws FrameTooLargeException if it is larger than {@code maxBody}
   * @throws InvalidInputException if it is zero or negative as a signed int
   */
  public static int checkedLength(byte[] header, int off, int maxBody) {
    int length =
        ((header[off] & 0xff) << 24)
            | ((header[off + 1] & 0xff) << 16)
            | ((header[off + 2] & 0xff) << 8)
            | (header[off + 3] & 0xff);
    return check(length, maxBody);
  }

  public static int check(int declared, int maxBody) {
    if (declared < 0 || declared > maxBody) {
      throw new FrameTooLargeException(Integer.toUnsignedLong(declared), maxBody);
    }
    if (declared == 0) {
      throw new InvalidInputException("a frame has a non-empty body, got length 0");
    }
    return declared;
  }

  /** The wire size of an encrypted frame carrying {@code plaintext} bytes. */
  public static int encryptedBody(int plaintext) {
    return plaintext + FrameCipher.TAG_BYTES;
  }
}
