package io.axivon.node.validator;

import io.axivon.consensus.engine.TimeoutConfig;
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
 * @param networkId P2P network id: peers of another network are refused
 */
public record ValidatorConfig(
    Path dataDir,
    Path genesis,
    List<Path> chains,
    String validatorKey,
    long networkId,
    NodeConfig.P2p p2p,
    NodeConfig.MetricsEndpoint metrics,
    Consensus consensus) {
  public static ValidatorConfig defaults() {
    return new ValidatorConfig(
        Path.of("./validator-data"),
        null,
        List.of(),
        "",
        12700,
        NodeConfig.P2p.defaults(),
        NodeConfig.MetricsEndpoint.defaults(),
        Consensus.defaults());
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
