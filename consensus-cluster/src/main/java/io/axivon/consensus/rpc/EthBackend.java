package io.axivon.consensus.rpc;

import io.axivon.common.crypto.secp256k1.Address;
import io.axivon.consensus.execution.block.EthBlock;
import io.axivon.consensus.execution.block.Receipt;
import io.axivon.consensus.execution.block.TxLocation;
import io.axivon.consensus.execution.evm.Executor;
import io.axivon.consensus.execution.tx.Transaction;
import io.axivon.consensus.execution.tx.TxCodec;
import io.axivon.consensus.mempool.AddResult;
import java.math.BigInteger;
import java.util.List;
import java.util.Optional;
import java.util.function.BiFunction;
import org.apache.tuweni.bytes.Bytes;
import org.apache.tuweni.bytes.Bytes32;

/**
 * What the JSON-RPC needs from a node: the chain index, the head's state (serialized with block
 * execution), the mempool and the network. {@link ChainBackend} implements it over an EvmChain and
 * a ValidatorNode; tests implement it over a bare chain and mempool.
 */
public interface EthBackend {
  long chainId();

  /**
   * The consensus block at {@code height} with its commit certificate, for light clients and
   * cross-chain relayers; empty when unknown or when the backend has no consensus node.
   */
  default Optional<io.axivon.consensus.store.StoredBlock> certifiedBlock(long height) {
    return Optional.empty();
  }

  long blockGasLimit();

  /** The last committed block. */
  EthBlock head();

  Optional<EthBlock> block(long number);

  Optional<EthBlock> block(Bytes32 hash);

  /** Included raw transactions of a block, in order. */
  List<Bytes> transactions(long number);

  List<Receipt> receipts(long number);

  Optional<TxLocation> location(Bytes32 txHash);

  /** The base fee of the next block. */
  BigInteger nextBaseFee();

  /**
   * Runs {@code body} on block {@code number} and the state after it, with no block executing
   * meanwhile. The body may read and {@link Executor#speculate speculate}, never commit.
   *
   * @throws RpcException "header not found" above the head; an internal error where the state of
   *     that block cannot be opened
   */
  <T> T withState(long number, BiFunction<EthBlock, Executor, T> body);

  /** Offers a raw transaction to the mempool (and the network). */
  AddResult submit(Bytes raw);

  /**
   * {@code raw} decoded, as {@link TxCodec#decode}; a backend may answer from its chain's cache, so
   * that the mempool's check after it does not decode the bytes again.
   *
   * @throws io.axivon.common.InvalidInputException as {@link TxCodec#decode}
   */
  default Transaction decode(Bytes raw) {
    return TxCodec.decode(raw);
  }

  /** A transaction waiting in the mempool. */
  Optional<Bytes> pendingTransaction(Bytes32 hash);

  /** The nonce after {@code sender}'s gapless run of mempool transactions from {@code nonce}. */
  long pendingNonce(Address sender, long nonce);

  int peerCount();

  /** Present while the chain's state is behind the decided blocks (replay or block sync). */
  Optional<SyncStatus> syncing();

  record SyncStatus(long startingBlock, long currentBlock, long highestBlock) {}
}
