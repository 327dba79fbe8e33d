package io.axivon.sdk.storage.crypto;

/**
 * A container that cannot be decrypted: not a container, a size its header does not account for, or
 * a chunk that fails authentication (wrong key, or altered bytes). Nothing is written when it is
 * thrown.
 */
public final class DecryptionException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public DecryptionException(String message) {
    super(message);
  }
}
