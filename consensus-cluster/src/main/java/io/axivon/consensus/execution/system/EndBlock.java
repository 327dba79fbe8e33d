package io.axivon.consensus.execution.system;

import io.axivon.common.crypto.secp256k1.Address;
import io.axivon.consensus.types.Evidence;
import io.axivon.consensus.types.SetChange;
import java.math.BigInteger;
import java.util.List;
import org.apache.tuweni.bytes.Bytes32;

/**
 * What a block hook learns about the block just executed.
 *
 * @param height the block number
 * @param proposerIndex the proposer's index in the validator set of this height (-1 if unknown)
 * @param coinbase the block's coinbase, to which its priority fees were paid
 * @param fees the priority fees this block paid to its coinbase
 * @param evidence the equivocation evidence the block carries (verified by consensus; modules
 *     verify again against their own records)
 * @param hash the block's hash (what BLOCKHASH returns for it later; zero where unknown)
 * @param setChanges chain 0's validator-set changes the block carries (chains i &gt; 0; the light
 *     client module verifies them)
 */
public record EndBlock(
    long height,
    int proposerIndex,
    Address coinbase,
    BigInteger fees,
    List<Evidence> evidence,
    Bytes32 hash,
    List<SetChange> setChanges) {
  public EndBlock {
    evidence = List.copyOf(evidence);
    setChanges = List.copyOf(setChanges);
  }

  /** A block without set changes. */
  public EndBlock(
      long height,
      int proposerIndex,
      Address coinbase,
      BigInteger fees,
      List<Evidence> evidence,
      Bytes32 hash) {
    this(height, proposerIndex, coinbase, fees, evidence, hash, List.of());
  }

  /** A block whose hash the hook does not need, without set changes. */
  public EndBlock(
      long height, int proposerIndex, Address coinbase, BigInteger fees, List<Evidence> evidence) {
    this(height, proposerIndex, coinbase, fees, evidence, Bytes32.ZERO, List.of());
  }
}
