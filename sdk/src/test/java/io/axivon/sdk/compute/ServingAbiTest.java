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
}
