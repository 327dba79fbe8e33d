package io.axivon.consensus.store;

/**
 * Refusal to sign: the message conflicts with one this validator signed before (same height, round
 * and step with other bytes) or goes back behind the last one it signed. Signing it could get the
 * validator slashed, so nothing is signed.
 */
public class DoubleSignException extends IllegalStateException {
  private static final long serialVersionUID = 1L;

  public DoubleSignException(String message) {
    super(message);
  }
}
