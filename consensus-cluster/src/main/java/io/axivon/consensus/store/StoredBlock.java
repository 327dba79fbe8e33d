package io.axivon.consensus.store;

import io.axivon.consensus.types.Block;
import io.axivon.consensus.types.CommitCertificate;
import io.axivon.consensus.types.ValidatorSet;
import java.util.Objects;
import org.apache.tuweni.bytes.Bytes32;

/**
 * A decided block as the block store keeps it.
 *
 * @param commit the certificate that decided it
 * @param validators the set that decided (and signed the commit of) this height
 * @param appHashAfter the application hash after executing it ({@code FinalizeResult.appHash})
 */
public record StoredBlock(
    Block block, CommitCertificate commit, ValidatorSet validators, Bytes32 appHashAfter) {
  public StoredBlock {
    Objects.requireNonNull(block, "block");
    Objects.requireNonNull(commit, "commit");
    Objects.requireNonNull(validators, "validators");
    Objects.requireNonNull(appHashAfter, "appHashAfter");
  }

  public long height() {
    return block.height();
  }
}
