package io.axivon.consensus.execution.system;

import io.axivon.common.crypto.secp256k1.Address;
import io.axivon.consensus.types.Evidence;
import java.math.BigInteger;
import java.util.List;

/**
 * What a block hook learns about the block just executed.
 *
 * @param height the block number
 * @param proposerIndex the proposer's index in the validator set of this height (-1 if unknown)
 * @param coinbase the block's coinbase, to which its priority fees were paid
 * @param fees the priority fees this block paid to its coinbase
 * @param evidence the equivocation evidence the block carries (verified by consensus; modules
 *     verify again against their own records)
 */
public record EndBlock(
    long height, int proposerIndex, Address coinbase, BigInteger fees, List<Evidence> evidence) {
  public EndBlock {
    evidence = List.copyOf(evidence);
  }
}
