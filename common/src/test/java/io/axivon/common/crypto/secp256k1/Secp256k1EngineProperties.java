package io.axivon.common.crypto.secp256k1;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.axivon.common.InvalidInputException;
import java.math.BigInteger;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.statistics.Statistics;
import org.apache.tuweni.bytes.Bytes;
import org.apache.tuweni.bytes.Bytes32;
import org.web3j.crypto.Sign;

/** libsecp256k1 and BouncyCastle agree on every result, valid input or not. */
class Secp256k1EngineProperties {
  private static final BigInteger N = Secp256k1.CURVE_ORDER;
  private static final Secp256k1Engine JAVA = Secp256k1Engine.bouncyCastle();
  private static final Secp256k1Engine NATIVE =
      Secp256k1Engine.nativeLibrary()
          .orElseThrow(
              () ->
                  new AssertionError(
                      "libsecp256k1 did not load: " + NativeEngine.failure().orElse("?")));

  @Example
  void theNativeLibraryIsTheOneInUse() {
    assertThat(Secp256k1.engine()).isSameAs(NATIVE);
    assertThat(NATIVE.name()).contains("libsecp256k1");
    assertThat(JAVA.name()).isEqualTo("BouncyCastle");
  }

  @Property(tries = 300)
  void signingIsIdenticalDeterministicAndLowS(
      @ForAll("keys") Secp256k1PrivateKey key, @ForAll("hashes") Bytes32 hash) {
    Secp256k1Signature mine = NATIVE.sign(key, hash);
    assertThat(mine).isEqualTo(JAVA.sign(key, hash)).isEqualTo(NATIVE.sign(key, hash));
    assertThat(mine.s().toUnsignedBigInteger()).isLessThanOrEqualTo(Secp256k1.HALF_CURVE_ORDER);
    assertThat(NATIVE.recover(hash, mine)).isEqualTo(key.publicKey());
    assertThat(JAVA.recover(hash, mine)).isEqualTo(key.publicKey());
    assertThat(NATIVE.recoverAddress(hash, mine)).isEqualTo(key.address());
    assertThat(JAVA.recoverAddress(hash, mine)).isEqualTo(key.address());
  }

  @Property(tries = 300)
  void publicKeysAreIdentical(@ForAll("keys") Secp256k1PrivateKey key) {
    byte[] d = key.bytes().toArrayUnsafe();
    assertThat(NATIVE.publicKeyXy(d)).isEqualTo(JAVA.publicKeyXy(d));
  }

  @Property(tries = 300)
  void verificationIsIdentical(
      @ForAll("keys") Secp256k1PrivateKey key,
      @ForAll("hashes") Bytes32 hash,
      @ForAll("hashes") Bytes32 other,
      @ForAll boolean flipRecoveryId) {
    Secp256k1Signature s = key.sign(hash);
    Secp256k1Signature t =
        flipRecoveryId ? new Secp256k1Signature(s.r(), s.s(), 1 - s.recoveryId()) : s;
    for (Bytes32 h : new Bytes32[] {hash, other}) {
      assertThat(NATIVE.verify(key.publicKey(), h, t))
          .isEqualTo(JAVA.verify(key.publicKey(), h, t));
      assertThat(NATIVE.verify(key.address(), h, t)).isEqualTo(JAVA.verify(key.address(), h, t));
    }
  }

  /**
   * r and s from the edges (0, 1, n/2, n/2 + 1, n - 1, n, 2^256 - 1) and at random, any v: both
   * engines decode, recover or refuse the same, with the same message.
   */
  @Property(tries = 1000)
  void arbitrarySignaturesAreTreatedIdentically(
      @ForAll("scalars") BigInteger r,
      @ForAll("scalars") BigInteger s,
      @ForAll("vs") int v,
      @ForAll("hashes") Bytes32 hash) {
    Bytes encoded = Bytes.concatenate(bytes32(r), bytes32(s), Bytes.of(v));
    Secp256k1Signature signature;
    try {
      signature = Secp256k1Signature.decode(encoded);
    } catch (InvalidInputException e) { // checked before any engine runs
      assertThat(e.getMessage()).startsWith("signature");
      Statistics.collect("refused when decoding");
      return;
    }
    Object outcome = outcome(NATIVE, hash, signature);
    assertThat(outcome).isEqualTo(outcome(JAVA, hash, signature));
    Statistics.collect(outcome instanceof String ? "no key recovers" : "a key recovers");
  }

  @Example
  void rThatIsNoCurveXCoordinateFailsInBoth() {
    // x = 5: 5^3 + 7 is not a square mod p
    Secp256k1Signature signature =
        new Secp256k1Signature(Bytes32.fromHexString("0x05"), Bytes32.fromHexString("0x01"), 0);
    for (Secp256k1Engine engine : new Secp256k1Engine[] {NATIVE, JAVA}) {
      assertThat(outcome(engine, Bytes32.ZERO, signature)).isEqualTo(Secp256k1Engine.NO_RECOVERY);
    }
  }

  @Property(tries = 50)
  void aKeyAtInfinityFailsInBoth(@ForAll("keys") Secp256k1PrivateKey k) {
    // R = k·G, s = 1 and hash = k give Q = r^-1 (s·R - hash·G) = infinity
    BigInteger xy = Sign.publicKeyFromPrivate(k.bytes().toUnsignedBigInteger());
    BigInteger x = xy.shiftRight(256);
    if (x.compareTo(N) >= 0) {
      return; // r would be x - n: another point
    }
    Secp256k1Signature signature =
        new Secp256k1Signature(bytes32(x), bytes32(BigInteger.ONE), xy.testBit(0) ? 1 : 0);
    for (Secp256k1Engine engine : new Secp256k1Engine[] {NATIVE, JAVA}) {
      assertThat(outcome(engine, k.bytes(), signature)).isEqualTo(Secp256k1Engine.NO_RECOVERY);
    }
  }

  /** The key recovered, or the refusal's message; the address recovered is the key's own. */
  private static Object outcome(Secp256k1Engine engine, Bytes32 hash, Secp256k1Signature sig) {
    Secp256k1PublicKey key;
    try {
      key = engine.recover(hash, sig);
    } catch (InvalidInputException e) {
      assertThatThrownBy(() -> engine.recoverAddress(hash, sig))
          .isInstanceOf(InvalidInputException.class)
          .hasMessage(e.getMessage());
      return e.getMessage();
    }
    assertThat(engine.recoverAddress(hash, sig)).isEqualTo(key.address());
    return key;
  }

  private static Bytes32 bytes32(BigInteger v) {
    return Bytes32.leftPad(Bytes.wrap(Secp256k1.toUnsigned(v, 32)));
  }

  @Provide
  Arbitrary<BigInteger> scalars() {
    BigInteger half = Secp256k1.HALF_CURVE_ORDER;
    return Arbitraries.oneOf(
        Arbitraries.of(
            BigInteger.ZERO,
            BigInteger.ONE,
            half,
            half.add(BigInteger.ONE),
            N.subtract(BigInteger.ONE),
            N,
            BigInteger.ONE.shiftLeft(256).subtract(BigInteger.ONE)),
        Arbitraries.bigIntegers().between(BigInteger.ONE, half),
        Arbitraries.bigIntegers()
            .between(BigInteger.ZERO, BigInteger.ONE.shiftLeft(256).subtract(BigInteger.ONE)));
  }

  @Provide
  Arbitrary<Integer> vs() {
    return Arbitraries.oneOf(Arbitraries.of(0, 1, 27, 28), Arbitraries.integers().between(0, 255));
  }

  @Provide
  Arbitrary<Secp256k1PrivateKey> keys() {
    return Arbitraries.bigIntegers()
        .between(BigInteger.ONE, N.subtract(BigInteger.ONE))
        .map(d -> Secp256k1PrivateKey.fromBytes(bytes32(d)));
  }

  @Provide
  Arbitrary<Bytes32> hashes() {
    return Arbitraries.oneOf(
        Arbitraries.bytes().array(byte[].class).ofSize(32).map(Bytes32::wrap),
        // hashes at or above n, where RFC 6979 reduces the hash before deriving the nonce
        Arbitraries.bigIntegers()
            .between(N, BigInteger.ONE.shiftLeft(256).subtract(BigInteger.ONE))
            .map(Secp256k1EngineProperties::bytes32));
  }
}
