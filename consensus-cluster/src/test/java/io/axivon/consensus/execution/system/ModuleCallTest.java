package io.axivon.consensus.execution.system;

import static org.assertj.core.api.Assertions.assertThat;

import io.axivon.common.crypto.secp256k1.Address;
import org.apache.tuweni.bytes.Bytes;
import org.apache.tuweni.bytes.Bytes32;
import org.junit.jupiter.api.Test;

class ModuleCallTest {
  static final Address HERE = Address.fromHex("0x0000000000000000000000000000000000002000");
  static final Bytes32 KEY = Bytes32.leftPad(Bytes.of(5));
  static final Bytes32 ONE = Bytes32.leftPad(Bytes.of(1));
  static final Bytes32 TWO = Bytes32.leftPad(Bytes.of(2));

  @Test
  void updateOfAnEmptySlotCostsAFullWrite() {
    ModuleCall c = ModuleCall.hook(new MapState(), HERE, 1);
    c.update(KEY, ONE);
    assertThat(c.gasUsed()).isEqualTo(ModuleCall.SSTORE_GAS);
    assertThat(c.load(KEY)).isEqualTo(ONE);
  }

  @Test
  void updateOfANonzeroSlotCostsTheResetPrice() {
    MapState state = new MapState();
    state.setStorage(HERE, KEY, ONE);
    ModuleCall c = ModuleCall.hook(state, HERE, 1);
    c.update(KEY, TWO);
    c.update(KEY, Bytes32.ZERO); // nonzero in this call's overlay: still a reset
    assertThat(c.gasUsed()).isEqualTo(2 * ModuleCall.SSTORE_RESET_GAS);
    c.flush();
    assertThat(state.storage(HERE, KEY)).isEqualTo(Bytes32.ZERO);
  }

  @Test
  void updateSeesThisCallsEarlierWrites() {
    ModuleCall c = ModuleCall.hook(new MapState(), HERE, 1);
    c.store(KEY, ONE);
    c.update(KEY, TWO);
    assertThat(c.gasUsed()).isEqualTo(ModuleCall.SSTORE_GAS + ModuleCall.SSTORE_RESET_GAS);
  }
}
