package io.axivon.consensus.execution;

import io.axivon.consensus.types.Block;
import io.axivon.consensus.types.BlockHeader;
import java.util.List;
import org.apache.tuweni.bytes.Bytes;
import org.apache.tuweni.bytes.Bytes32;

/** Consensus blocks for execution tests. */
final class TestBlocks {
  private TestBlocks() {}

  /**
   * The block after {@code chain}'s head holding {@code txs}, at {@code timeMillis}, on the
   * consensus chain {@code chainId} (no evidence, no validator changes, proposer 0).
   */
  static Block next(String chainId, EvmChain chain, long timeMillis, List<Bytes> txs) {
    return new Block(
        new BlockHeader(
            chainId,
            chain.head().number() + 1,
            timeMillis,
            chain.head().hash(),
            Block.txRoot(txs),
            chain.head().stateRoot(),
            Bytes32.ZERO,
            Bytes32.ZERO,
            0),
        txs);
  }
}
