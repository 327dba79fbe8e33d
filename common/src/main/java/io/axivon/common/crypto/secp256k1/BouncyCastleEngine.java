package io.axivon.common.crypto.secp256k1;

import java.math.BigInteger;
import org.apache.tuweni.bytes.Bytes32;
import org.web3j.crypto.ECDSASignature;
import org.web3j.crypto.Sign;

/** secp256k1 in Java: web3j's recovery and signing over BouncyCastle's curve arithmetic. */
final class BouncyCastleEngine extends Secp256k1Engine {
  static final BouncyCastleEngine INSTANCE = new BouncyCastleEngine();

  private BouncyCastleEngine() {}

  @Override
  public String name() {
    return "BouncyCastle";
  }

  @Override
  public Secp256k1Signature sign(Secp256k1PrivateKey key, Bytes32 hash) {
    Sign.SignatureData data = Sign.signMessage(hash.toArrayUnsafe(), key.keyPair(), false);
    return new Secp256k1Signature(
        Bytes32.wrap(data.getR()), Bytes32.wrap(data.getS()), (data.getV()[0] & 0xff) - 27);
  }

  @Override
  byte[] publicKeyXy(byte[] privateKey) {
    return Secp256k1.toUnsigned(
        Sign.publicKeyFromPrivate(new BigInteger(1, privateKey)), Secp256k1PublicKey.SIZE);
  }

  @Override
  byte[] recoverXy(byte[] hash, byte[] rs, int recoveryId) {
    BigInteger key;
    try {
      key =
          Sign.recoverFromSignature(
              recoveryId,
              new ECDSASignature(
                  new BigInteger(1, rs, 0, 32), new BigInteger(1, rs, 32, Bytes32.SIZE)),
              hash);
    } catch (IllegalArgumentException e) { // r is not an x coordinate: no point to decompress
      return null;
    }
    // null: no point for r; zero: web3j's encoding of the point at infinity
    if (key == null || key.signum() == 0) {
      return null;
    }
    return Secp256k1.toUnsigned(key, Secp256k1PublicKey.SIZE);
  }
}
