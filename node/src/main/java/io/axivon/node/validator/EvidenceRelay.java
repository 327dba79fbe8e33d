package io.axivon.node.validator;

import io.axivon.common.crypto.bls.BlsPublicKey;
import io.axivon.common.crypto.secp256k1.Address;
import io.axivon.common.crypto.secp256k1.Secp256k1PrivateKey;
import io.axivon.consensus.execution.EvmChain;
import io.axivon.consensus.execution.staking.StakingModule;
import io.axivon.consensus.execution.system.Abi;
import io.axivon.consensus.execution.tx.DynamicFeeTransaction;
import io.axivon.consensus.execution.tx.TxSigner;
import io.axivon.consensus.mempool.AddResult;
import io.axivon.consensus.node.ValidatorNode;
import io.axivon.consensus.store.StoredBlock;
import io.axivon.consensus.types.ChainEvidence;
import io.axivon.consensus.types.Evidence;
import io.axivon.consensus.types.ValidatorSet;
import java.math.BigInteger;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import org.apache.tuweni.bytes.Bytes;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.web3j.abi.datatypes.DynamicBytes;

/**
 * Carries equivocation committed on a chain i &gt; 0 to chain 0's staking module, where the stake
 * is: for each block of chain i that this validator proposed and that carries evidence, it sends a
 * {@code submitChainEvidence} transaction signed with its relay key to its own chain-0 node (which
 * gossips it like any client's). Only the block's proposer relays, so each piece of evidence costs
 * one transaction, paid by the validator that included it (specs/cluster.md §4).
 */
final class EvidenceRelay implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(EvidenceRelay.class);

  /** Two BLS verifications, the evidence bytes and a few storage writes, with room to spare. */
  static final long GAS = 600_000;

  private static final BigInteger TIP = BigInteger.TWO.multiply(BigInteger.TEN.pow(9));

  private final Secp256k1PrivateKey key;
  private final Address sender;
  private final BlsPublicKey self;
  private final ValidatorService.Chain chain0;
  private final ExecutorService sending =
      Executors.newSingleThreadExecutor(
          Thread.ofPlatform().name("evidence-relay").daemon().factory());

  EvidenceRelay(Secp256k1PrivateKey key, BlsPublicKey self, ValidatorService.Chain chain0) {
    this.key = key;
    this.sender = key.address();
    this.self = self;
    this.chain0 = chain0;
  }

  /** Relays the evidence of {@code chain}'s blocks that this validator proposes from now on. */
  void follow(ValidatorNode chain) {
    chain.addDecidedListener(b -> onDecided(chain, b));
  }

  /** On the chain's consensus thread: picks what to relay and hands it to the sending thread. */
  private void onDecided(ValidatorNode chain, StoredBlock b) {
    List<Evidence> evidence = b.block().evidence();
    int proposer = b.block().header().proposerIndex();
    if (evidence.isEmpty()
        || proposer >= b.validators().size()
        || !b.validators().get(proposer).publicKey().equals(self)) {
      return;
    }
    for (Evidence e : evidence) {
      Optional<ValidatorSet> signers = chain.validatorSetAt(e.first().height());
      if (signers.isEmpty()) {
        LOG.warn(
            "{}: no validator set for evidence at height {}", chain.chainId(), e.first().height());
        continue;
      }
      ChainEvidence ce = new ChainEvidence(chain.chainId(), signers.get().hash(), e);
      try {
        sending.execute(() -> send(ce));
      } catch (RejectedExecutionException closing) {
        return;
      }
    }
  }

  private void send(ChainEvidence ce) {
    EvmChain evm = chain0.evm().orElseThrow();
    // The committed state, through a view: the executor's lock may be held for as long as a
    // proposal executed optimistically waits for its votes (a stalled round).
    long committedNonce = evm.readHead(state -> state.nonce(sender));
    BigInteger baseFee = evm.nextBaseFee(); // from the committed head: no lock either
    Bytes raw =
        TxSigner.sign(
                new DynamicFeeTransaction(
                    evm.genesis().chainId(),
                    chain0.node().mempool().pendingNonce(sender.bytes(), committedNonce),
                    TIP,
                    baseFee.multiply(BigInteger.TWO).add(TIP),
                    GAS,
                    Optional.of(StakingModule.ADDRESS),
                    BigInteger.ZERO,
                    Abi.call(
                        StakingModule.SUBMIT_CHAIN_EVIDENCE,
                        List.of(new DynamicBytes(ce.encode().toArray()))),
                    List.of(),
                    null),
                key)
            .encode();
    AddResult r = chain0.node().submit(raw);
    switch (r) {
      case AddResult.Added a ->
          LOG.warn(
              "relayed equivocation of validator {} at {} height {} to chain 0 (tx {})",
              ce.evidence().validatorIndex(),
              ce.chainId(),
              ce.evidence().first().height(),
              a.hash());
      case AddResult.Duplicate d -> {}
      case AddResult.Rejected rej ->
          LOG.error(
              "cannot relay equivocation at {} height {} to chain 0 from {}: {}",
              ce.chainId(),
              ce.evidence().first().height(),
              sender,
              rej.reason());
    }
  }

  @Override
  public void close() {
    sending.shutdownNow();
  }
}
