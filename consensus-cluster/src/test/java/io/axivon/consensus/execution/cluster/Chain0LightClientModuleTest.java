package io.axivon.consensus.execution.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import io.axivon.common.crypto.secp256k1.Address;
import io.axivon.consensus.app.ValidatorUpdate;
import io.axivon.consensus.cluster.Chain0Fixture;
import io.axivon.consensus.cluster.TrustedSet;
import io.axivon.consensus.execution.system.Abi;
import io.axivon.consensus.execution.system.EndBlock;
import io.axivon.consensus.execution.system.MapState;
import io.axivon.consensus.execution.system.ModuleCall;
import io.axivon.consensus.execution.system.ModuleResult;
import io.axivon.consensus.execution.system.SystemModules;
import io.axivon.consensus.types.BlockHeader;
import io.axivon.consensus.types.SetChange;
import io.axivon.consensus.types.ValidatorSet;
import java.math.BigInteger;
import java.util.List;
import org.apache.tuweni.bytes.Bytes;
import org.junit.jupiter.api.Test;

class Chain0LightClientModuleTest {
  final ValidatorSet four = Chain0Fixture.set(10, 10, 10, 10);
  final ValidatorSet five = Chain0Fixture.set(10, 10, 10, 10, 25);
  final ValidatorSet three = Chain0Fixture.set(10, 20, 10);
  final Chain0LightClientModule module = new Chain0LightClientModule(Chain0Fixture.CHAIN0, four);
  final MapState state = new MapState();
  static final Address NOBODY = Address.fromHex("0x" + "00".repeat(20));

  Chain0LightClientModuleTest() {
    ModuleCall g = ModuleCall.hook(state, Chain0LightClientModule.ADDRESS, 0);
    module.genesis(g);
    g.flush();
  }

  List<ValidatorUpdate> endBlock(long height, SetChange... changes) {
    ModuleCall c = ModuleCall.hook(state, Chain0LightClientModule.ADDRESS, height);
    List<ValidatorUpdate> out =
        module.endBlock(
            c,
            new EndBlock(
                height,
                0,
                NOBODY,
                BigInteger.ZERO,
                List.of(),
                org.apache.tuweni.bytes.Bytes32.ZERO,
                List.of(changes)));
    c.flush();
    return out;
  }

  TrustedSet trusted(long height) {
    return module.trusted(
        new ModuleCall(state, Chain0LightClientModule.ADDRESS, height, Long.MAX_VALUE, true));
  }

  @Test
  void followsChain0sChangesAndTurnsThemIntoValidatorUpdatesOnce() {
    assertThat(trusted(0)).isEqualTo(new TrustedSet(Chain0Fixture.CHAIN0, 1, four));
    assertThat(endBlock(1)).isEmpty();

    SetChange toFive = Chain0Fixture.change(21, four, five);
    List<ValidatorUpdate> updates = endBlock(2, toFive);
    assertThat(updates)
        .containsExactly(new ValidatorUpdate(Chain0Fixture.KEYS.get(4).publicKey(), 25));
    assertThat(trusted(2)).isEqualTo(new TrustedSet(Chain0Fixture.CHAIN0, 22, five));
    // recomputed after a restart from the state, as the node asks for committed blocks
    ModuleCall view =
        new ModuleCall(state, Chain0LightClientModule.ADDRESS, 2, Long.MAX_VALUE, true);
    assertThat(module.validatorUpdatesOf(view, 2)).isEqualTo(updates);
    assertThat(module.validatorUpdatesOf(view, 1)).isEmpty();

    // another proposer relays the same change again: nothing moves
    assertThat(endBlock(3, toFive)).isEmpty();
    assertThat(trusted(3).fromHeight()).isEqualTo(22);

    // two changes in one block: the updates go straight to the last set
    SetChange toThree = Chain0Fixture.change(41, five, three);
    SetChange backToFour = Chain0Fixture.change(61, three, four);
    assertThat(endBlock(4, toThree, backToFour))
        .containsExactly(new ValidatorUpdate(Chain0Fixture.KEYS.get(4).publicKey(), 0));
    assertThat(trusted(4)).isEqualTo(new TrustedSet(Chain0Fixture.CHAIN0, 62, four));
  }

  @Test
  void aChangeThatDoesNotVerifyIsSkippedAndChangesNothing() {
    ValidatorSet mine = Chain0Fixture.set(1, 1, 1, 1, 100);
    BlockHeader forged = Chain0Fixture.header(21, mine, mine);
    SetChange bogus =
        new SetChange(
            Chain0Fixture.header(21, four, mine),
            Chain0Fixture.certify(Chain0Fixture.CHAIN0, forged, mine, 4),
            mine);
    MapState before = state.copy();
    assertThat(endBlock(2, bogus)).isEmpty();
    assertThat(state).isEqualTo(before);
    assertThat(trusted(2).validators()).isEqualTo(four);
  }

  @Test
  void trustedSetIsReadableThroughItsAbi() {
    endBlock(2, Chain0Fixture.change(21, four, five));
    ModuleResult r =
        SystemModules.of(module)
            .invoke(
                state,
                NOBODY,
                Chain0LightClientModule.ADDRESS,
                BigInteger.ZERO,
                Abi.selector(Chain0LightClientModule.TRUSTED_SET),
                1_000_000,
                true,
                3);
    assertThat(r.success()).isTrue();
    assertThat(r.returnData())
        .isEqualTo(
            Bytes.concatenate(org.apache.tuweni.bytes.Bytes32.leftPad(Bytes.of(22)), five.hash()));
    ModuleResult unknown =
        SystemModules.of(module)
            .invoke(
                state,
                NOBODY,
                Chain0LightClientModule.ADDRESS,
                BigInteger.ZERO,
                Bytes.fromHexString("0xdeadbeef"),
                1_000_000,
                false,
                3);
    assertThat(unknown.status()).isEqualTo(ModuleResult.Status.REVERTED);
  }

  @Test
  void diffGivesNewPowersThenRemovals() {
    assertThat(Chain0LightClientModule.diff(five, three))
        .startsWith(new ValidatorUpdate(Chain0Fixture.KEYS.get(1).publicKey(), 20))
        .containsExactlyInAnyOrder(
            new ValidatorUpdate(Chain0Fixture.KEYS.get(1).publicKey(), 20),
            new ValidatorUpdate(Chain0Fixture.KEYS.get(3).publicKey(), 0),
            new ValidatorUpdate(Chain0Fixture.KEYS.get(4).publicKey(), 0));
  }
}
