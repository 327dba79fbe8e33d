package io.axivon.node.validator;

import io.axivon.consensus.engine.TimeoutConfig;
import io.axivon.consensus.rpc.RpcConfig;
import io.axivon.node.p2pnode.NodeConfig;
import java.nio.file.Path;
import java.util.List;

/**
 * {@code axivon validator}'s configuration file (YAML or JSON), as {@code axivon testnet init}
 * writes it; every key is also a flag.
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
   * The Ethereum JSON-RPC of EVM chains: chain i listens on {@code port + i}.
   *
   * @param enabled false runs no RPC server
   */
  public record Rpc(boolean enabled, String host, int port) {
    public static Rpc defaults() {
      return new Rpc(true, "127.0.0.1", RpcConfig.DEFAULT_PORT);
    }

    public Rpc {
      if (port < 0 || port > 65535) {
        throw new IllegalArgumentException("rpc port must be 0..65535, got " + port);
      }
    }

    /** The server settings, or empty when disabled. */
    public java.util.Optional<RpcConfig> config() {
      return enabled
          ? java.util.Optional.of(
              new RpcConfig(
                  host,
                  port,
                  RpcConfig.defaults().maxRequestBytes(),
                  RpcConfig.defaults().maxBatchSize(),
                  RpcConfig.defaults().maxLogsBlockRange(),
                  RpcConfig.defaults().maxLogsResults(),
                  RpcConfig.defaults().gasCap(),
                  RpcConfig.defaults().suggestedTip(),
                  RpcConfig.defaults().corsOrigin(),
                  RpcConfig.defaults().ioThreads()))
          : java.util.Optional.empty();
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
    public static Consensus defaults() {
      return new Consensus(3000, 1000, 1000, 1000, 500, 4L << 20, 500);
    }

    public Consensus {
      if (proposeMs < 1 || prevoteMs < 1 || precommitMs < 1 || commitMs < 0 || roundDeltaMs < 0) {
        throw new IllegalArgumentException("consensus timeouts must be positive");
      }
      if (maxBlockBytes < 1024 || maxBlockBytes > 64L << 20) {
        throw new IllegalArgumentException("max-block-bytes must be 1 KiB to 64 MiB");
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
