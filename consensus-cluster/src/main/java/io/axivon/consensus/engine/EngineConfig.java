package io.axivon.consensus.engine;

import io.axivon.common.crypto.bls.BlsPublicKey;

/**
 * Static settings of one node's engine. {@code self} is this node's validator key (null for a node
 * that only follows). {@code skipLockRule} exists only so tests can prove that the simulator
 * catches a broken engine; never set it elsewhere.
 */
public record EngineConfig(
    String chainId,
    BlsPublicKey self,
    TimeoutConfig timeouts,
    long maxBlockBytes,
    boolean skipLockRule) {
  public EngineConfig {
    if (chainId == null || timeouts == null || maxBlockBytes <= 0) {
      throw new IllegalArgumentException(
          "engine config needs chainId, timeouts, maxBlockBytes > 0");
    }
  }

  public static EngineConfig of(String chainId, BlsPublicKey self, TimeoutConfig timeouts) {
    return new EngineConfig(chainId, self, timeouts, 1 << 20, false);
  }
}
