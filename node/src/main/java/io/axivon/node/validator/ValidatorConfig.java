package io.axivon.node.validator;

import io.axivon.consensus.engine.TimeoutConfig;
import io.axivon.consensus.rpc.RpcConfig;
import io.axivon.node.p2pnode.NodeConfig;
import java.math.BigInteger;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * {@code axivon validator}'s configuration file (YAML or JSON), as {@code axivon testnet init}
 * writes it; most keys also have a flag (specs/cli.md lists which).
 *
 * @param dataDir block store, consensus WAL and node key
 * @param genesis chain 0's genesis file
 * @param chains the genesis files of the validator's other chains (same validators), if any
 * @param validatorKey the BLS key file; empty for a full node that follows without signing
 * @param relayKey the secp256k1 key file of the account that pays for relaying equivocation seen on
 *     chains i &gt; 0 to chain 0's staking (the operator's fee key); empty: relay nothing
 * @param networkId P2P network id: peers of another network are refused
 */
public record ValidatorConfig(
    Path dataDir,
    Path genesis,
    List<Path> chains,
    String validatorKey,
    String relayKey,
    long networkId,
    NodeConfig.P2p p2p,
    NodeConfig.MetricsEndpoint metrics,
    Rpc rpc,
    Consensus consensus) {
  public static ValidatorConfig defaults() {
    return new ValidatorConfig(
        Path.of("./validator-data"),
        null,
        List.of(),
        "",
        "",
        12700,
        NodeConfig.P2p.defaults(),
        NodeConfig.MetricsEndpoint.defaults(),
        Rpc.defaults(),
        Consensus.defaults());
  }

  /**
   * The Ethereum JSON-RPC of EVM chains: chain i listens on {@code port + i}. The limits are {@link
   * RpcConfig}'s (specs/json-rpc.md section 7), defaults as there.
   *
   * @param enabled false runs no RPC server
   * @param maxRequestBytes largest request body; larger ones get HTTP 413
   * @param maxBatchSize most calls in one batch
   * @param maxLogsBlockRange most blocks one eth_getLogs may scan
   * @param maxLogsResults most logs one eth_getLogs may return
   * @param gasCap most gas an eth_call or eth_estimateGas may use
   * @param suggestedTipWei the priority fee eth_maxPriorityFeePerGas suggests, in wei
   * @param corsOrigin the Access-Control-Allow-Origin sent to browsers ("*" for any)
   * @param ioThreads Netty event-loop threads
   */
  public record Rpc(
      boolean enabled,
      String host,
      int port,
      int maxRequestBytes,
      int maxBatchSize,
      long maxLogsBlockRange,
      int maxLogsResults,
      long gasCap,
      BigInteger suggestedTipWei,
      String corsOrigin,
      int ioThreads) {
    public static Rpc defaults() {
      return of(true, RpcConfig.defaults());
    }

    /** The defaults, listening on {@code port} of 127.0.0.1. */
    public static Rpc onPort(int port) {
      return of(true, RpcConfig.defaults().withPort(port));
    }

    private static Rpc of(boolean enabled, RpcConfig c) {
      return new Rpc(
          enabled,
          c.host(),
          c.port(),
          c.maxRequestBytes(),
          c.maxBatchSize(),
          c.maxLogsBlockRange(),
          c.maxLogsResults(),
          c.gasCap(),
          c.suggestedTip(),
          c.corsOrigin(),
          c.ioThreads());
    }

    public Rpc {
      if (port < 0 || port > 65535) {
        throw new IllegalArgumentException("rpc port must be 0..65535, got " + port);
      }
      atLeast("max-request-bytes", maxRequestBytes, 1024);
      atLeast("max-batch-size", maxBatchSize, 1);
      atLeast("max-logs-block-range", maxLogsBlockRange, 1);
      atLeast("max-logs-results", maxLogsResults, 1);
      atLeast("gas-cap", gasCap, 21_000);
      atLeast("io-threads", ioThreads, 1);
      if (suggestedTipWei == null || suggestedTipWei.signum() < 0) {
        throw new IllegalArgumentException("rpc suggested-tip-wei must be >= 0");
      }
      if (corsOrigin == null || corsOrigin.isBlank()) {
        throw new IllegalArgumentException("rpc cors-origin must be an origin or *");
      }
    }

    private static void atLeast(String key, long value, long min) {
      if (value < min) {
        throw new IllegalArgumentException("rpc " + key + " must be >= " + min + ", got " + value);
      }
    }

    /** The server settings, or empty when disabled. */
    public Optional<RpcConfig> config() {
      return enabled
          ? Optional.of(
              new RpcConfig(
                  host,
                  port,
                  maxRequestBytes,
                  maxBatchSize,
                  maxLogsBlockRange,
                  maxLogsResults,
                  gasCap,
                  suggestedTipWei,
                  corsOrigin,
                  ioThreads))
          : Optional.empty();
    }
  }

  /**
   * Consensus timing: a block about every {@code commitMs} when the network is healthy.
   *
   * @param pollMs how often peers are asked for their height (block sync)
   */
  public record Consensus(
      long proposeMs,
      long prevoteMs,
      long precommitMs,
      long commitMs,
      long roundDeltaMs,
      long maxBlockBytes,
      long pollMs) {
    /**
     * The largest block: block sync answers with at least one block and its commit certificate, and
     * a P2P response carries at most 8 MiB; a larger block could never be fetched by a node that
     * fell behind.
     */
    public static final long MAX_BLOCK_BYTES = (8L << 20) - (64L << 10);

    public static Consensus defaults() {
      return new Consensus(3000, 1000, 1000, 1000, 500, 4L << 20, 500);
    }

    public Consensus {
      if (proposeMs < 1 || prevoteMs < 1 || precommitMs < 1 || commitMs < 0 || roundDeltaMs < 0) {
        throw new IllegalArgumentException("consensus timeouts must be positive");
      }
      if (maxBlockBytes < 1024 || maxBlockBytes > MAX_BLOCK_BYTES) {
        throw new IllegalArgumentException(
            "max-block-bytes must be 1 KiB to "
                + MAX_BLOCK_BYTES / 1024
                + " KiB: a block must fit one block-sync answer (8 MiB with its certificate)");
      }
      if (pollMs < 10) {
        throw new IllegalArgumentException("poll-ms must be >= 10");
      }
    }

    public TimeoutConfig timeouts() {
      return new TimeoutConfig(
          proposeMs, roundDeltaMs, prevoteMs, roundDeltaMs, precommitMs, roundDeltaMs, commitMs);
    }
  }
}
