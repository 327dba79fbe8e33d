package io.axivon.sdk.compute;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.axivon.common.InvalidInputException;
import io.axivon.common.crypto.secp256k1.Address;
import io.axivon.common.crypto.secp256k1.Secp256k1PrivateKey;
import java.math.BigInteger;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import org.apache.tuweni.bytes.Bytes;
import org.apache.tuweni.bytes.Bytes32;

class ServingRequestProperties {
  private static final ServingDomain DOMAIN = ServingDomain.of(12700);

  @Provide
  Arbitrary<Secp256k1PrivateKey> keys() {
    return Arbitraries.bytes()
        .array(byte[].class)
        .ofSize(32)
        .map(b -> Bytes32.wrap(b))
        .filter(b -> !b.isZero())
        .map(
            b ->
                b.toUnsignedBigInteger()
                    .mod(io.axivon.common.crypto.secp256k1.Secp256k1.CURVE_ORDER))
        .filter(v -> v.signum() > 0)
        .map(
            v ->
                Secp256k1PrivateKey.fromBytes(
                    Bytes32.leftPad(Bytes.wrap(v.toByteArray()).trimLeadingZeros())));
  }

  static Arbitrary<BigInteger> uint256() {
    return Arbitraries.bigIntegers()
        .between(BigInteger.ZERO, BigInteger.TWO.pow(256).subtract(BigInteger.ONE));
  }

  static Arbitrary<Address> addresses() {
    return Arbitraries.bytes().array(byte[].class).ofSize(20).map(b -> new Address(Bytes.wrap(b)));
  }

  @Provide
  Arbitrary<ServingRequest> requests() {
    return Combinators.combine(
            addresses(),
            addresses(),
            Arbitraries.strings().withCharRange('!', '~').ofMinLength(1).ofMaxLength(64),
            uint256(),
            uint256(),
            Arbitraries.bytes().array(byte[].class).ofSize(32).map(Bytes32::wrap))
        .as(ServingRequest::new);
  }

  @Property(tries = 50)
  void signThenRecoverGivesTheSigner(
      @ForAll("keys") Secp256k1PrivateKey key, @ForAll("requests") ServingRequest r) {
    ServingRequest mine =
        new ServingRequest(
            key.address(), r.provider(), r.service(), r.nonce(), r.fee(), r.requestHash());
    SignedRequest s = SignedRequest.sign(mine, DOMAIN, key);
    assertThat(s.signer(DOMAIN.separator())).isEqualTo(key.address());
    assertThat(s.verify(DOMAIN)).isTrue();
    assertThat(s.verify(ServingDomain.of(12701))).isFalse();
  }

  @Property(tries = 200)
  void anyFieldChangeChangesTheDigest(
      @ForAll("requests") ServingRequest r,
      @ForAll("requests") ServingRequest other,
      @ForAll @IntRange(min = 0, max = 5) int field) {
    ServingRequest changed =
        switch (field) {
          case 0 ->
              new ServingRequest(
                  other.user(), r.provider(), r.service(), r.nonce(), r.fee(), r.requestHash());
          case 1 ->
              new ServingRequest(
                  r.user(), other.provider(), r.service(), r.nonce(), r.fee(), r.requestHash());
          case 2 ->
              new ServingRequest(
                  r.user(), r.provider(), other.service(), r.nonce(), r.fee(), r.requestHash());
          case 3 ->
              new ServingRequest(
                  r.user(), r.provider(), r.service(), other.nonce(), r.fee(), r.requestHash());
          case 4 ->
              new ServingRequest(
                  r.user(), r.provider(), r.service(), r.nonce(), other.fee(), r.requestHash());
          default ->
              new ServingRequest(
                  r.user(), r.provider(), r.service(), r.nonce(), r.fee(), other.requestHash());
        };
    assertThat(changed.digest(DOMAIN).equals(r.digest(DOMAIN))).isEqualTo(changed.equals(r));
  }

  @Property(tries = 30)
  void aSignatureOfAnotherKeyDoesNotVerify(
      @ForAll("keys") Secp256k1PrivateKey key,
      @ForAll("keys") Secp256k1PrivateKey other,
      @ForAll("requests") ServingRequest r) {
    ServingRequest mine =
        new ServingRequest(
            key.address(), r.provider(), r.service(), r.nonce(), r.fee(), r.requestHash());
    SignedRequest forged = new SignedRequest(mine, other.sign(mine.digest(DOMAIN)));
    assertThat(forged.verify(DOMAIN)).isEqualTo(key.address().equals(other.address()));
  }

  @Property(tries = 50)
  void settleFeesArgsRoundTrip(
      @ForAll("keys") Secp256k1PrivateKey key,
      @ForAll("requests") ServingRequest a,
      @ForAll("requests") ServingRequest b) {
    Address provider = a.provider();
    List<SignedRequest> batch =
        List.of(a, b).stream()
            .map(
                r ->
                    SignedRequest.sign(
                        new ServingRequest(
                            key.address(),
                            provider,
                            r.service(),
                            r.nonce(),
                            r.fee(),
                            r.requestHash()),
                        DOMAIN,
                        key))
            .toList();
    Bytes args = ServingAbi.encodeSettleFeesArgs(batch);
    assertThat(ServingAbi.decodeSettleFeesArgs(args, provider, 100)).isEqualTo(batch);
    assertThatThrownBy(
            () ->
                ServingAbi.decodeSettleFeesArgs(
                    Bytes.concatenate(args, Bytes.of(0)), provider, 100))
        .isInstanceOf(InvalidInputException.class);
    assertThatThrownBy(() -> ServingAbi.decodeSettleFeesArgs(args, provider, 1))
        .isInstanceOf(InvalidInputException.class)
        .hasMessage("batch of 2 requests, at most 1");
  }
}
