package io.axivon.consensus.execution.staking;

import io.axivon.common.crypto.bls.BlsPublicKey;
import io.axivon.common.crypto.secp256k1.Address;
import java.math.BigInteger;

/**
 * A validator registered at genesis: its operator account, consensus key, self-stake (minted to the
 * staking module at block 0, on top of the genesis allocation) and commission.
 */
public record GenesisValidator(
    Address operator, BlsPublicKey publicKey, BigInteger stake, int commissionBps) {
  public GenesisValidator {
    if (operator == null || publicKey == null || stake == null) {
      throw new IllegalArgumentException("genesis validator needs operator, key and stake");
    }
    if (stake.compareTo(StakingConfig.AXN) < 0) {
      throw new IllegalArgumentException("genesis validator stake must be at least 1 AXN");
    }
    if (commissionBps < 0 || commissionBps > StakingConfig.BPS) {
      throw new IllegalArgumentException("commission must be in [0, 10000] bps");
    }
  }
}
