package io.axivon.consensus.mempool;

/**
 * Limits of a {@link Mempool}.
 *
 * @param maxTxs the most transactions held
 * @param maxBytes the most transaction bytes held
 * @param maxTxBytes the largest transaction accepted ("oversized data" beyond)
 * @param maxQueuedPerSender the most non-executable (nonce-gapped) transactions of one sender
 * @param priceBumpPercent how much more a replacement (same sender and nonce) must pay, in percent
 */
public record MempoolConfig(
    int maxTxs, long maxBytes, int maxTxBytes, int maxQueuedPerSender, int priceBumpPercent) {
  public MempoolConfig {
    if (maxTxs < 1 || maxBytes < 1 || maxTxBytes < 1 || maxTxBytes > maxBytes) {
      throw new IllegalArgumentException(
          "mempool needs maxTxs >= 1 and 1 <= maxTxBytes <= maxBytes, got "
              + maxTxs
              + ", "
              + maxTxBytes
              + ", "
              + maxBytes);
    }
    if (maxQueuedPerSender < 0 || priceBumpPercent < 0) {
      throw new IllegalArgumentException(
          "mempool maxQueuedPerSender and priceBumpPercent must be >= 0");
    }
  }

  /**
   * go-ethereum's txpool defaults: 5,120 transactions (4,096 pending + 1,024 queued), 64 per
   * sender's future queue, 10% price bump, 128 KiB per transaction; at most 64 MiB in all.
   */
  public static MempoolConfig defaults() {
    return new MempoolConfig(5_120, 64L << 20, 128 << 10, 64, 10);
  }
}
