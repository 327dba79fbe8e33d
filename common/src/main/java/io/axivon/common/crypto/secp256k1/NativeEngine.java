package io.axivon.common.crypto.secp256k1;

import fr.acinq.secp256k1.Secp256k1Exception;
import fr.acinq.secp256k1.jni.NativeSecp256k1JvmLoader;
import java.math.BigInteger;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Optional;
import org.apache.tuweni.bytes.Bytes32;

/**
 * secp256k1 in libsecp256k1 (Bitcoin Core's library, constant-time and several times faster than
 * BouncyCastle for recovery) through ACINQ's JNI binding, which bundles the native library for
 * Linux, macOS and Windows.
 */
final class NativeEngine extends Secp256k1Engine {
  // r and s of EIP-155's example signature, for the self-test
  private static final BigInteger EIP155_R =
      new BigInteger(
          "18515461264373351373200002665853028612451056578545711640558177340181847433846");
  private static final BigInteger EIP155_S =
      new BigInteger(
          "46948507304638947509940763649030358759909902576025900602547168820602576006531");

  private final fr.acinq.secp256k1.Secp256k1 lib;

  private NativeEngine(fr.acinq.secp256k1.Secp256k1 lib) {
    this.lib = lib;
  }

  /** Loaded once, on first use; holds why not when the library does not load. */
  private static final class Holder {
    static final Optional<NativeEngine> ENGINE;
    static final String FAILURE;

    static {
      NativeEngine engine = null;
      String failure = null;
      try {
        engine = new NativeEngine(NativeSecp256k1JvmLoader.load());
        failure = engine.selfTest();
        if (failure != null) {
          engine = null;
        }
      } catch (Exception | LinkageError e) { // no library for this platform, no temp dir, ...
        failure = e.toString();
      }
      ENGINE = Optional.ofNullable(engine);
      FAILURE = failure;
    }
  }

  static Optional<NativeEngine> instance() {
    return Holder.ENGINE;
  }

  /** Why the native library is not used (empty when it is). */
  static Optional<String> failure() {
    return Optional.ofNullable(Holder.FAILURE);
  }

  @Override
  public String name() {
    return "libsecp256k1 (JNI)";
  }

  @Override
  public Secp256k1Signature sign(Secp256k1PrivateKey key, Bytes32 hash) {
    // libsecp256k1 signs with RFC 6979 nonces and always returns the low s, as web3j does
    byte[] rs = lib.sign(hash.toArrayUnsafe(), key.bytes().toArrayUnsafe());
    byte[] expected = key.publicKey().bytes().toArrayUnsafe();
    // the binding has no recoverable signing: the recovery id is the one that gives our key back
    for (int recoveryId = 0; recoveryId <= 1; recoveryId++) {
      if (Arrays.equals(recoverXy(hash.toArrayUnsafe(), rs, recoveryId), expected)) {
        return new Secp256k1Signature(
            Bytes32.wrap(rs, 0), Bytes32.wrap(Arrays.copyOfRange(rs, 32, 64)), recoveryId);
      }
    }
    // only when R.x ≥ n (probability about 2^-128), where Ethereum has no recovery id either
    throw new IllegalStateException("signature needs a recovery id above 1");
  }

  @Override
  byte[] publicKeyXy(byte[] privateKey) {
    return Arrays.copyOfRange(lib.pubkeyCreate(privateKey), 1, 65);
  }

  @Override
  byte[] recoverXy(byte[] hash, byte[] rs, int recoveryId) {
    try {
      return Arrays.copyOfRange(lib.ecdsaRecover(rs, hash, recoveryId), 1, 65);
    } catch (Secp256k1Exception e) { // libsecp256k1 returned 0: no key recovers
      return null;
    }
  }

  /**
   * Null when EIP-155's worked example (key 0x46..46 signing its transaction hash) comes out as
   * published, else what went wrong. Uses nothing of {@link Secp256k1}, which may still be
   * initializing (it chooses its engine through this class).
   */
  private String selfTest() {
    byte[] key = new byte[32];
    Arrays.fill(key, (byte) 0x46);
    byte[] hash =
        HexFormat.of().parseHex("daf5a779ae972f972197303d7b574746c7ef83eadac0f2791ad23db92e4c8e53");
    byte[] rs = lib.sign(hash, key);
    boolean ok =
        new BigInteger(1, rs, 0, 32).equals(EIP155_R)
            && new BigInteger(1, rs, 32, 32).equals(EIP155_S)
            && Arrays.equals(recoverXy(hash, rs, 0), publicKeyXy(key));
    return ok ? null : "self-test: the EIP-155 example signature does not come out as published";
  }
}
