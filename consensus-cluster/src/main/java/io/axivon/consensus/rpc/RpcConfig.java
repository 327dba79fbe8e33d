package io.axivon.consensus.rpc;

import java.math.BigInteger;

/**
 * JSON-RPC settings.
 *
 * @param host address to bind ("127.0.0.1" for local use only, "0.0.0.0" for all)
 * @param port TCP port (8545 by convention; 0 picks a free one)
 * @param maxRequestBytes largest HTTP request body; larger ones get HTTP 413
 * @param maxBatchSize most calls in one batch; more get a -32600 "batch too large" error
 * @param maxLogsBlockRange most blocks one eth_getLogs may scan
 * @param maxLogsResults most logs one eth_getLogs may return
 * @param gasCap most gas an eth_call or eth_estimateGas may use
 * @param suggestedTip the priority fee eth_maxPriorityFeePerGas suggests (eth_gasPrice adds it to
 *     the next base fee)
 * @param corsOrigin the Access-Control-Allow-Origin sent to browsers ("*" for any)
 * @param ioThreads Netty event-loop threads (calls themselves run on virtual threads)
 */
public record RpcConfig(
    String host,
    int port,
    int maxRequestBytes,
    int maxBatchSize,
    long maxLogsBlockRange,
    int maxLogsResults,
    long gasCap,
    BigInteger suggestedTip,
    String corsOrigin,
    int ioThreads) {
  public static final int DEFAULT_PORT = 8545;

  public RpcConfig {
    if (host == null || corsOrigin == null || suggestedTip == null || suggestedTip.signum() < 0) {
      throw new IllegalArgumentException("host, corsOrigin and a suggestedTip >= 0 are required");
    }
    if (port < 0
        || port > 65535
        || maxRequestBytes < 1024
        || maxBatchSize < 1
        || maxLogsBlockRange < 1
        || maxLogsResults < 1
        || gasCap < 21_000
        || ioThreads < 1) {
      throw new IllegalArgumentException("rpc limits out of range");
    }
  }

  /**
   * go-ethereum's defaults where it has them: 5 MiB requests, batches of 1,000, a 50M gas cap; plus
   * 10,000 blocks and 10,000 logs per eth_getLogs and a 1 gwei suggested tip.
   */
  public static RpcConfig defaults() {
    return new RpcConfig(
        "127.0.0.1",
        DEFAULT_PORT,
        5 * 1024 * 1024,
        1000,
        10_000,
        10_000,
        50_000_000,
        BigInteger.TEN.pow(9),
        "*",
        1);
  }

  public RpcConfig withPort(int port) {
    return new RpcConfig(
        host,
        port,
        maxRequestBytes,
        maxBatchSize,
        maxLogsBlockRange,
        maxLogsResults,
        gasCap,
        suggestedTip,
        corsOrigin,
        ioThreads);
  }

  public RpcConfig withLimits(
      int maxRequestBytes, int maxBatchSize, long maxLogsBlockRange, int maxLogsResults) {
    return new RpcConfig(
        host,
        port,
        maxRequestBytes,
        maxBatchSize,
        maxLogsBlockRange,
        maxLogsResults,
        gasCap,
        suggestedTip,
        corsOrigin,
        ioThreads);
  }
}
