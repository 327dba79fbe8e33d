package io.axivon.da.chain;

import io.axivon.common.InvalidInputException;
import io.axivon.common.crypto.bls.BlsPublicKey;
import io.axivon.common.crypto.secp256k1.Address;
import io.axivon.common.crypto.secp256k1.Secp256k1PrivateKey;
import io.axivon.da.cert.DaCertificate;
import io.axivon.da.cert.DaOperator;
import io.axivon.da.cert.Quorum;
import io.axivon.sdk.da.DaClient;
import io.axivon.sdk.eth.Receipt;
import java.math.BigInteger;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.tuweni.bytes.Bytes;
import org.apache.tuweni.bytes.Bytes32;

/**
 * {@link DaChain} over chain 0's JSON-RPC: the DA module's views by {@code eth_call}, and {@link
 * #confirm} as a {@code confirmBlob} transaction from the disperser's bonded key, paying the blob
 * fee. A quorum, once its epoch has started, never changes, so quorums are cached; everything else
 * is asked of the chain each time. Nonces are handed out here so that concurrent confirmations from
 * one key do not collide; each waits for its own receipt outside the lock.
 */
public final class ChainDaView implements DaChain {
  private final DaClient client;
  private final Optional<Secp256k1PrivateKey> disperserKey;
  private final Map<List<Long>, Quorum> quorums = new ConcurrentHashMap<>();
  private final Map<List<Long>, Long> gasByShape = new ConcurrentHashMap<>();
  private final Object nonceLock = new Object();
  private long nextNonce = -1;

  /**
   * @param disperserKey the bonded disperser's key, needed only by {@link #confirm} (DA nodes and
   *     readers pass empty)
   */
  public ChainDaView(DaClient client, Optional<Secp256k1PrivateKey> disperserKey) {
    this.client = Objects.requireNonNull(client, "client");
    this.disperserKey = Objects.requireNonNull(disperserKey, "disperserKey");
  }

  public DaClient client() {
    return client;
  }

  @Override
  public long currentEpoch() {
    return client.epochInfo().epoch();
  }

  @Override
  public Quorum quorum(long epoch, long quorumId) {
    List<Long> key = List.of(epoch, quorumId);
    Quorum cached = quorums.get(key);
    if (cached != null) {
      return cached;
    }
    // k only sizes the rows column of the answer, which Quorum recomputes itself
    List<DaOperator> members =
        client.quorum(epoch, quorumId, 1).stream()
            .map(
                m -> new DaOperator(m.id().bytes(), BlsPublicKey.fromBytes(m.blsKey()), m.weight()))
            .toList();
    Quorum q = new Quorum(epoch, quorumId, members);
    quorums.put(key, q);
    return q;
  }

  @Override
  public Optional<String> address(Bytes operatorId) {
    if (operatorId.size() != Address.SIZE) {
      return Optional.empty();
    }
    return client.operator(new Address(operatorId)).map(DaClient.Operator::networkAddress);
  }

  @Override
  public Confirmation confirm(DaCertificate certificate, long blobSize) {
    Secp256k1PrivateKey key =
        disperserKey.orElseThrow(
            () -> new IllegalStateException("this view has no disperser key to confirm with"));
    try {
      return send(key, certificate, blobSize);
    } catch (InvalidInputException e) {
      // Confirmation is idempotent: a transaction sent before a crash, or racing this one into
      // the same block, may have certified the blob already; then that one is the confirmation.
      Optional<Confirmation> earlier = certified(certificate.dataRoot());
      if (earlier.isPresent()) {
        return earlier.get();
      }
      // the module's reason for an epoch it no longer accepts (specs/da.md §11); a transaction
      // mined in a new epoch's first block replays without it on the parent block, so the epoch
      // is checked again too
      if (String.valueOf(e.getMessage()).contains("stale epoch")
          || certificate.epoch() + 1 < currentEpoch()) {
        throw new StaleEpochException(e.getMessage());
      }
      throw e;
    }
  }

  /** Where {@code dataRoot} was certified, if it is available. */
  public Optional<Confirmation> certified(Bytes32 dataRoot) {
    return client
        .certifiedEvent(dataRoot)
        .map(log -> new Confirmation(log.transactionHash(), log.blockNumber()));
  }

  private Confirmation send(Secp256k1PrivateKey key, DaCertificate certificate, long blobSize) {
    long current = currentEpoch();
    if (certificate.epoch() + 1 < current) {
      throw new StaleEpochException(
          "stale epoch: the certificate is for epoch "
              + certificate.epoch()
              + ", the current epoch is "
              + current);
    }
    BigInteger fee = client.blobFee(blobSize);
    Bytes data =
        DaClient.confirmBlobCall(
            certificate.encode(), certificate.dataRoot(), certificate.k(), blobSize);
    // The dry run, gas and fees need no nonce: done before the lock, so concurrent confirmations
    // serialize only on picking a nonce and sending (pipelined: several in flight, consecutive
    // nonces, none waiting for another's receipt). confirmBlob's gas depends only on the epoch's
    // quorum, the signer count and the call's size: estimated once per such shape (the estimate
    // bisects, running the BLS check each time), then reused; a mined revert drops it.
    List<Long> shape =
        List.of(
            certificate.epoch(),
            certificate.quorumId(),
            (long) certificate.signerIndices().size(),
            (long) data.size());
    Long known = gasByShape.get(shape);
    DaClient.Prepared prepared =
        client.prepare(
            data,
            fee,
            key.address(),
            "confirmBlob",
            known == null ? OptionalLong.empty() : OptionalLong.of(known));
    gasByShape.keySet().removeIf(k -> k.get(0) + 1 < certificate.epoch()); // epochs gone by
    gasByShape.put(shape, prepared.gas());
    Bytes32 hash;
    synchronized (nonceLock) {
      // the node's pending count catches up with transactions sent elsewhere; ours covers the
      // ones it has not seen yet. A refused send leaves nextNonce as it was, so no gap.
      long nonce = Math.max(nextNonce, client.eth().getTransactionCount(key.address(), "pending"));
      hash = client.submit(prepared, key, nonce);
      nextNonce = nonce + 1;
    }
    try {
      Receipt r = client.awaitReceipt(hash, data, fee, key.address(), "confirmBlob");
      return new Confirmation(r.transactionHash(), r.blockNumber());
    } catch (InvalidInputException e) {
      gasByShape.remove(shape); // reverted once mined: estimate again next time
      throw e;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while waiting for confirmBlob " + hash, e);
    }
  }

  @Override
  public boolean isAvailable(Bytes32 dataRoot) {
    return client.isAvailable(dataRoot);
  }

  /** Refuses a key that is not a bonded disperser, so a misconfigured disperser fails at start. */
  public void checkDisperser() {
    Secp256k1PrivateKey key =
        disperserKey.orElseThrow(() -> new IllegalStateException("no disperser key"));
    if (!client.disperser(key.address()).active()) {
      throw new InvalidInputException(
          "account " + key.address() + " is not a bonded disperser on chain 0");
    }
  }
}
