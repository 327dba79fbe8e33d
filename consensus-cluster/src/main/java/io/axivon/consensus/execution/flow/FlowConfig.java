package io.axivon.consensus.execution.flow;

import java.math.BigInteger;

/**
 * The flow module's parameters (specs/flow.md).
 *
 * @param pricePerSector wei per 256-byte sector of a submission's padded size
 * @param epochBlocks blocks per mining epoch: the context is snapshotted at every multiple of it
 */
public record FlowConfig(BigInteger pricePerSector, long epochBlocks) {
  /** Keeps a fee ({@code price * sectors}, sectors below 2^62) far inside uint256. */
  private static final int MAX_PRICE_BITS = 128;

  public FlowConfig {
    if (pricePerSector == null
        || pricePerSector.signum() < 0
        || pricePerSector.bitLength() > MAX_PRICE_BITS) {
      throw new IllegalArgumentException("pricePerSector must be in [0, 2^128) wei");
    }
    if (epochBlocks < 1) {
      throw new IllegalArgumentException("epochBlocks must be >= 1");
    }
  }

  /**
   * Devnet values: 1 gwei per sector (about 0.004 AXN per GiB: non-zero, so fees and {@code
   * NotEnoughFee} are exercised by real uploads, yet negligible next to a development account's
   * balance) and 20-block epochs (a new mining context every 20 s at one block a second).
   */
  public static FlowConfig devnet() {
    return new FlowConfig(BigInteger.TEN.pow(9), 20);
  }
}
