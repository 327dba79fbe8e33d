package io.axivon.consensus.execution.system;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.axivon.common.crypto.secp256k1.Address;
import java.math.BigInteger;
import java.util.List;
import org.apache.tuweni.bytes.Bytes;
import org.apache.tuweni.bytes.Bytes32;
import org.junit.jupiter.api.Test;
import org.web3j.abi.TypeReference;
import org.web3j.abi.datatypes.Type;
import org.web3j.abi.datatypes.generated.Uint256;

class SystemModulesTest {
  static final Address HERE = Address.fromHex("0x0000000000000000000000000000000000002000");
  static final Address ALICE = Address.fromHex("0x00000000000000000000000000000000000000aa");

  /** A module in a dozen lines: store(uint256) payable, fail(), burn(uint256), get(). */
  static final class CounterModule implements SystemModule {
    @Override
    public Address address() {
      return HERE;
    }

    @Override
    public Bytes call(ModuleCall c, Address caller, BigInteger value, Bytes input) {
      Bytes sel = input.slice(0, 4);
      if (sel.equals(Abi.selector("store(uint256)"))) {
        List<Type> a = Abi.decodeArgs(input.slice(4), List.of(new TypeReference<Uint256>() {}));
        c.transfer(caller, c.self(), value);
        c.store(
            Bytes32.ZERO,
            Bytes32.leftPad(
                Bytes.wrap(((Uint256) a.get(0)).getValue().toByteArray()).trimLeadingZeros()));
        c.log(List.of(Abi.eventTopic("Stored(uint256)")), input.slice(4));
        return Bytes.EMPTY;
      }
      if (sel.equals(Abi.selector("fail()"))) {
        c.store(Bytes32.ZERO, Bytes32.leftPad(Bytes.of(9)));
        throw new ModuleRevert("nope");
      }
      if (sel.equals(Abi.selector("burn()"))) {
        while (true) {
          c.store(Bytes32.ZERO, Bytes32.ZERO);
        }
      }
      return c.load(Bytes32.ZERO);
    }
  }

  final SystemModules modules = SystemModules.of(new CounterModule());
  final MapState state = new MapState();

  ModuleResult invoke(BigInteger value, Bytes input, long gas, boolean readOnly) {
    return modules.invoke(state, ALICE, HERE, value, input, gas, readOnly, 1);
  }

  @Test
  void successWritesStorageMovesValueAndLogs() {
    state.addBalance(ALICE, BigInteger.TEN);
    ModuleResult r =
        invoke(BigInteger.TWO, Abi.call("store(uint256)", List.of(new Uint256(7))), 100_000, false);
    assertThat(r.success()).isTrue();
    assertThat(r.gasUsed())
        .isEqualTo(
            ModuleCall.CALL_GAS
                + ModuleCall.SSTORE_GAS
                + 375
                + 375
                + 8 * 32
                + ModuleCall.BALANCE_GAS);
    assertThat(state.storage(HERE, Bytes32.ZERO)).isEqualTo(Bytes32.leftPad(Bytes.of(7)));
    assertThat(state.balance(HERE)).isEqualTo(BigInteger.TWO);
    assertThat(state.balance(ALICE)).isEqualTo(BigInteger.valueOf(8));
    assertThat(r.logs()).hasSize(1);
    ModuleResult get = invoke(BigInteger.ZERO, Abi.selector("get()"), 100_000, true);
    assertThat(get.returnData()).isEqualTo(Bytes32.leftPad(Bytes.of(7)));
  }

  @Test
  void revertKeepsTheStateAndReturnsErrorString() {
    MapState before = state.copy();
    ModuleResult r = invoke(BigInteger.ZERO, Abi.selector("fail()"), 100_000, false);
    assertThat(r.status()).isEqualTo(ModuleResult.Status.REVERTED);
    assertThat(r.returnData()).isEqualTo(Abi.revertData("nope"));
    assertThat(r.gasUsed()).isEqualTo(ModuleCall.CALL_GAS + ModuleCall.SSTORE_GAS);
    assertThat(state).isEqualTo(before);
  }

  @Test
  void outOfGasAndReadOnlyWritesFailWithAllGas() {
    ModuleResult oog = invoke(BigInteger.ZERO, Abi.selector("burn()"), 1_000_000, false);
    assertThat(oog.status()).isEqualTo(ModuleResult.Status.FAILED);
    assertThat(oog.error()).isEqualTo("out of gas");
    assertThat(oog.gasUsed()).isEqualTo(1_000_000);
    ModuleResult ro =
        invoke(BigInteger.ZERO, Abi.call("store(uint256)", List.of(new Uint256(1))), 100_000, true);
    assertThat(ro.status()).isEqualTo(ModuleResult.Status.FAILED);
    assertThat(ro.error()).isEqualTo("write protection");
    assertThat(state.storage(HERE, Bytes32.ZERO)).isEqualTo(Bytes32.ZERO);
    assertThat(invoke(BigInteger.ZERO, Bytes.EMPTY, 4_000, false).status())
        .isEqualTo(ModuleResult.Status.FAILED); // below the call's base cost
  }

  @Test
  void decodingIsStrict() {
    Bytes good =
        Abi.encode(
            List.of(new Uint256(5), new org.web3j.abi.datatypes.Address("0x" + "11".repeat(20))));
    List<TypeReference<?>> types =
        List.of(
            new TypeReference<Uint256>() {},
            new TypeReference<org.web3j.abi.datatypes.Address>() {});
    assertThat(Abi.decodeArgs(good, types)).hasSize(2);
    // dirty high bytes of an address word
    byte[] dirty = good.toArray();
    dirty[32] = 1;
    assertThatThrownBy(() -> Abi.decodeArgs(Bytes.wrap(dirty), types))
        .isInstanceOf(ModuleRevert.class)
        .hasMessage("malformed call data");
    assertThatThrownBy(() -> Abi.decodeArgs(Bytes.concatenate(good, Bytes.of(0)), types))
        .isInstanceOf(ModuleRevert.class);
    assertThatThrownBy(() -> Abi.decodeArgs(good.slice(0, 40), types))
        .isInstanceOf(ModuleRevert.class);
    assertThatThrownBy(() -> Abi.decodeArgs(Bytes.of(1), List.of()))
        .isInstanceOf(ModuleRevert.class);
  }

  @Test
  void registryRefusesTwoModulesAtOneAddress() {
    assertThatThrownBy(() -> SystemModules.of(new CounterModule(), new CounterModule()))
        .isInstanceOf(IllegalArgumentException.class);
    assertThat(modules.feeCollector()).isEmpty();
    assertThat(modules.at(HERE)).isPresent();
  }
}
