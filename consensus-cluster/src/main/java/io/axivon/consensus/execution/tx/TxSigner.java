package io.axivon.consensus.execution.tx;

import io.axivon.common.InvalidInputException;
import io.axivon.common.crypto.secp256k1.Address;
import io.axivon.common.crypto.secp256k1.Secp256k1;
import io.axivon.common.crypto.secp256k1.Secp256k1PrivateKey;
import io.axivon.common.crypto.secp256k1.Secp256k1Signature;
import java.math.BigInteger;
import org.apache.tuweni.bytes.Bytes32;

/** Signs transactions (tests, our own services) and recovers their senders. */
public final class TxSigner {
  private TxSigner() {}

  /** {@code tx} signed by {@code key} (RFC 6979, low s); its chain id is the one in {@code tx}. */
  public static Transaction sign(Transaction tx, Secp256k1PrivateKey key) {
    Secp256k1Signature sig = key.sign(tx.signingHash());
    return tx.withSignature(
        new TxSignature(
            sig.r().toUnsignedBigInteger(), sig.s().toUnsignedBigInteger(), sig.recoveryId()));
  }

  /**
   * The sender of {@code tx} on chain {@code chainId}, as go-ethereum's London signer derives it:
   * the chain id must match (pre-EIP-155 legacy transactions have none and are accepted), r and s
   * must be in [1, n-1] with s in the lower half (EIP-2).
   *
   * @throws InvalidInputException "invalid sender: ..." with the signer's reason
   */
  public static Address recoverSender(Transaction tx, long chainId) {
    if (tx.chainId().isPresent() && tx.chainId().getAsLong() != chainId) {
      throw new InvalidInputException(TxErrors.invalidSender(TxErrors.INVALID_CHAIN_ID));
    }
    TxSignature s = tx.signature();
    if (s == null || !validValues(s.r(), s.s())) {
      throw new InvalidInputException(TxErrors.invalidSender(TxErrors.INVALID_SIG));
    }
    try {
      return Secp256k1.recoverAddress(
          tx.signingHash(),
          new Secp256k1Signature(
              Bytes32.leftPad(org.apache.tuweni.bytes.Bytes.wrap(unsigned32(s.r()))),
              Bytes32.leftPad(org.apache.tuweni.bytes.Bytes.wrap(unsigned32(s.s()))),
              s.yParity()));
    } catch (InvalidInputException e) {
      throw new InvalidInputException(TxErrors.invalidSender(TxErrors.INVALID_SIG), e);
    }
  }

  private static boolean validValues(BigInteger r, BigInteger s) {
    return r.signum() > 0
        && s.signum() > 0
        && r.compareTo(Secp256k1.CURVE_ORDER) < 0
        && s.compareTo(Secp256k1.HALF_CURVE_ORDER) <= 0;
  }

  private static byte[] unsigned32(BigInteger v) {
    byte[] b = v.toByteArray();
    if (b.length == 33) { // a sign byte in front of a 32-byte value
      byte[] out = new byte[32];
      System.arraycopy(b, 1, out, 0, 32);
      return out;
    }
    return b;
  }
}
