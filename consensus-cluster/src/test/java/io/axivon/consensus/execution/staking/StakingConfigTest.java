package io.axivon.consensus.execution.staking;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.axivon.common.crypto.secp256k1.Address;
import io.axivon.consensus.app.ValidatorUpdate;
import io.axivon.consensus.types.Validator;
import io.axivon.consensus.types.ValidatorSet;
import java.math.BigInteger;
import java.util.List;
import org.junit.jupiter.api.Test;

class StakingConfigTest {
  static final BigInteger AXN = StakingConfig.AXN;

  static GenesisValidator gv(int i, long axn) {
    return new GenesisValidator(
        Address.fromHex(String.format("0x%040x", 0xa0 + i)),
        StakingChainTest.BLS.get(i).publicKey(),
        AXN.multiply(BigInteger.valueOf(axn)),
        0);
  }

  @Test
  void evidenceMustExpireBeforeStakeCanLeave() {
    assertThatThrownBy(() -> new StakingConfig("c", 10, 5, AXN, 10, 500, 6, List.of(gv(0, 10))))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("maxEvidenceAge <= unbondingPeriod");
  }

  @Test
  void refusesBadParameters() {
    assertThatThrownBy(() -> new StakingConfig("c", 0, 5, AXN, 10, 500, 5, List.of(gv(0, 10))))
        .hasMessageContaining("epoch length");
    assertThatThrownBy(() -> new StakingConfig("c", 1, 5, AXN, 10, 10_001, 5, List.of(gv(0, 10))))
        .hasMessageContaining("slashBps");
    assertThatThrownBy(() -> new StakingConfig("c", 1, 5, AXN, 10, 500, 5, List.of()))
        .hasMessageContaining("at least one genesis validator");
    assertThatThrownBy(
            () -> new StakingConfig("c", 1, 5, AXN, 10, 500, 5, List.of(gv(0, 10), gv(0, 20))))
        .hasMessageContaining("repeat");
    assertThatThrownBy(
            () ->
                new StakingConfig(
                    "c",
                    1,
                    5,
                    AXN.multiply(BigInteger.valueOf(50)),
                    10,
                    500,
                    5,
                    List.of(gv(0, 10))))
        .hasMessageContaining("below the minimum self-stake");
  }

  @Test
  void genesisSetIsTheTopValidatorsByWholeAxn() {
    StakingConfig c =
        new StakingConfig("c", 1, 5, AXN, 2, 500, 5, List.of(gv(0, 10), gv(1, 30), gv(2, 20)));
    ValidatorSet set = c.genesisValidatorSet();
    assertThat(set.validators())
        .containsExactly(
            new Validator(StakingChainTest.BLS.get(1).publicKey(), 30),
            new Validator(StakingChainTest.BLS.get(2).publicKey(), 20));
  }

  @Test
  void diffRemovesLeaversAndSetsChangedPowers() {
    ValidatorSet before =
        ValidatorSet.of(
            List.of(
                new Validator(StakingChainTest.BLS.get(0).publicKey(), 5),
                new Validator(StakingChainTest.BLS.get(1).publicKey(), 7)));
    ValidatorSet after =
        ValidatorSet.of(
            List.of(
                new Validator(StakingChainTest.BLS.get(1).publicKey(), 7),
                new Validator(StakingChainTest.BLS.get(2).publicKey(), 3)));
    assertThat(StakingLedger.diff(before, after))
        .containsExactly(
            new ValidatorUpdate(StakingChainTest.BLS.get(0).publicKey(), 0),
            new ValidatorUpdate(StakingChainTest.BLS.get(2).publicKey(), 3));
    assertThat(StakingLedger.diff(after, after)).isEmpty();
  }
}
