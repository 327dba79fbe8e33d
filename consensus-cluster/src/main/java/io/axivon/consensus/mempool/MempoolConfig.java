package io.axivon.consensus.mempool;

/** TEMPORARY stand-in until the store branch's mempool is merged. */
public record MempoolConfig(
    int maxTxs, long maxBytes, int maxTxBytes, int maxQueuedPerSender, int priceBumpPercent) {
  public static MempoolConfig defaults() {
    return new MempoolConfig(50_000, 64L << 20, 128 * 1024, 64, 10);
  }
}
