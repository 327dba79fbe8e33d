package io.axivon.consensus.execution.da;

import io.axivon.consensus.execution.staking.StakingConfig;
import io.axivon.da.cert.DaCertificate;
import java.math.BigInteger;
import java.util.Objects;

/**
 * Parameters of the DA system module (specs/da.md §11).
 *
 * @param quorumSize the most members a quorum has (fewer when fewer operators have stake)
 * @param quorumCount quorum ids 0..quorumCount−1 exist in every epoch
 * @param feePerByteWei the blob fee, per declared blob byte, burned at confirmation
 * @param minDisperserBond the bond a disperser must hold to confirm blobs
 * @param bondWithdrawDelay blocks between unbonding and withdrawing a disperser's bond: the window
 *     in which a fraud proof still finds the bond
 * @param proverRewardBps the share of a slashed bond paid to the fraud prover; the rest is burned
 */
public record DaConfig(
    int quorumSize,
    int quorumCount,
    BigInteger feePerByteWei,
    BigInteger minDisperserBond,
    long bondWithdrawDelay,
    int proverRewardBps) {
  public DaConfig {
    Objects.requireNonNull(feePerByteWei, "feePerByteWei");
    Objects.requireNonNull(minDisperserBond, "minDisperserBond");
    if (quorumSize < 1 || quorumSize > DaCertificate.MAX_MEMBERS) {
      throw new IllegalArgumentException(
          "quorum size must be in [1, " + DaCertificate.MAX_MEMBERS + "], got " + quorumSize);
    }
    if (quorumCount < 1 || quorumCount > 256) {
      throw new IllegalArgumentException("quorum count must be in [1, 256], got " + quorumCount);
    }
    if (feePerByteWei.signum() < 0) {
      throw new IllegalArgumentException("the blob fee must not be negative");
    }
    if (minDisperserBond.signum() <= 0) {
      throw new IllegalArgumentException("the minimum disperser bond must be positive");
    }
    if (bondWithdrawDelay < 1) {
      throw new IllegalArgumentException("the bond withdrawal delay must be at least 1 block");
    }
    if (proverRewardBps < 0 || proverRewardBps > StakingConfig.BPS) {
      throw new IllegalArgumentException("proverRewardBps must be in [0, 10000]");
    }
  }

  /**
   * Devnet values: quorums of up to 4, one quorum id, 1 gwei per byte (1 MiB costs about 0.001
   * AXN), a 10 AXN disperser bond withdrawable 100 blocks after unbonding, half of a slashed bond
   * to the prover.
   */
  public static DaConfig devnet() {
    return new DaConfig(
        4, 1, BigInteger.TEN.pow(9), StakingConfig.AXN.multiply(BigInteger.TEN), 100, 5000);
  }
}
