package io.axivon.consensus.rpc;

import io.axivon.common.crypto.secp256k1.Address;
import io.axivon.consensus.execution.EvmChain;
import io.axivon.consensus.execution.block.EthBlock;
import io.axivon.consensus.execution.block.Receipt;
import io.axivon.consensus.execution.block.TxLocation;
import io.axivon.consensus.execution.evm.Executor;
import io.axivon.consensus.mempool.AddResult;
import io.axivon.consensus.mempool.Mempool;
import io.axivon.consensus.node.ValidatorNode;
import io.axivon.consensus.store.StoredBlock;
import io.axivon.p2p.P2pNode;
import java.math.BigInteger;
import java.util.List;
import java.util.Optional;
import java.util.function.BiFunction;
import java.util.function.Function;
import java.util.function.IntSupplier;
import java.util.function.LongSupplier;
import org.apache.tuweni.bytes.Bytes;
import org.apache.tuweni.bytes.Bytes32;

/**
 * {@link EthBackend} over an {@link EvmChain} and a mempool. Nothing here takes the chain's lock:
 * state reads and calls run on read-only views of committed roots, and the next base fee comes from
 * the committed head, so JSON-RPC reads never wait for a block's execution (nor for a proposal's
 * optimistic execution, which may wait for its votes as long as consensus is stalled).
 */
public final class ChainBackend implements EthBackend {
  private final EvmChain chain;
  private final Function<Bytes, AddResult> submit;
  private final Mempool mempool;
  private final IntSupplier peers;
  private final LongSupplier decidedHeight;
  private final java.util.function.LongFunction<Optional<StoredBlock>> certified;

  /**
   * @param submit where raw transactions go (the node's submit, or a bare mempool's add)
   * @param decidedHeight the height consensus has decided (the chain lags it while syncing)
   */
  public ChainBackend(
      EvmChain chain,
      Function<Bytes, AddResult> submit,
      Mempool mempool,
      IntSupplier peers,
      LongSupplier decidedHeight) {
    this(chain, submit, mempool, peers, decidedHeight, h -> Optional.empty());
  }

  /**
   * @param certified the consensus node's stored blocks (header and commit certificate)
   */
  public ChainBackend(
      EvmChain chain,
      Function<Bytes, AddResult> submit,
      Mempool mempool,
      IntSupplier peers,
      LongSupplier decidedHeight,
      java.util.function.LongFunction<Optional<StoredBlock>> certified) {
    this.certified = certified;
    this.chain = chain;
    this.submit = submit;
    this.mempool = mempool;
    this.peers = peers;
    this.decidedHeight = decidedHeight;
  }

  /** The backend of a running validator: reads never touch {@code chain}'s executor. */
  public static ChainBackend forNode(EvmChain chain, ValidatorNode node, P2pNode p2p) {
    return new ChainBackend(
        chain, node::submit, node.mempool(), () -> p2p.peers().size(), node::height, node::block);
  }

  @Override
  public Optional<StoredBlock> certifiedBlock(long height) {
    return certified.apply(height);
  }

  @Override
  public long chainId() {
    return chain.chainId();
  }

  @Override
  public long blockGasLimit() {
    return chain.genesis().gasLimit();
  }

  /** Lock-free: the chain publishes its head once the block is committed and indexed. */
  @Override
  public EthBlock head() {
    return chain.head();
  }

  @Override
  public Optional<EthBlock> block(long number) {
    return chain.index().block(number);
  }

  @Override
  public Optional<EthBlock> block(Bytes32 hash) {
    return chain.index().block(hash);
  }

  @Override
  public List<Bytes> transactions(long number) {
    return chain.index().transactions(number);
  }

  @Override
  public List<Receipt> receipts(long number) {
    return chain.index().receipts(number);
  }

  @Override
  public Optional<TxLocation> location(Bytes32 txHash) {
    return chain.index().location(txHash);
  }

  @Override
  public BigInteger nextBaseFee() {
    return chain.nextBaseFee(); // from the committed head, a volatile: no lock
  }

  /**
   * Lock-free: the body runs on a read-only view of the block's committed state root (see {@link
   * io.axivon.consensus.execution.evm.LibEvmViews}), in parallel with other reads and with block
   * execution. The head is the last committed block, whose state was written before it became the
   * head, so a read never sees an executed, uncommitted block.
   */
  @Override
  public <T> T withState(long number, BiFunction<EthBlock, Executor, T> body) {
    EthBlock head = chain.head();
    if (number > head.number()) {
      throw RpcException.server("header not found");
    }
    EthBlock b = number == head.number() ? head : chain.index().block(number).orElseThrow();
    return chain.readAt(b, v -> body.apply(b, v));
  }

  @Override
  public AddResult submit(Bytes raw) {
    return submit.apply(raw);
  }

  /** From the chain's cache of decoded transactions (stateless: no lock). */
  @Override
  public io.axivon.consensus.execution.tx.Transaction decode(Bytes raw) {
    return chain.senders().decode(raw).tx();
  }

  @Override
  public Optional<Bytes> pendingTransaction(Bytes32 hash) {
    return mempool.get(hash);
  }

  @Override
  public long pendingNonce(Address sender, long nonce) {
    return mempool.pendingNonce(sender.bytes(), nonce);
  }

  @Override
  public int peerCount() {
    return peers.getAsInt();
  }

  @Override
  public Optional<SyncStatus> syncing() {
    long current = chain.index().head().orElse(0L);
    long decided = decidedHeight.getAsLong();
    return current < decided
        ? Optional.of(new SyncStatus(current, current, decided))
        : Optional.empty();
  }
}
