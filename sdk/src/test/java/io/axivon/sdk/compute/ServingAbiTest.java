package io.axivon.sdk.compute;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.axivon.common.InvalidInputException;
import io.axivon.common.crypto.secp256k1.Address;
import java.math.BigInteger;
import java.util.List;
import org.apache.tuweni.bytes.Bytes;
import org.junit.jupiter.api.Test;

class ServingAbiTest {
  private static final ServiceInfo S =
      new ServiceInfo(
          Address.fromHex("0x3C44CdDdB6a900fa2b585dd299e03d12FA4293BC"),
          "llama",
          "chatbot",
          "https://gpu.example.org/v1",
          "llama-3-8b",
          BigInteger.TEN,
          BigInteger.valueOf(20),
          Verifiability.SIGNED_RESPONSE,
          42);

  @Test
  void selectorsAreKeccakOfTheSignatures() {
    // transfer(address,uint256) is the best known selector: checks the helper itself.
    assertThat(ServingAbi.selector("transfer(address,uint256)").toHexString())
        .isEqualTo("0xa9059cbb");
    assertThat(ServingAbi.SETTLE_FEES)
        .isEqualTo("settleFees((address,string,uint256,uint256,bytes32,bytes)[])");
  }

  @Test
  void serviceRoundTrips() {
    assertThat(ServingAbi.decodeServiceReturn(ServingAbi.encodeServiceReturn(S))).isEqualTo(S);
    ServiceInfo t =
        new ServiceInfo(
            S.provider(),
            "b",
            "x",
            "http://h",
            "",
            BigInteger.ZERO,
            BigInteger.ONE,
            Verifiability.NONE,
            0);
    assertThat(ServingAbi.decodeServicesReturn(ServingAbi.encodeServicesReturn(List.of(S, t))))
        .containsExactly(S, t);
    assertThat(ServingAbi.decodeServicesReturn(ServingAbi.encodeServicesReturn(List.of())))
        .isEmpty();
  }

  @Test
  void serviceTupleLayoutIsTheSolidityOne() {
    Bytes enc = ServingAbi.encodeServiceReturn(S);
    // offset to the tuple, then 9 head words; the name's offset is 9 words into the tuple
    assertThat(enc.slice(0, 32).toUnsignedBigInteger()).isEqualTo(BigInteger.valueOf(32));
    assertThat(enc.slice(64, 32).toUnsignedBigInteger()).isEqualTo(BigInteger.valueOf(9 * 32));
    assertThat(enc.slice(32 + 9 * 32, 32).toUnsignedBigInteger()).isEqualTo(BigInteger.valueOf(5));
  }

  @Test
  void accountRoundTripsAndRejectsWrongSize() {
    SubAccount a = new SubAccount(BigInteger.TEN, BigInteger.TWO, BigInteger.ONE, 99);
    assertThat(ServingAbi.decodeAccount(ServingAbi.encodeAccount(a))).isEqualTo(a);
    assertThatThrownBy(() -> ServingAbi.decodeAccount(Bytes.wrap(new byte[96])))
        .isInstanceOf(InvalidInputException.class);
  }

  @Test
  void verifiabilityCodes() {
    assertThat(Verifiability.of(1)).isEqualTo(Verifiability.SIGNED_RESPONSE);
    assertThat(Verifiability.TEE_ATTESTED.label()).isEqualTo("tee-attested");
    assertThatThrownBy(() -> Verifiability.of(3))
        .hasMessage(
            "verifiability must be 0 (none), 1 (signed-response) or 2 (tee-attested), got 3");
  }

  @Test
  void settleFeesAcceptsSignaturesWithVAsZeroOrOne() {
    var key =
        io.axivon.common.crypto.secp256k1.Secp256k1PrivateKey.fromHex(
            "0x59c6995e998f97a5a0044966f0945389dc9e86dae88c7a8412f4603b6b78690d");
    Address provider = S.provider();
    ServingRequest r =
        new ServingRequest(
            key.address(),
            provider,
            "llama",
            BigInteger.ONE,
            BigInteger.TEN,
            org.apache.tuweni.bytes.Bytes32.ZERO);
    SignedRequest signed =
        new SignedRequest(
            r, key.sign(org.apache.tuweni.bytes.Bytes32.fromHexString("0x" + "ab".repeat(32))));
    Bytes args = ServingAbi.encodeSettleFeesArgs(List.of(signed));
    // the same call with v written as 0/1 (the last byte of the signature's 65)
    byte[] low = args.toArray();
    int v = indexOfSignatureV(low, signed.signature().encode());
    low[v] -= 27;
    assertThat(low[v]).isBetween((byte) 0, (byte) 1);
    assertThat(ServingAbi.decodeSettleFeesArgs(Bytes.wrap(low), provider, 10))
        .containsExactly(signed);
    // any other byte changed is still refused
    low[v] = 5;
    assertThatThrownBy(() -> ServingAbi.decodeSettleFeesArgs(Bytes.wrap(low), provider, 10))
        .isInstanceOf(InvalidInputException.class);
  }

  private static int indexOfSignatureV(byte[] args, Bytes sig) {
    byte[] s = sig.toArrayUnsafe();
    outer:
    for (int i = 0; i + s.length <= args.length; i++) {
      for (int j = 0; j < s.length; j++) {
        if (args[i + j] != s[j]) {
          continue outer;
        }
      }
      return i + 64;
    }
    throw new AssertionError("signature not found in the call data");
  }
}
