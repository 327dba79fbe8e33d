package io.axivon.storage.mining;

import io.axivon.sdk.mining.MiningContext;
import java.util.List;
import java.util.Optional;
import org.apache.tuweni.bytes.Bytes32;

/**
 * The flow data a miner holds, unsealed, and the proofs of its units against a context's flow root.
 * The storage node backs it with its segment store and the flow's submission records.
 */
public interface FlowUnits {
  /**
   * Copies unit {@code unit} (flow sectors {@code 16u … 16u + 15}) into {@code out[0..4096)}.
   *
   * @return false when the node does not hold it
   */
  boolean read(long unit, byte[] out);

  /** A unit's Merkle root and its siblings up to {@code ctx.flowRoot()}, bottom up. */
  record UnitProof(Bytes32 unitRoot, List<Bytes32> siblings) {
    public UnitProof {
      siblings = List.copyOf(siblings);
    }
  }

  /** The proof of {@code unit} under {@code ctx}, empty when it cannot be built. */
  Optional<UnitProof> proof(long unit, MiningContext ctx);
}
