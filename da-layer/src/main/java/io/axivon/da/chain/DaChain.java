package io.axivon.da.chain;

import io.axivon.da.cert.DaCertificate;
import io.axivon.da.cert.Quorum;
import java.util.Optional;
import org.apache.tuweni.bytes.Bytes;
import org.apache.tuweni.bytes.Bytes32;

/**
 * What the DA network needs from chain 0's DA system module: the epoch, each epoch's quorums (from
 * {@link Quorum#select} over the registered operators), where operators listen, and certificate
 * confirmation. The chain-backed implementation is wired by the node; tests use an in-memory one.
 * Implementations are thread-safe.
 */
public interface DaChain {
  /** The current DA epoch. */
  long currentEpoch();

  /**
   * The quorum of {@code quorumId} in {@code epoch}, members in sortition order.
   *
   * @throws io.axivon.common.InvalidInputException if the chain has no such quorum
   */
  Quorum quorum(long epoch, long quorumId);

  /** The P2P address ({@code <node id hex>@host:port}) an operator registered, if any. */
  Optional<String> address(Bytes operatorId);

  /**
   * Submits a certificate; the module verifies it against the quorum and records the blob as
   * available.
   *
   * @throws StaleEpochException if the certificate's epoch is neither the current nor the previous
   *     one (disperse again in the current epoch)
   * @throws io.axivon.common.InvalidInputException if the module refuses the certificate
   */
  Confirmation confirm(DaCertificate certificate, long blobSize);

  /** Whether a certificate for {@code dataRoot} has been confirmed. */
  boolean isAvailable(Bytes32 dataRoot);

  /** Where a certificate was recorded on chain 0. */
  record Confirmation(Bytes32 txHash, long blockNumber) {}
}
