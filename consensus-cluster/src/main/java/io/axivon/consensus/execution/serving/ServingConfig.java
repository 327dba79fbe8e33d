package io.axivon.consensus.execution.serving;

/**
 * The serving module's parameters (specs/compute.md).
 *
 * @param chainId the chain id of the EIP-712 domain users sign requests in (chain 0's)
 * @param lockBlocks blocks a requested refund stays chargeable by the provider before the user can
 *     take it back: the provider's window to settle requests already served
 * @param maxBatch most requests in one {@code settleFees}
 */
public record ServingConfig(long chainId, long lockBlocks, int maxBatch) {
  public ServingConfig {
    if (chainId < 0) {
      throw new IllegalArgumentException("chainId must be >= 0");
    }
    if (lockBlocks < 0 || lockBlocks > 1L << 40) {
      throw new IllegalArgumentException("lockBlocks must be in [0, 2^40]");
    }
    if (maxBatch < 1 || maxBatch > 4096) {
      throw new IllegalArgumentException("maxBatch must be in [1, 4096]");
    }
  }

  /** Devnet: 10-block refund lock (10 s at one block a second), batches of up to 256. */
  public static ServingConfig devnet(long chainId) {
    return new ServingConfig(chainId, 10, 256);
  }
}
