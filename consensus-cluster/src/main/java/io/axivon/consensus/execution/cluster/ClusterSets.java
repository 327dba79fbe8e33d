package io.axivon.consensus.execution.cluster;

import io.axivon.common.crypto.secp256k1.Address;
import io.axivon.consensus.execution.system.ModuleCall;
import io.axivon.consensus.types.ValidatorSet;
import java.util.Optional;
import org.apache.tuweni.bytes.Bytes32;

/**
 * The validator sets a chain of the cluster accepts as signers of another chain's headers, by hash:
 * on chain 0 the recent sets its staking defined, on chains i &gt; 0 the sets their light client of
 * chain 0 trusts. Every chain is signed by these same sets, so a header of any chain certified by
 * one of them is final there.
 */
public interface ClusterSets {
  /** The module whose state holds the sets. */
  Address module();

  /** The set with {@code hash}, read through {@code c} (a view of {@link #module()}'s storage). */
  Optional<ValidatorSet> byHash(ModuleCall c, Bytes32 hash);
}
