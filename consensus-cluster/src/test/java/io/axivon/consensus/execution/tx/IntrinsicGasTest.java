package io.axivon.consensus.execution.tx;

import static org.assertj.core.api.Assertions.assertThat;

import io.axivon.common.crypto.secp256k1.Address;
import java.math.BigInteger;
import java.util.List;
import java.util.Optional;
import org.apache.tuweni.bytes.Bytes;
import org.apache.tuweni.bytes.Bytes32;
import org.junit.jupiter.api.Test;

class IntrinsicGasTest {
  private static final Address TO = Address.fromHex("0x00000000000000000000000000000000000000aa");

  private static Transaction tx(Optional<Address> to, Bytes data, List<AccessTuple> al, long gas) {
    return new DynamicFeeTransaction(
        1, 0, BigInteger.ONE, BigInteger.TWO, gas, to, BigInteger.ZERO, data, al, null);
  }

  @Test
  void transferCallAndCreate() {
    assertThat(IntrinsicGas.of(tx(Optional.of(TO), Bytes.EMPTY, List.of(), 0))).isEqualTo(21_000);
    // 2 zero bytes * 4 + 3 non-zero * 16
    Bytes data = Bytes.fromHexString("0x0001020300");
    assertThat(IntrinsicGas.of(tx(Optional.of(TO), data, List.of(), 0)))
        .isEqualTo(21_000 + 2 * 4 + 3 * 16);
    // create: 53000 + data + 2 per 32-byte word of init code (EIP-3860)
    Bytes init = Bytes.wrap(new byte[33]); // 33 zero bytes: 2 words
    assertThat(IntrinsicGas.of(tx(Optional.empty(), init, List.of(), 0)))
        .isEqualTo(53_000 + 33 * 4 + 2 * 2);
  }

  @Test
  void accessList() {
    List<AccessTuple> al =
        List.of(
            new AccessTuple(TO, List.of(Bytes32.ZERO, Bytes32.leftPad(Bytes.of(1)))),
            new AccessTuple(TO, List.of()));
    assertThat(IntrinsicGas.of(tx(Optional.of(TO), Bytes.EMPTY, al, 0)))
        .isEqualTo(21_000 + 2 * 2_400 + 2 * 1_900);
  }

  @Test
  void statelessRulesUseGoEthereumMessages() {
    assertThat(
            TxRules.checkStateless(tx(Optional.of(TO), Bytes.EMPTY, List.of(), 20_999), 30_000_000))
        .contains(TxErrors.INTRINSIC_GAS);
    assertThat(
            TxRules.checkStateless(tx(Optional.of(TO), Bytes.EMPTY, List.of(), 21_000), 30_000_000))
        .isEmpty();
    assertThat(
            TxRules.checkStateless(
                tx(Optional.of(TO), Bytes.EMPTY, List.of(), 40_000_000), 30_000_000))
        .contains(TxErrors.GAS_LIMIT);
    Transaction tipAboveCap =
        new DynamicFeeTransaction(
            1,
            0,
            BigInteger.TEN,
            BigInteger.ONE,
            21_000,
            Optional.of(TO),
            BigInteger.ZERO,
            Bytes.EMPTY,
            List.of(),
            null);
    assertThat(TxRules.checkStateless(tipAboveCap, 30_000_000))
        .contains(TxErrors.TIP_ABOVE_FEE_CAP);
    Transaction bigInit =
        tx(
            Optional.empty(),
            Bytes.wrap(new byte[IntrinsicGas.MAX_INITCODE_SIZE + 1]),
            List.of(),
            10_000_000);
    assertThat(TxRules.checkStateless(bigInit, 30_000_000).orElseThrow())
        .startsWith(TxErrors.MAX_INITCODE_SIZE);
    assertThat(
            TxRules.checkBaseFee(
                tx(Optional.of(TO), Bytes.EMPTY, List.of(), 21_000), BigInteger.valueOf(3)))
        .contains(TxErrors.FEE_CAP_TOO_LOW);
  }

  @Test
  void effectivePriceAndTip() {
    Transaction t =
        new DynamicFeeTransaction(
            1,
            0,
            BigInteger.valueOf(2),
            BigInteger.valueOf(10),
            21_000,
            Optional.of(TO),
            BigInteger.ZERO,
            Bytes.EMPTY,
            List.of(),
            null);
    assertThat(t.effectiveGasPrice(BigInteger.ONE)).isEqualTo(BigInteger.valueOf(3));
    assertThat(t.effectiveTip(BigInteger.ONE)).isEqualTo(BigInteger.valueOf(2));
    assertThat(t.effectiveGasPrice(BigInteger.valueOf(9))).isEqualTo(BigInteger.TEN);
    assertThat(t.effectiveTip(BigInteger.valueOf(9))).isEqualTo(BigInteger.ONE);
    assertThat(TxRules.maxCost(t)).isEqualTo(BigInteger.valueOf(210_000));
  }
}
