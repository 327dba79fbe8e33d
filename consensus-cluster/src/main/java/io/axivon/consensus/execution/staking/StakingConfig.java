package io.axivon.consensus.execution.staking;

import io.axivon.consensus.types.Validator;
import io.axivon.consensus.types.ValidatorSet;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Staking and slashing parameters (specs/staking.md).
 *
 * @param consensusChainId the consensus chain id that votes sign (evidence is checked against it)
 * @param epochLength blocks per epoch: the set is recomputed at every multiple of it
 * @param unbondingPeriod blocks between undelegate and withdraw; at least {@code maxEvidenceAge},
 *     so that stake cannot leave before evidence against it expires
 * @param minSelfStake wei the operator must keep delegated to its own validator to be eligible
 * @param maxValidators the set holds the top this many eligible validators by stake
 * @param slashBps the fraction of stake slashed for equivocation, in basis points
 * @param maxEvidenceAge evidence of height {@code h} is accepted up to block {@code h +
 *     maxEvidenceAge}
 */
public record StakingConfig(
    String consensusChainId,
    long epochLength,
    long unbondingPeriod,
    BigInteger minSelfStake,
    int maxValidators,
    int slashBps,
    long maxEvidenceAge,
    List<GenesisValidator> genesisValidators) {
  /** 1 AXN in wei. */
  public static final BigInteger AXN = BigInteger.TEN.pow(18);

  public static final int BPS = 10_000;

  public StakingConfig {
    genesisValidators = List.copyOf(genesisValidators);
    if (consensusChainId == null || consensusChainId.isEmpty()) {
      throw new IllegalArgumentException("consensus chain id is required");
    }
    if (epochLength < 1) {
      throw new IllegalArgumentException("epoch length must be >= 1");
    }
    if (maxEvidenceAge < 0 || unbondingPeriod < maxEvidenceAge) {
      throw new IllegalArgumentException(
          "need 0 <= maxEvidenceAge <= unbondingPeriod, got "
              + maxEvidenceAge
              + " and "
              + unbondingPeriod);
    }
    if (minSelfStake == null || minSelfStake.compareTo(AXN) < 0) {
      throw new IllegalArgumentException("minimum self-stake must be at least 1 AXN");
    }
    if (maxValidators < 1 || maxValidators > Validator.MAX_VALIDATORS) {
      throw new IllegalArgumentException("maxValidators must be in [1, 10000]");
    }
    if (slashBps < 0 || slashBps > BPS) {
      throw new IllegalArgumentException("slashBps must be in [0, 10000]");
    }
    if (genesisValidators.isEmpty()) {
      throw new IllegalArgumentException("staking needs at least one genesis validator");
    }
    Set<Object> seen = new HashSet<>();
    for (GenesisValidator g : genesisValidators) {
      if (!seen.add(g.operator()) || !seen.add(g.publicKey())) {
        throw new IllegalArgumentException("genesis validators repeat an operator or key");
      }
      if (g.stake().compareTo(minSelfStake) < 0) {
        throw new IllegalArgumentException("genesis validator stake below the minimum self-stake");
      }
    }
  }

  /**
   * The set of epoch 0, as the staking module computes it from the genesis validators: what the
   * consensus genesis of the chain (and of every chain of the cluster) must name.
   */
  public ValidatorSet genesisValidatorSet() {
    List<Validator> vs = new ArrayList<>();
    for (GenesisValidator g : genesisValidators) {
      long power =
          g.stake().divide(AXN).min(BigInteger.valueOf(StakingLedger.MAX_POWER)).longValueExact();
      vs.add(new Validator(g.publicKey(), power));
    }
    vs.sort(ValidatorSet.ORDER);
    return new ValidatorSet(vs.subList(0, Math.min(vs.size(), maxValidators)));
  }

  /**
   * Devnet parameters: epochs of 10 blocks, 20 blocks of unbonding, evidence accepted for 20
   * blocks, 100 AXN minimum self-stake, 100 validators, 5 % slashed.
   */
  public static StakingConfig devnet(String consensusChainId, List<GenesisValidator> validators) {
    return new StakingConfig(
        consensusChainId, 10, 20, AXN.multiply(BigInteger.valueOf(100)), 100, 500, 20, validators);
  }
}
