package io.axivon.consensus.execution.tx;

import java.math.BigInteger;

/**
 * A transaction's ECDSA signature as carried on the wire: r, s and the y parity (0 or 1). Legacy
 * transactions fold the parity and the chain id into v; typed ones carry the parity alone. Range
 * checks (r, s in [1, n-1], low s) belong to sender recovery, not here, so that a badly signed
 * transaction still decodes and is refused with go-ethereum's "invalid sender".
 */
public record TxSignature(BigInteger r, BigInteger s, int yParity) {
  private static final BigInteger MAX_UINT256 = BigInteger.ONE.shiftLeft(256);

  public TxSignature {
    if (r == null || s == null || r.signum() < 0 || s.signum() < 0) {
      throw new IllegalArgumentException("signature r and s must be non-negative");
    }
    if (r.compareTo(MAX_UINT256) >= 0 || s.compareTo(MAX_UINT256) >= 0) {
      throw new IllegalArgumentException("signature r and s must be below 2^256");
    }
    if (yParity != 0 && yParity != 1) {
      throw new IllegalArgumentException("signature y parity must be 0 or 1, got " + yParity);
    }
  }
}
